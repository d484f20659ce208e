"""The référentiels and scenario library shipped under scenarios/: all valid, complete, covered."""
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from simulator.formats import load_tree
from simulator.referentiels.coverage import ScenarioSummary, compute_coverage

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

# Counts established by reading each document (see docs/referentiels/<id>.md).
EXPECTED = {
    # id: (source document in ../shared/seeds, blocs, compétences, modalities, critères)
    "manager-strategie-commerciale": ("000_e3301a97ca54aa46.txt", 6, 39, 10, 70),
    "developpement-commercial": ("001_463d284be54cc5bf.txt", 5, 45, 7, 41),
    "responsable-management-operationnel": ("002_70fffe446e5ac04d.txt", 5, 29, 14, 90),
    "attache-commercial": ("003_266c540e97619f11.txt", 3, 22, 7, 58),
    "manager-grands-comptes": ("004_9498ff3de11fed08.txt", 4, 18, 14, 60),
}


@pytest.fixture(scope="module")
def library():
    files = load_tree(SCENARIOS)  # fails with every problem listed if any file is invalid
    referentiels = {f.model.id: f for f in files if f.kind == "referentiel"}
    scenarios = [f for f in files if f.kind == "scenario"]
    return referentiels, scenarios


def test_every_file_under_scenarios_validates(library):
    referentiels, scenarios = library
    assert set(referentiels) == set(EXPECTED)
    assert len(scenarios) >= sum(count[3] for count in EXPECTED.values())


@pytest.mark.parametrize("ident", sorted(EXPECTED))
def test_referentiel_counts_match_the_document(library, ident):
    source, blocs, competences, modalities, criteria = EXPECTED[ident]
    ref = library[0][ident].model
    assert ref.certification.source == source
    assert len(ref.blocs) == blocs
    assert sum(len(b.competences) for b in ref.blocs) == competences
    assert len(ref.modalities) == modalities
    assert sum(len(m.criteria) for m in ref.modalities) == criteria


def _summaries(scenarios, ident):
    return [ScenarioSummary(s.model.id, s.model.title, s.model.modality, tuple(s.model.competences),
                            tuple(g.criterion for g in s.model.grid if g.criterion))
            for s in scenarios if s.model.referentiel == ident]


@pytest.mark.parametrize("ident", sorted(EXPECTED))
def test_every_modality_has_a_scenario_and_every_competence_is_assessed(library, ident):
    referentiels, scenarios = library
    coverage = compute_coverage(referentiels[ident].content(), _summaries(scenarios, ident))
    assert coverage.modalities_without_scenario == []
    assert [row.code for row in coverage.uncovered] == []
    assert coverage.unused_criteria == []


def test_role_plays_have_a_persona_with_objections(library):
    for loaded in library[1]:
        scenario = loaded.model
        if scenario.kind == "role_play":
            persona = scenario.interlocutor.persona
            assert persona.wants and persona.objections, scenario.id
            assert scenario.jury_notes, scenario.id


def test_the_whole_library_loads_and_every_scenario_opens_in_the_preview(app, as_role):
    from simulator.catalogue import load_files
    from simulator.extensions import db

    with app.app_context():
        report = load_files(load_tree(SCENARIOS))
        db.session.commit()
    trainer = as_role("trainer")
    for kind, ident, _ in report:
        url = f"/trainer/referentiels/{ident}" if kind == "referentiel" else f"/trainer/scenarios/{ident}/preview"
        response = trainer.get(url)
        assert response.status_code == 200, url
    for ident in EXPECTED:
        html = trainer.get(f"/trainer/referentiels/{ident}/coverage").get_data(as_text=True)
        assert "Chaque compétence est évaluée par au moins un scénario." in html, ident


def _as_moodle_reads_it(text: str) -> tuple[dict, dict]:
    """What tool_lpimportcsv's framework_importer does with the file: the framework row, then the flat list of
    competencies by ID number, each under the parent it names ('' is the framework)."""
    import csv
    import io
    import json

    from simulator.referentiels.moodle import HEADERS

    table = list(csv.reader(io.StringIO(text)))
    assert tuple(table[0]) == HEADERS
    frameworks = [row for row in table[1:] if row[12]]
    assert len(frameworks) == 1
    framework = frameworks[0]
    config = json.loads(framework[6])
    assert "scaleid" in config[0] and sum(v["scaledefault"] for v in config[1:]) == 1
    assert any(v["proficient"] for v in config[1:]) and len(config) - 1 == len(framework[5].split(","))
    flat = {}
    for row in table[1:]:
        if row[12]:
            continue
        assert len(row) == len(HEADERS) and row[1] and row[2] and len(row[2]) <= 100
        assert row[1] not in flat, f"ID number {row[1]} twice"
        flat[row[1]] = row
    for row in flat.values():
        assert row[0] == "" or row[0] in flat, f"{row[1]} names a parent {row[0]} that is not in the file"
    return framework, flat


def test_every_referentiel_exports_as_a_moodle_competency_framework(app, as_role):
    from simulator.catalogue import load_files
    from simulator.extensions import db
    from simulator.referentiels.models import Certification

    with app.app_context():
        load_files(load_tree(SCENARIOS))
        db.session.commit()
        expected = {c.slug: (len(c.blocs), sum(len(b.competences) for b in c.blocs),
                             sum(len(m.criteria) for m in c.modalities))
                    for c in db.session.scalars(select(Certification))}
    trainer = as_role("trainer")
    for ident in EXPECTED:
        assert 'id="moodle-export"' in trainer.get(f"/trainer/referentiels/{ident}").get_data(as_text=True)
        response = trainer.get(f"/trainer/referentiels/{ident}/moodle.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"] == f'attachment; filename="{ident}-moodle.csv"'
        framework, flat = _as_moodle_reads_it(response.get_data(as_text=True))
        blocs = [r for r in flat.values() if r[0] == ""]
        competences = [r for r in flat.values() if r[0] in {b[1] for b in blocs}]
        criteria = [r for r in flat.values() if r[0] in {c[1] for c in competences}]
        assert (len(blocs), len(competences), len(criteria)) == expected[ident], ident
        assert framework[13] == "domain,competency,indicator" and framework[5] == "Non acquis,Acquis"


def test_every_scenario_exported_and_imported_again_is_the_same_version(app, as_role):
    from simulator.catalogue import load_files
    from simulator.extensions import db
    from simulator.scenarios.models import Scenario, ScenarioVersion

    with app.app_context():
        load_files(load_tree(SCENARIOS))
        db.session.commit()
        scenarios = [(s.slug, s.latest.number, [(a.document_id, a.filename) for a in s.latest.assets])
                     for s in db.session.scalars(select(Scenario))]
        versions = db.session.scalar(select(func.count()).select_from(ScenarioVersion))
    trainer = as_role("trainer")
    for slug, number, assets in scenarios:
        exported = trainer.get(f"/trainer/scenarios/{slug}/v{number}/scenario.yaml")
        assert exported.status_code == 200 and exported.headers["Content-Disposition"].endswith(f'{slug}.yaml"')
        files = [(io.BytesIO(trainer.get(f"/trainer/scenarios/{slug}/v{number}/files/{doc}").data), name)
                 for doc, name in assets]
        trainer.get("/trainer/scenarios/import")
        response = trainer.post("/trainer/scenarios/import", {"scenario": (io.BytesIO(exported.data), f"{slug}.yaml"),
                                                              "attachments": files},
                                content_type="multipart/form-data", follow_redirects=True)
        assert response.status_code == 200 and f"Scénario {slug} : inchangé, toujours la version {number}." \
            in response.get_data(as_text=True), slug
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == versions
