"""Importing a scenario file in the browser: the command line's messages, nothing loaded on a problem, a changed
file becomes a new version while a scheduled session keeps its own."""
import io

from sqlalchemy import select

from simulator.extensions import db
from simulator.scenarios.models import Scenario
from tests.exam_helpers import schedule
from tests.helpers import doc_examples


def post(trainer, text: str, name: str = "demo-b1-jeu-de-role.yaml", attachments=()):
    trainer.get("/trainer/scenarios/import")
    return trainer.post("/trainer/scenarios/import",
                        {"scenario": (io.BytesIO(text.encode()), name), "attachments": list(attachments)},
                        content_type="multipart/form-data")


def test_a_changed_file_becomes_a_new_version_and_a_scheduled_session_keeps_its_own(app, as_role, users, loaded):
    with app.app_context():
        session = schedule("demo-b1-jeu-de-role")
        db.session.commit()
        scheduled_version = session.version_id
    trainer = as_role("trainer")
    _, _, role_play = doc_examples()
    changed = role_play.replace("Vous avez 20 minutes.", "Vous avez vingt minutes, pas une de plus.")
    response = post(trainer, changed)
    assert response.status_code == 302 and response.headers["Location"].endswith("/trainer/scenarios/demo-b1-jeu-de-role")
    assert "nouvelle version 2" in trainer.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        scenario = db.session.scalar(select(Scenario).where(Scenario.slug == "demo-b1-jeu-de-role"))
        assert scenario.latest.number == 2 and "pas une de plus" in scenario.latest.document["candidate_brief"]
        from simulator.exams.models import ExamSession
        assert db.session.get(ExamSession, session.id).version_id == scheduled_version
    exported = trainer.get("/trainer/scenarios/demo-b1-jeu-de-role/v2/scenario.yaml").get_data(as_text=True)
    assert exported == changed


def test_a_broken_file_gets_the_command_lines_messages_and_nothing_is_loaded(app, as_role, users, loaded):
    trainer = as_role("trainer")
    _, _, role_play = doc_examples()
    response = post(trainer, role_play.replace("duration: 20 min", "duration: vingt minutes"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="import-problems"' in html
    assert "<code>demo-b1-jeu-de-role.yaml:11 [duration]: found &#39;vingt minutes&#39;" in html
    html = post(trainer, role_play.replace("goto: besoins", "goto: ailleurs")).get_data(as_text=True)
    assert "[interlocutor.dialogue.states.accueil.replies[0].goto]: found &#39;ailleurs&#39;; expected the name of a" in html
    with app.app_context():
        assert db.session.scalar(select(Scenario).where(Scenario.slug == "demo-b1-jeu-de-role")).latest.number == 1


def test_other_files_are_refused_with_what_was_expected(as_role, users, loaded):
    trainer = as_role("trainer")
    assert "a scenario file (.yaml)" in post(trainer, "x", name="notes.txt").get_data(as_text=True)
    unknown = post(trainer, doc_examples()[2].replace("referentiel: demo", "referentiel: inconnu"))
    assert unknown.status_code == 422 and "the id of a loaded référentiel" in unknown.get_data(as_text=True)
    referentiel = post(trainer, doc_examples()[0], name="demo.yaml")
    assert referentiel.status_code == 422 and "a scenario file (format: scenario/1)" in referentiel.get_data(as_text=True)
    trainer.get("/trainer/scenarios/import")
    empty = trainer.post("/trainer/scenarios/import", {}, content_type="multipart/form-data")
    assert empty.status_code == 422 and "Choisissez un fichier de scénario" in empty.get_data(as_text=True)


def test_the_version_history_shows_what_changed(app, as_role, users, loaded):
    trainer = as_role("trainer")
    _, _, role_play = doc_examples()
    post(trainer, role_play.replace("Vous avez 20 minutes.", "Vous avez vingt minutes, pas une de plus."))
    page = trainer.get("/trainer/scenarios/demo-b1-jeu-de-role/v2").get_data(as_text=True)
    assert 'id="diff-v1"' in page
    diff = trainer.get("/trainer/scenarios/demo-b1-jeu-de-role/v1/diff/v2").get_data(as_text=True)
    assert '<code>candidate_brief</code>' in diff
    assert 'class="diff-removed"' in diff and "Vous avez 20 minutes." in diff
    assert 'class="diff-added"' in diff and "pas une de plus" in diff
    assert "title: Négociation avec la centrale" not in diff  # only the changes and their context
    same = trainer.get("/trainer/scenarios/demo-b1-jeu-de-role/v1/diff/v1").get_data(as_text=True)
    assert 'id="no-change"' in same
    assert trainer.get("/trainer/scenarios/demo-b1-jeu-de-role/v1/diff/v9").status_code == 404
