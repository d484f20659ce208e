"""Loading is idempotent; a changed scenario becomes a new version; bad files load nothing."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from simulator.catalogue import load_files
from simulator.extensions import db
from simulator.formats import FormatError, load_tree
from simulator.referentiels.models import Certification, Competence, Criterion, Modality
from simulator.scenarios.models import Scenario, ScenarioAsset, ScenarioVersion
from tests.helpers import write_example_tree


@pytest.fixture
def tree(tmp_path) -> Path:
    return write_example_tree(tmp_path / "scenarios")


def load(app, tree):
    with app.app_context():
        report = load_files(load_tree(tree))
        db.session.commit()
        return report


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_first_load_creates_everything(app, tree):
    report = load(app, tree)
    assert report == [("referentiel", "demo", "created"), ("scenario", "demo-b1-etude-de-cas", "created (v1)"),
                      ("scenario", "demo-b1-jeu-de-role", "created (v1)")]
    assert count(app, Competence) == 3 and count(app, Modality) == 2 and count(app, Criterion) == 3
    with app.app_context():
        asset = db.session.scalars(select(ScenarioAsset)).one()
        assert asset.filename == "tarifs.csv" and asset.content.startswith(b"reference;prix")


def test_loading_twice_changes_nothing(app, tree):
    load(app, tree)
    report = load(app, tree)
    assert {status for *_, status in report} == {"unchanged"}
    assert count(app, ScenarioVersion) == 2 and count(app, Certification) == 1


def test_a_changed_scenario_becomes_a_new_version_and_the_old_one_is_kept(app, tree):
    load(app, tree)
    path = tree / "demo" / "demo-b1-etude-de-cas.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("duration: 3h30 ", "duration: 4h "), encoding="utf-8")
    report = load(app, tree)
    assert ("scenario", "demo-b1-etude-de-cas", "new_version (v2)") in report
    assert ("scenario", "demo-b1-jeu-de-role", "unchanged") in report
    with app.app_context():
        scenario = db.session.scalars(select(Scenario).filter_by(slug="demo-b1-etude-de-cas")).one()
        assert [(v.number, v.duration_seconds) for v in scenario.versions] == [(1, 12600), (2, 14400)]


def test_a_changed_attachment_makes_a_new_version(app, tree):
    load(app, tree)
    (tree / "demo" / "files" / "tarifs.csv").write_text("reference;prix\nLUM-01;125\n", encoding="utf-8")
    report = load(app, tree)
    assert ("scenario", "demo-b1-etude-de-cas", "new_version (v2)") in report
    with app.app_context():
        contents = sorted(a.content for a in db.session.scalars(select(ScenarioAsset)))
    assert contents == [b"reference;prix\nLUM-01;120\n", b"reference;prix\nLUM-01;125\n"]


def test_whitespace_and_comments_do_not_make_a_new_version(app, tree):
    load(app, tree)
    path = tree / "demo" / "demo-b1-etude-de-cas.yaml"
    path.write_text("# relu le 23/11\n" + path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    assert ("scenario", "demo-b1-etude-de-cas", "unchanged") in load(app, tree)


def test_an_updated_referentiel_keeps_its_rows_and_applies_the_change(app, tree):
    load(app, tree)
    with app.app_context():
        before = db.session.scalars(select(Competence).filter_by(code="C1.1")).one().id
    path = tree / "referentiels" / "demo.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Analyser le besoin du client afin", "Analyser finement le besoin du client afin")
    text = text.replace("        text: Le plan de suivi est réaliste et daté.\n",
                        "        text: Le plan de suivi est réaliste et daté.\n"
                        "      - id: B1-E1-03\n        competence: C1.1\n        text: Les besoins implicites sont repérés.\n")
    path.write_text(text, encoding="utf-8")
    assert ("referentiel", "demo", "updated") in load(app, tree)
    with app.app_context():
        competence = db.session.scalars(select(Competence).filter_by(code="C1.1")).one()
        assert competence.id == before and competence.text.startswith("Analyser finement")
    assert count(app, Criterion) == 4


def test_a_broken_tree_loads_nothing(app, tree):
    path = tree / "demo" / "demo-b1-jeu-de-role.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("duration: 20 min", "duration: bientôt"), encoding="utf-8")
    with pytest.raises(FormatError):
        load(app, tree)
    assert count(app, Certification) == 0 and count(app, Scenario) == 0
