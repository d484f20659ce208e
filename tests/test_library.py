"""The référentiels and scenario library shipped under scenarios/: all valid, complete, covered."""
from pathlib import Path

import pytest

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
