"""The rules of routing, grading and validation, without the app."""
from hypothesis import given, strategies as st

from simulator.grading import rules
from simulator.grading.rules import Evaluator


def person(id, roles=("intervenant",), active=True, qualified=True, conflicted=False, load=0):
    return Evaluator(id=id, roles=frozenset(roles), active=active, qualified=qualified, conflicted=conflicted,
                     open_gradings=load)


def test_the_least_loaded_eligible_evaluator_gets_the_seat():
    pool = [person(1, load=3), person(2, load=1), person(3, load=2)]
    assert rules.pick("intervenant", pool, set()) == rules.Pick(2)


def test_ties_go_to_the_lowest_id_whatever_the_order():
    assert rules.pick("intervenant", [person(9), person(4), person(7)], set()).evaluator_id == 4


def test_role_qualification_availability_and_conflicts_each_exclude():
    pool = [person(1, roles=("professionnel",)), person(2, qualified=False), person(3, active=False),
            person(4, conflicted=True), person(5, load=10)]
    assert rules.pick("intervenant", pool, set()).evaluator_id == 5


def test_a_member_already_on_the_jury_does_not_take_a_second_seat():
    pool = [person(1, roles=("intervenant", "professionnel")), person(2, roles=("professionnel",), load=5)]
    assert rules.pick("professionnel", pool, {1}).evaluator_id == 2


def test_the_reason_names_the_first_filter_that_left_nobody():
    assert rules.pick("tuteur", [person(1)], set()).reason == rules.NO_ROLE
    assert rules.pick("intervenant", [person(1, qualified=False)], set()).reason == rules.NOT_QUALIFIED
    assert rules.pick("intervenant", [person(1, active=False)], set()).reason == rules.INACTIVE
    assert rules.pick("intervenant", [person(1, conflicted=True)], set()).reason == rules.CONFLICT
    assert rules.pick("intervenant", [person(1)], {1}).reason == rules.TOO_FEW
    assert rules.pick("intervenant", [], set()) == rules.Pick(None, rules.NO_ROLE)


@given(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 5), st.booleans()), min_size=1, max_size=12,
                unique_by=lambda t: t[0]))
def test_the_choice_is_eligible_minimal_and_independent_of_order(rows):
    pool = [person(i, load=load, active=active) for i, load, active in rows]
    chosen = rules.pick("intervenant", pool, set())
    assert chosen == rules.pick("intervenant", list(reversed(pool)), set())
    eligible = [e for e in pool if e.active]
    if not eligible:
        assert chosen.evaluator_id is None
    else:
        assert chosen.evaluator_id == min(eligible, key=lambda e: (e.open_gradings, e.id)).id


GRID = rules.Grid.from_document({
    "competences": ["C1", "C2"],
    "scales": [{"id": "s", "levels": [{"value": 0, "label": "Non acquis"}, {"value": 2, "label": "Acquis"}]},
               {"id": "points", "levels": [{"value": v, "label": str(v)} for v in range(0, 6)]}],
    "grid": [{"id": "g1", "competence": "C1", "scale": "s"}, {"id": "g2", "competence": "C2", "scale": "points"}]})


def test_only_levels_of_the_criterion_scale_are_allowed():
    assert GRID.allows("g1", 2) and GRID.allows("g2", 5) and GRID.allows("g2", 3.0)
    assert not GRID.allows("g1", 1) and not GRID.allows("g2", 6) and not GRID.allows("g9", 0)


def test_an_incomplete_grid_says_what_is_missing():
    gap = rules.missing(GRID, {"g1": 2, "g2": None}, {"C1": True}, "  ")
    assert gap.criteria == ("g2",) and gap.competences == ("C2",) and gap.overall_comment and gap
    assert not rules.missing(GRID, {"g1": 0, "g2": 4}, {"C1": False, "C2": True}, "Bien.")


def test_compare_proposes_where_the_jury_agrees_and_flags_where_it_differs():
    assert rules.compare([{"C1": True, "C2": False}, {"C1": True, "C2": True}], ["C1", "C2"]) == {"C1": True, "C2": None}


def test_a_bloc_is_validated_when_all_its_competences_are_even_across_scenarios():
    blocs = {"B1": ["C1", "C2"], "B2": ["C3"]}
    first = rules.progress(blocs, {"C1"})
    assert [b.validated for b in first] == [False, False] and first[0].count == 1
    later = rules.progress(blocs, {"C1", "C2"})
    assert [b.validated for b in later] == [True, False] and not rules.certified(later)
    assert rules.certified(rules.progress(blocs, {"C1", "C2", "C3", "C9"}))
    assert not rules.certified([])
