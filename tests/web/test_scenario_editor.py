"""Trainers write scenarios in the browser: from a modality, checked as they type with the command line's
messages, nothing lost on an error, previewed, published as a version that running sessions do not see."""
import re

import pytest
from sqlalchemy import select

from simulator.extensions import db
from simulator.scenarios.models import Scenario, ScenarioDraft

HTMX = {"HX-Request": "true"}


@pytest.fixture
def trainer(as_role, loaded):
    return as_role("trainer")


def new_draft(trainer, modality="B1-E1"):
    trainer.get("/trainer/referentiels/demo")
    response = trainer.post("/trainer/drafts/new", {"referentiel": "demo", "modality": modality})
    assert response.status_code == 302
    return int(re.search(r"/trainer/drafts/(\d+)", response.headers["Location"]).group(1))


def type_text(trainer, draft_id, text):
    return trainer.client.post(f"/trainer/drafts/{draft_id}", data={"text": text},
                               headers={**HTMX, "X-CSRFToken": trainer.token})


def test_a_draft_from_a_modality_is_prefilled_and_valid(app, trainer):
    page = trainer.get("/trainer/referentiels/demo").get_data(as_text=True)
    assert 'id="write-scenario-B1-E1"' in page
    draft_id = new_draft(trainer)
    editor = trainer.get(f"/trainer/drafts/{draft_id}").get_data(as_text=True)
    assert "modality: B1-E1" in editor and "À rédiger" in editor and 'id="draft-valid"' in editor
    assert "Publier la publication" not in editor and 'id="draft-publish"' in editor


def test_problems_are_shown_with_the_command_line_messages_and_the_text_is_kept(app, trainer):
    draft_id = new_draft(trainer)
    with app.app_context():
        text = db.session.get(ScenarioDraft, draft_id).text
    broken = text.replace("duration: ", "duration: trois heures # ", 1)
    answer = type_text(trainer, draft_id, broken)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "data-draft-saved" in html and 'id="draft-problems"' in html
    line = next(n for n, row in enumerate(broken.splitlines(), start=1) if row.startswith("duration:"))
    assert f'data-line="{line}"' in html and "<code>duration</code>" in html
    with app.app_context():
        assert db.session.get(ScenarioDraft, draft_id).text == broken  # kept, problems and all
    refused = trainer.post(f"/trainer/drafts/{draft_id}/publish", {})
    assert refused.status_code == 422 and "n&#39;a pas été publié" in refused.get_data(as_text=True)
    preview = trainer.get(f"/trainer/drafts/{draft_id}/preview")
    assert preview.status_code == 422
    unparsable = type_text(trainer, draft_id, "title: [oubli")
    assert "YAML that does not parse" in unparsable.get_data(as_text=True)


def test_publish_makes_a_scenario_then_a_new_version_and_a_scheduled_session_keeps_its_own(app, trainer, clock):
    from tests.exam_helpers import schedule

    draft_id = new_draft(trainer)
    with app.app_context():
        text = db.session.get(ScenarioDraft, draft_id).text
        slug = re.search(r"^id: (\S+)$", text, re.M).group(1)
    text = text.replace("À rédiger : le nom de l’entreprise", "Atelier Lumen")
    type_text(trainer, draft_id, text)
    preview = trainer.get(f"/trainer/drafts/{draft_id}/preview").get_data(as_text=True)
    assert "Atelier Lumen" in preview and 'id="preview-banner"' in preview
    published = trainer.post(f"/trainer/drafts/{draft_id}/publish", {})
    assert published.status_code == 302 and published.headers["Location"].endswith(f"/trainer/scenarios/{slug}")
    with app.app_context():
        first = db.session.scalar(select(Scenario).where(Scenario.slug == slug)).latest.id
        session = schedule(slug)
        db.session.commit()
        session_version = session.version_id
        assert db.session.get(ScenarioDraft, draft_id) is None
    trainer.get(f"/trainer/scenarios/{slug}")
    edit = trainer.post(f"/trainer/scenarios/{slug}/v1/edit", {})
    second_id = int(re.search(r"/trainer/drafts/(\d+)", edit.headers["Location"]).group(1))
    type_text(trainer, second_id, text.replace("Atelier Lumen", "Atelier Lumen Paris"))
    trainer.get(f"/trainer/drafts/{second_id}")
    assert trainer.post(f"/trainer/drafts/{second_id}/publish", {}).status_code == 302
    with app.app_context():
        scenario = db.session.scalar(select(Scenario).where(Scenario.slug == slug))
        assert [v.number for v in scenario.versions] == [1, 2]
        assert scenario.versions[0].id == first == session_version  # the session keeps version 1
        assert "Atelier Lumen Paris" in scenario.latest.source_text
    exported = trainer.get(f"/trainer/scenarios/{slug}/v2/scenario.yaml").get_data(as_text=True)
    assert exported == text.replace("Atelier Lumen", "Atelier Lumen Paris")


def test_a_draft_is_its_authors_and_files_can_be_attached(app, trainer, as_role):
    draft_id = new_draft(trainer)
    admin = as_role("admin")
    assert admin.get(f"/trainer/drafts/{draft_id}").status_code == 404
    trainer.get(f"/trainer/drafts/{draft_id}")
    import io
    empty = trainer.post(f"/trainer/drafts/{draft_id}/files", {"file": (io.BytesIO(b""), "vide.csv")})
    assert empty.status_code == 422 and "vide.csv" in empty.get_data(as_text=True)
    trainer.get(f"/trainer/drafts/{draft_id}")
    sent = trainer.post(f"/trainer/drafts/{draft_id}/files", {"file": (io.BytesIO(b"a;b\n"), "tarifs.csv")})
    assert sent.status_code == 302
    assert "tarifs.csv" in trainer.get(f"/trainer/drafts/{draft_id}").get_data(as_text=True)
    listing = trainer.get("/trainer/drafts/").get_data(as_text=True)
    assert f'id="draft-{draft_id}"' in listing
    assert trainer.post(f"/trainer/drafts/{draft_id}/delete", {}).status_code == 302
    with app.app_context():
        assert db.session.get(ScenarioDraft, draft_id) is None


def test_a_referentiel_is_imported_in_the_browser_and_an_edition_that_breaks_a_scenario_is_refused(app, trainer):
    import io

    import yaml

    from tests.helpers import doc_examples

    referentiel, written, _role_play = doc_examples()

    def send(text, name="referentiel.yaml"):
        trainer.get("/trainer/referentiels/import")
        return trainer.post("/trainer/referentiels/import",
                            {"referentiel": (io.BytesIO(text.encode("utf-8")), name)})

    assert 'id="referentiel-import-link"' in trainer.get("/trainer/referentiels/").get_data(as_text=True)
    other = yaml.safe_load(referentiel)
    other["id"] = "demo-bis"
    created = send(yaml.safe_dump(other, allow_unicode=True, sort_keys=False))
    assert created.status_code == 302 and created.headers["Location"].endswith("/trainer/referentiels/demo-bis/coverage")
    assert "Référentiel demo-bis : créé" in trainer.get("/trainer/referentiels/demo-bis/coverage").get_data(as_text=True)
    assert send(yaml.safe_dump(other, allow_unicode=True, sort_keys=False)).status_code == 302  # unchanged

    edition = yaml.safe_load(referentiel)
    for bloc in edition["blocs"]:
        bloc["competences"] = [c for c in bloc["competences"] if c["code"] != "C1.2"]
    for modality in edition["modalities"]:
        modality["competences"] = [c for c in modality["competences"] if c != "C1.2"] or ["C1.1"]
        modality["criteria"] = [k for k in modality.get("criteria", []) if k["competence"] != "C1.2"]
    broken = send(yaml.safe_dump(edition, allow_unicode=True, sort_keys=False))
    html = broken.get_data(as_text=True)
    assert broken.status_code == 422 and "demo-b1-jeu-de-role.yaml" in html and "C1.2" in html
    with app.app_context():
        from simulator.referentiels.models import Certification

        cert = db.session.scalar(select(Certification).where(Certification.slug == "demo"))
        assert "C1.2" in str(cert.document)  # nothing changed
    wrong = send(written, "scenario.yaml")
    assert wrong.status_code == 422 and 'id="import-problems"' in wrong.get_data(as_text=True)
    not_yaml = send("x", "notes.txt")
    assert not_yaml.status_code == 422 and "not .yaml" in not_yaml.get_data(as_text=True)


DIALOGUE = """
  dialogue:
    start: accueil
    states:
      accueil:
        say: Bonjour, que me proposez-vous ?
        replies:
          - match: [besoin]
            goto: fin
            move: découverte des besoins
            evidence: [g1]
        fallback: Je ne vois pas où vous voulez en venir.
      fin:
        say: {last}
        final: true
"""


def test_a_drafts_dialogue_is_tried_before_it_is_published_and_the_try_out_keeps_the_draft_as_it_was(app, trainer,
                                                                                                    as_role):
    from simulator.roleplay.models import Conversation

    draft_id = new_draft(trainer, "B1-E2")
    with app.app_context():
        text = db.session.get(ScenarioDraft, draft_id).text
    editor = trainer.get(f"/trainer/drafts/{draft_id}").get_data(as_text=True)
    assert 'id="draft-valid"' in editor and 'id="draft-try"' not in editor  # a persona, no dialogue yet
    refused = trainer.post(f"/trainer/drafts/{draft_id}/try", {})
    assert refused.status_code == 422 and "interlocutor.dialogue" in refused.get_data(as_text=True)

    checked = type_text(trainer, draft_id, text.rstrip("\n") + DIALOGUE.format(last="Exactement ce qu'il me faut."))
    assert 'id="draft-try"' in checked.get_data(as_text=True)
    started = trainer.post(f"/trainer/drafts/{draft_id}/try", {})
    assert started.status_code == 302
    url = started.headers["Location"]
    page = trainer.get(url).get_data(as_text=True)
    assert "Bonjour, que me proposez-vous ?" in page and f"/trainer/drafts/{draft_id}" in page
    type_text(trainer, draft_id, text.rstrip("\n") + DIALOGUE.format(last="Je signe tout de suite."))
    answer = trainer.client.post(url, data={"number": "1", "said": "Quel est votre besoin ?", "csrf_token": trainer.token},
                                 headers=HTMX).get_data(as_text=True)
    assert "Exactement ce qu&#39;il me faut." in answer and ">g1<" in answer  # the draft as it was at the start
    assert as_role("admin").get(url).status_code == 404  # a try-out is its author's own

    again = trainer.post(f"/trainer/drafts/{draft_id}/try", {}).headers["Location"]
    trainer.client.post(again, data={"number": "1", "said": "Votre besoin ?", "csrf_token": trainer.token})
    assert "Je signe tout de suite." in trainer.get(again).get_data(as_text=True)  # what was typed since

    type_text(trainer, draft_id, text.rstrip("\n") + DIALOGUE.format(last="[oubli"))
    broken = trainer.post(f"/trainer/drafts/{draft_id}/try", {})
    assert broken.status_code == 422 and "sans problème" in broken.get_data(as_text=True)
    type_text(trainer, draft_id, text.rstrip("\n") + DIALOGUE.format(last="Parfait."))
    assert trainer.post(f"/trainer/drafts/{draft_id}/publish", {}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Conversation)).all() == []  # try-outs go with their draft
    assert trainer.get(url).status_code == 404
