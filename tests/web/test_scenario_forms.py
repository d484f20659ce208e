"""Parts of a scenario written with forms (the grid, the scales, the persona, the dialogue…): each form writes
into the draft's text and keeps the rest as written, shows the command line's messages beside the field
concerned, and never loses what was typed."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from simulator.extensions import db
from simulator.scenarios.models import ScenarioDraft
from tests.web.test_scenario_editor import HTMX, new_draft, type_text


class _Fields(HTMLParser):
    """The fields of the page's #part-form as a browser would send them (checked boxes only)."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._inside = a.get("id") == "part-form"
        if not self._inside or "name" not in a and tag != "option":
            return
        if tag == "input" and a.get("type") not in ("checkbox",) or tag == "input" and "checked" in a:
            self.fields[a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea":
            self._textarea, self.fields[a["name"]] = a["name"], ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False


def fields(html: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(html)
    return parser.fields


def open_part(trainer, draft_id, slug):
    page = trainer.get(f"/trainer/drafts/{draft_id}/parts/{slug}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def send(trainer, draft_id, slug, values, htmx=True):
    return trainer.client.post(f"/trainer/drafts/{draft_id}/parts/{slug}", data={**values, "csrf_token": trainer.token},
                               headers=HTMX if htmx else {})


def stored(app, draft_id) -> str:
    with app.app_context():
        return db.session.get(ScenarioDraft, draft_id).text


def slot(html: str, name: str) -> str:
    """The messages beside a field, as the page or the htmx answer shows them."""
    found = re.search(rf'<div class="field-error" id="err-{name}"[^>]*>(.*?)</div>', html, re.S)
    assert found, f"no slot err-{name}"
    return found.group(1)


@pytest.fixture
def trainer(as_role, loaded):
    return as_role("trainer")


def test_the_persona_form_writes_into_the_text_and_keeps_the_rest_as_written(app, trainer):
    draft_id = new_draft(trainer, "B1-E2")
    text = stored(app, draft_id).replace("candidate_brief:", "# Écrit à la main : à garder\ncandidate_brief:")
    type_text(trainer, draft_id, text)
    values = fields(open_part(trainer, draft_id, "persona"))
    assert values["f-name"] == "À rédiger : le nom de l’interlocuteur"
    values.update({"f-name": "Claire Martin", "f-role": "Directrice des achats",
                   "f-personality": "Pressée.\r\nExigeante sur les délais.", "f-wants": "Un prix\r\n\r\nUn délai"})
    answer = send(trainer, draft_id, "persona", values)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "data-part-saved" in html and 'id="part-valid"' in html
    assert 'hx-swap-oob="true"' in html and 'id="err-f-name"' in html
    text_now = stored(app, draft_id)
    persona = yaml.safe_load(text_now)["interlocutor"]["persona"]
    assert persona == {"name": "Claire Martin", "role": "Directrice des achats",
                       "personality": "Pressée.\nExigeante sur les délais.\n", "wants": ["Un prix", "Un délai"]}
    assert "# Écrit à la main : à garder" in text_now  # a comment elsewhere is kept
    assert text_now.replace(text_now[text_now.index("interlocutor:"):], "") == \
        text.replace(text[text.index("interlocutor:"):], "")  # the lines before the part are untouched

    values["f-name"] = ""
    html = send(trainer, draft_id, "persona", values).get_data(as_text=True)
    assert "attendu : a value for &#39;name&#39; (required)" in slot(html, "f-name")
    assert slot(html, "f-role") == "" and 'id="part-problem-count"' in html
    page = open_part(trainer, draft_id, "persona")  # the page, without htmx, shows it in the same place
    assert "attendu : a value for &#39;name&#39; (required)" in slot(page, "f-name")
    assert "name:" not in stored(app, draft_id).split("persona:")[1].split("\n")[1]  # saved, problem and all


def test_grid_rows_are_added_checked_beside_their_fields_moved_and_removed(app, trainer):
    draft_id = new_draft(trainer, "B1-E1")
    before = yaml.safe_load(stored(app, draft_id))["grid"]
    page = open_part(trainer, draft_id, "grid")
    assert 'id="choices-competences"' in page and '<option value="C1.1">' in page
    values = fields(page)
    values["add"] = "1"
    added = send(trainer, draft_id, "grid", values, htmx=False)
    assert added.status_code == 302 and added.headers["Location"].endswith("#part-add")
    page = open_part(trainer, draft_id, "grid")
    n = len(before)
    for column in ("id", "competence", "text", "scale"):  # the new row's required fields, each told
        assert "(required)" in slot(page, f"r{n}-{column}")
    values = fields(page)
    values.update({f"r{n}-id": "g9", f"r{n}-competence": "C9.9", f"r{n}-text": "Argumente",
                   f"r{n}-scale": "acquisition", f"r{n}-weight": "beaucoup"})
    html = send(trainer, draft_id, "grid", values).get_data(as_text=True)
    assert "&#39;beaucoup&#39;" in slot(html, f"r{n}-weight") and "number" in slot(html, f"r{n}-weight")
    assert yaml.safe_load(stored(app, draft_id))["grid"][n]["weight"] == "beaucoup"  # kept as typed
    values[f"r{n}-weight"] = "2,5"
    html = send(trainer, draft_id, "grid", values).get_data(as_text=True)
    assert "C9.9" in slot(html, f"r{n}-competence") and slot(html, f"r{n}-weight") == ""  # not the scenario's
    values[f"r{n}-competence"] = before[0]["competence"]
    html = send(trainer, draft_id, "grid", values).get_data(as_text=True)
    assert 'id="part-valid"' in html
    assert yaml.safe_load(stored(app, draft_id))["grid"][n]["weight"] == 2.5

    values["up"] = str(n)
    send(trainer, draft_id, "grid", values, htmx=False)
    assert [row["id"] for row in yaml.safe_load(stored(app, draft_id))["grid"]][-2:] == ["g9", before[-1]["id"]]
    values = fields(open_part(trainer, draft_id, "grid"))
    values["remove"] = str(n - 1)
    send(trainer, draft_id, "grid", values, htmx=False)
    assert yaml.safe_load(stored(app, draft_id))["grid"] == before


def test_a_dialogue_is_written_state_by_state_and_a_reply_to_nowhere_is_told_beside_it(app, trainer):
    draft_id = new_draft(trainer, "B1-E2")
    assert 'id="tab-states"' in trainer.get(f"/trainer/drafts/{draft_id}").get_data(as_text=True)
    page = open_part(trainer, draft_id, "states")
    assert 'id="part-empty"' in page
    values = fields(page)
    send(trainer, draft_id, "states", {**values, "add": "1"}, htmx=False)
    send(trainer, draft_id, "states", {**fields(open_part(trainer, draft_id, "states")), "add": "1"}, htmx=False)
    values = fields(open_part(trainer, draft_id, "states"))
    values.update({"r0-id": "accueil", "r0-say": "Bonjour, que me proposez-vous ?",
                   "r0-fallback": "Je ne vois pas.", "r1-id": "fin", "r1-say": "Merci.", "r1-final": "on"})
    html = send(trainer, draft_id, "states", values).get_data(as_text=True)
    assert "<code>interlocutor.dialogue.start</code>" in html  # no first state yet: told, though elsewhere
    dialogue = fields(open_part(trainer, draft_id, "dialogue"))
    dialogue["f-start"] = "accueil"
    html = send(trainer, draft_id, "dialogue", dialogue).get_data(as_text=True)
    assert "final state can be reached" in slot(html, "f-start") and slot(html, "part") == ""
    assert "<code>interlocutor.dialogue.states.accueil</code>" in html  # no reply leads on from it yet: elsewhere

    opened = send(trainer, draft_id, "states", {**fields(open_part(trainer, draft_id, "states")), "open": "0"},
                  htmx=False)  # the row is saved, then its replies open
    url = f"/trainer/drafts/{draft_id}/parts/replies/accueil"
    assert opened.status_code == 302 and opened.headers["Location"].endswith(url)
    page = trainer.get(url).get_data(as_text=True)
    trainer.client.post(url, data={**fields(page), "add": "1", "csrf_token": trainer.token})
    values = fields(trainer.get(url).get_data(as_text=True))
    values.update({"r0-match": 'besoin, attente, "8,9"', "r0-goto": "nulle-part", "r0-evidence": "g1"})
    html = trainer.client.post(url, data={**values, "csrf_token": trainer.token}, headers=HTMX).get_data(as_text=True)
    assert "nulle-part" in slot(html, "r0-goto")
    values["r0-goto"] = "fin"
    html = trainer.client.post(url, data={**values, "csrf_token": trainer.token}, headers=HTMX).get_data(as_text=True)
    assert 'id="part-valid"' in html
    states = yaml.safe_load(stored(app, draft_id))["interlocutor"]["dialogue"]["states"]
    assert states["accueil"]["replies"] == [{"match": ["besoin", "attente", "8,9"], "goto": "fin", "evidence": ["g1"]}]
    assert states["accueil"]["fallback"] == "Je ne vois pas." and states["fin"] == {"say": "Merci.", "final": True}
    assert 'value="besoin, attente, &#34;8,9&#34;"' in trainer.get(url).get_data(as_text=True)  # shown as typed

    values = fields(open_part(trainer, draft_id, "states"))  # renaming a state keeps its replies
    values["r0-id"] = "bonjour"
    dialogue["f-start"] = "bonjour"
    send(trainer, draft_id, "states", values)
    send(trainer, draft_id, "dialogue", dialogue)
    states = yaml.safe_load(stored(app, draft_id))["interlocutor"]["dialogue"]["states"]
    assert list(states) == ["bonjour", "fin"] and states["bonjour"]["replies"][0]["goto"] == "fin"
    assert trainer.get(f"/trainer/drafts/{draft_id}/parts/replies/accueil").status_code == 404


def test_a_text_that_does_not_parse_is_sent_back_to_the_text_tab_and_is_not_touched(app, trainer, as_role):
    draft_id = new_draft(trainer, "B1-E1")
    type_text(trainer, draft_id, "title: [oubli\n")
    page = trainer.get(f"/trainer/drafts/{draft_id}/parts/grid")
    assert page.status_code == 422 and "YAML" in page.get_data(as_text=True)
    refused = send(trainer, draft_id, "grid", {"r0-from": "0", "r0-id": "g1"})
    assert refused.status_code == 422 and stored(app, draft_id) == "title: [oubli\n"
    assert trainer.get(f"/trainer/drafts/{draft_id}/parts/nothing").status_code == 404
    assert as_role("admin").get(f"/trainer/drafts/{draft_id}/parts/grid").status_code == 404  # the author's own
    no_token = trainer.client.post(f"/trainer/drafts/{draft_id}/parts/grid", data={"r0-from": "0"})
    assert no_token.status_code == 400 and stored(app, draft_id) == "title: [oubli\n"

