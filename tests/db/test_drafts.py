"""Scenarios written in the browser: a draft from any modality is a valid scenario at once; every library
scenario edited in the browser and published gives back, exported, the text that was edited."""
import json
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from simulator.catalogue import load_files
from simulator.extensions import db
from simulator.formats import FormatError, load_tree
from simulator.referentiels.models import Certification
from simulator.scenarios import drafts, transfer
from simulator.scenarios.models import Scenario, ScenarioDraft
from tests.exam_helpers import user
from tests.test_library import SCENARIOS

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def library(app, users):
    with app.app_context():
        load_files(load_tree(SCENARIOS))
        db.session.commit()
        yield


def test_a_draft_from_any_modality_of_the_library_is_a_valid_scenario(library):
    trainer = user("trainer@test.fr")
    checked = 0
    for certification in db.session.scalars(select(Certification)):
        for modality in certification.document["modalities"]:
            draft = drafts.start_from_modality(certification, modality["id"], by=trainer, now=NOW)
            loaded, problems = drafts.check(draft)
            assert problems == [], f"{certification.slug} {modality['id']}: {[str(p) for p in problems]}"
            assert loaded.model.modality == modality["id"] and set(loaded.model.competences) == set(modality["competences"])
            checked += 1
    assert checked >= 52


def test_every_library_scenario_edited_in_the_browser_and_exported_is_the_edited_file(library):
    trainer = user("trainer@test.fr")
    scenarios = db.session.scalars(select(Scenario).order_by(Scenario.slug)).all()
    assert len(scenarios) >= 52
    for scenario in scenarios:
        version = scenario.latest
        draft = drafts.start_from_version(version, by=trainer, now=NOW)
        title = f"{version.document['title']} (révisé)"
        edited, count = re.subn(r"^title:.*(?:\n[ \t]+.*)*$", lambda _: f"title: {json.dumps(title, ensure_ascii=False)}",
                                version.source_text, count=1, flags=re.M)
        assert count == 1, scenario.slug
        drafts.save(draft, edited, now=NOW)
        assert drafts.publish(draft) == (scenario.slug, "new_version", version.number + 1)
        db.session.refresh(scenario)
        assert scenario.latest.document["title"] == title
        assert transfer.exported(scenario.latest) == edited  # exported, the file is the one edited
        assert scenario.versions[-2].document == version.document  # the earlier version is untouched
    db.session.commit()


def test_a_draft_keeps_what_was_typed_even_when_it_is_invalid_and_refuses_to_publish_it(library):
    trainer = user("trainer@test.fr")
    version = db.session.scalars(select(Scenario).order_by(Scenario.slug)).first().latest
    draft = drafts.start_from_version(version, by=trainer, now=NOW)
    broken = version.source_text.replace("duration:", "duration: trois heures #", 1)
    drafts.save(draft, broken, now=NOW)
    loaded, problems = drafts.check(draft)
    assert loaded is None and any(p.field == "duration" for p in problems)
    with pytest.raises(FormatError):
        drafts.publish(draft)
    db.session.commit()
    assert db.session.get(ScenarioDraft, draft.id).text == broken
    assert len(version.scenario.versions) == 1
