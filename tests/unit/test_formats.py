"""Every validation message names the file, the line or field, what was found and what was expected."""
from pathlib import Path

import pytest

from simulator.formats import FormatError, load_tree, validate_paths
from simulator.formats.common import normalise_code
from tests.helpers import doc_examples, write_example_tree


@pytest.fixture
def tree(tmp_path) -> Path:
    return write_example_tree(tmp_path / "scenarios")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(tree: Path) -> list:
    with pytest.raises(FormatError) as caught:
        load_tree(tree)
    return caught.value.problems


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_the_documented_examples_are_valid(tree):
    files = load_tree(tree)
    assert [(f.kind, f.model.id) for f in files] == [
        ("referentiel", "demo"), ("scenario", "demo-b1-etude-de-cas"), ("scenario", "demo-b1-jeu-de-role")]
    assert len(doc_examples()) == 3


def test_criterion_naming_a_competence_the_referentiel_lacks(tree):
    scenario = tree / "demo" / "demo-b1-etude-de-cas.yaml"
    edit(scenario, "  - id: g2\n    competence: B1-C3", "  - id: g2\n    competence: C9.9")
    [problem, *_] = problems_of(tree)
    assert problem.path.endswith("demo/demo-b1-etude-de-cas.yaml")
    assert problem.field == "grid[1].competence"
    assert problem.line == line_of(scenario, "competence: C9.9")
    assert "'C9.9'" in problem.found and "compétence of the référentiel demo" in problem.expected


def test_duration_that_is_not_a_duration(tree):
    scenario = tree / "demo" / "demo-b1-etude-de-cas.yaml"
    edit(scenario, "duration: 3h30 ", "duration: 3 heures et demie ")
    [problem] = problems_of(tree)
    assert problem.field == "duration" and problem.line == line_of(scenario, "3 heures et demie")
    assert "3 heures et demie" in problem.found
    assert 'such as "5h", "3h30", "20 min"' in problem.expected


def test_missing_candidate_brief(tree):
    scenario = tree / "demo" / "demo-b1-jeu-de-role.yaml"
    edit(scenario, "candidate_brief: Vous rencontrez Mme Ferreira, acheteuse. Vous avez 20 minutes.\n", "")
    [problem] = problems_of(tree)
    assert problem.field == "candidate_brief"
    assert problem.found == "nothing" and "required" in problem.expected


def test_empty_candidate_brief_is_missing_too(tree):
    edit(tree / "demo" / "demo-b1-jeu-de-role.yaml", "candidate_brief: Vous rencontrez", "candidate_brief: ''\nx_: Vous rencontrez")
    fields = {p.field for p in problems_of(tree)}
    assert "candidate_brief" in fields and "x_" in fields


def test_duplicate_scenario_id(tree):
    copy = tree / "demo" / "copie.yaml"
    copy.write_text((tree / "demo" / "demo-b1-etude-de-cas.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    [problem] = problems_of(tree)
    assert problem.field == "id" and problem.path.endswith("demo/demo-b1-etude-de-cas.yaml")
    assert "already used by" in problem.expected and "copie.yaml" in problem.expected


def test_duplicate_competence_code(tree):
    referentiel = tree / "referentiels" / "demo.yaml"
    edit(referentiel, "- code: C1.2", "- code: C1.1")
    problems = problems_of(tree)
    assert any(p.field == "blocs[0].competences[1].code" and "duplicate" in p.expected for p in problems)


def test_duplicate_key_in_a_mapping(tree):
    scenario = tree / "demo" / "demo-b1-etude-de-cas.yaml"
    edit(scenario, "kind: written_case_study\n", "kind: written_case_study\nkind: role_play\n")
    [problem] = problems_of(tree)
    assert problem.field == "kind" and problem.line == line_of(scenario, "kind: role_play")
    assert "a second time" in problem.found


def test_yaml_that_does_not_parse(tree):
    scenario = tree / "demo" / "demo-b1-etude-de-cas.yaml"
    edit(scenario, "title: Proposition commerciale pour Atelier Lumen", "title: [Proposition commerciale")
    [problem] = problems_of(tree)
    assert problem.path.endswith("demo-b1-etude-de-cas.yaml") and problem.line is not None
    assert "YAML that does not parse" in problem.found and "valid YAML" in problem.expected


def test_unknown_kind(tree):
    scenario = tree / "demo" / "demo-b1-etude-de-cas.yaml"
    edit(scenario, "kind: written_case_study", "kind: quiz")
    [problem] = problems_of(tree)
    assert problem.field == "kind" and problem.line == line_of(scenario, "kind: quiz")
    assert "'quiz'" in problem.found and "written_case_study" in problem.expected and "role_play" in problem.expected


def test_unknown_field_is_a_typo_not_a_default(tree):
    edit(tree / "demo" / "demo-b1-etude-de-cas.yaml", "jury_notes:", "jury_note:")
    [problem] = problems_of(tree)
    assert problem.field == "jury_note" and "unknown field" in problem.found


def test_unknown_format(tree):
    edit(tree / "demo" / "demo-b1-etude-de-cas.yaml", "format: scenario/1", "format: scenario/9")
    [problem] = problems_of(tree)
    assert problem.field == "format" and "referentiel/1 or format: scenario/1" in problem.expected


def test_modality_that_the_referentiel_lacks(tree):
    edit(tree / "demo" / "demo-b1-etude-de-cas.yaml", "modality: B1-E1 ", "modality: B7-E1 ")
    problems = problems_of(tree)
    assert any(p.field == "modality" and "B1-E1, B1-E2" in p.expected for p in problems)


def test_attachment_missing(tree):
    (tree / "demo" / "files" / "tarifs.csv").unlink()
    [problem] = problems_of(tree)
    assert problem.field == "documents[1].file" and "beside the scenario" in problem.expected


def test_attachment_outside_the_folder_is_refused(tree):
    edit(tree / "demo" / "demo-b1-etude-de-cas.yaml", "file: files/tarifs.csv", "file: ../../../etc/passwd")
    [problem] = problems_of(tree)
    assert problem.field == "documents[1].file"


def test_dialogue_goes_to_a_state_that_does_not_exist(tree):
    edit(tree / "demo" / "demo-b1-jeu-de-role.yaml", "goto: besoins", "goto: conclusion")
    [problem] = problems_of(tree)
    assert problem.field == "interlocutor.dialogue.states.accueil.replies[0].goto"


def test_negotiation_opening_beyond_the_limit(tree):
    edit(tree / "demo" / "demo-b1-jeu-de-role.yaml", "opening: 80, target: 90, limit: 95", "opening: 99, target: 90, limit: 95")
    [problem] = problems_of(tree)
    assert problem.field == "interlocutor.negotiation[0]" and "opening <= limit" in problem.expected


def test_every_problem_is_reported_at_once(tree):
    edit(tree / "demo" / "demo-b1-etude-de-cas.yaml", "kind: written_case_study", "kind: quiz")
    edit(tree / "demo" / "demo-b1-jeu-de-role.yaml", "duration: 20 min", "duration: vingt minutes")
    assert len(problems_of(tree)) == 2


def test_a_competence_without_grid_criterion(tree):
    edit(tree / "demo" / "demo-b1-etude-de-cas.yaml", "  - id: g2\n    competence: B1-C3", "  - id: g2\n    competence: C1.1")
    problems = problems_of(tree)
    assert any(p.field == "competences[1]" and "at least one grid criterion" in p.expected for p in problems)


def test_validating_one_file_uses_the_referentiels_of_the_tree(tree):
    [loaded] = validate_paths([tree / "demo" / "demo-b1-jeu-de-role.yaml"], tree)
    assert loaded.model.id == "demo-b1-jeu-de-role"


def test_problem_reads_as_one_line(tree):
    edit(tree / "demo" / "demo-b1-etude-de-cas.yaml", "kind: written_case_study", "kind: quiz")
    [problem] = problems_of(tree)
    assert str(problem).startswith(f"scenarios/demo/demo-b1-etude-de-cas.yaml:{problem.line} [kind]: found 'quiz'; expected ")


@pytest.mark.parametrize("printed, code", [("C.1.1.", "C1.1"), ("Cl1.4", "C1.4"), ("C 11", "C11"), ("C3.6", "C3.6"), ("c.2.3", "C2.3")])
def test_printed_codes_are_normalised(printed, code):
    assert normalise_code(printed) == code


def test_overlapping_paths_are_validated_once(tree):
    files = validate_paths([tree / "referentiels", tree], tree)
    assert sorted(f.model.id for f in files) == ["demo", "demo-b1-etude-de-cas", "demo-b1-jeu-de-role"]
