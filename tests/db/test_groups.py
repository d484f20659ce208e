"""Group work: forming groups, one clock, conflicts that lose nothing, contributions, one hand-in, per-member
grading. The clock is passed in."""
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from simulator.exams import services
from simulator.exams.errors import AlreadyHandedIn, GroupError, SaveConflict
from simulator.exams.models import AuditEvent, DraftSave, ExamGroup, HandIn
from simulator.exams.timing import GRACE
from simulator.extensions import db
from simulator.grading import services as grading
from simulator.grading.models import Production
from simulator.groups import services as groups
from tests.exam_helpers import T0, race, user
from tests.grading_helpers import evaluator
from tests.helpers import xlsx_bytes
from tests.group_helpers import MEMBERS, group_session, load_group_scenario, start_all

EXAM = 12600  # 3 h 30


@pytest.fixture
def ctx(app, users, tmp_path):
    with app.app_context():
        load_group_scenario(tmp_path)
        yield


@pytest.fixture
def trio(ctx):
    """Alice, Bruno and Chloé in group 1, all started at T0."""
    session = group_session(*MEMBERS)
    start_all(session)
    db.session.commit()
    return {a.candidate.email.split("@")[0]: a for a in session.attempts}


def test_groups_are_formed_even_within_the_scenario_sizes_and_members_move_before_they_start(ctx):
    emails = ("e1@test.fr", "e2@test.fr", "e3@test.fr", "e4@test.fr", "e5@test.fr")
    session = group_session(*emails)
    assert sorted(len(g.members) for g in session.groups) == [2, 3]
    trainer = user("trainer@test.fr")
    first, second = session.groups
    mover = first.members[0]
    with pytest.raises(GroupError):  # the first group is full
        groups.move(second.members[0], to=first.number, by=trainer, now=T0)
    assert len(first.members) == 3 and len(second.members) == 2
    warnings = groups.move(mover, to=0, by=trainer, now=T0)
    assert mover.group.number == 3
    assert len(warnings) == 1 and "3" in warnings[0]  # a group of one, below the scenario's two
    services.start_attempt(mover, sworn=True, now=T0)
    with pytest.raises(GroupError):  # started: no longer moved
        groups.move(mover, to=second.number, by=trainer, now=T0)
    assert mover.group.number == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "group_member_moved")) == 1


def test_an_individual_scenario_has_no_groups(app, users, loaded):
    from tests.exam_helpers import schedule

    with app.app_context():
        session = schedule()
        with pytest.raises(GroupError):
            groups.form_groups(session, by=user("trainer@test.fr"), now=T0)


def test_the_group_has_one_clock_and_an_accommodated_member_is_never_cut_short(ctx):
    session = group_session(*MEMBERS)
    alice, bruno, chloe = session.attempts
    services.start_attempt(alice, sworn=True, now=T0)
    assert alice.deadline_at == T0 + timedelta(seconds=EXAM)
    services.start_attempt(bruno, sworn=True, now=T0 + timedelta(minutes=20))  # joins the running clock
    assert bruno.deadline_at == alice.deadline_at == T0 + timedelta(seconds=EXAM)
    # Chloé's tiers-temps, set during the exam: the whole group's work runs until her time is up.
    services.set_accommodation(candidate=chloe.candidate, fraction=Fraction(1, 3), minutes=0, note=None,
                               by=user("admin@test.fr"), now=T0 + timedelta(minutes=30))
    expected = T0 + timedelta(seconds=EXAM * 4 // 3)
    assert alice.group.deadline_at == alice.deadline_at == bruno.deadline_at == expected
    services.start_attempt(chloe, sworn=True, now=T0 + timedelta(hours=1))
    assert chloe.deadline_at == expected
    assert services.time_allowed(alice) == services.time_allowed(chloe) == EXAM * 4 // 3


def test_two_members_saving_the_same_answer_from_one_revision_lose_nothing(trio):
    alice, bruno = trio["alice"], trio["bruno"]
    first = services.save_text(alice, deliverable_id="analyse", content="Texte d'Alice", author=alice.candidate,
                               now=T0, base=0)
    assert first.revision == 1
    with pytest.raises(SaveConflict) as conflict:
        services.save_text(bruno, deliverable_id="analyse", content="Texte de Bruno", author=bruno.candidate,
                           now=T0 + timedelta(seconds=5), base=0)
    assert conflict.value.head.content == "Texte d'Alice"
    db.session.commit()
    kept = dict(db.session.execute(select(DraftSave.content, DraftSave.revision)).all())
    assert kept == {"Texte d'Alice": 1, "Texte de Bruno": None}  # both texts kept; Alice's stands
    assert services.latest_texts(bruno)["analyse"].content == "Texte d'Alice"
    merged = services.save_text(bruno, deliverable_id="analyse", content="Texte d'Alice et de Bruno",
                                author=bruno.candidate, now=T0 + timedelta(seconds=30), base=1)
    assert merged.revision == 2
    again = services.save_text(bruno, deliverable_id="analyse", content="Texte d'Alice et de Bruno",
                               author=bruno.candidate, now=T0 + timedelta(seconds=31), base=1)
    assert again.id == merged.id  # a retried save is not stored twice
    assert db.session.scalar(select(func.count()).select_from(DraftSave)) == 3


def test_a_stale_window_of_one_candidate_conflicts_instead_of_overwriting(ctx):
    session = group_session("solo@test.fr")
    attempt = session.attempts[0]
    groups.move(attempt, to=None, by=user("trainer@test.fr"), now=T0)  # works alone
    services.start_attempt(attempt, sworn=True, now=T0)
    services.save_text(attempt, deliverable_id="analyse", content="fenêtre 1", author=attempt.candidate, now=T0, base=0)
    with pytest.raises(SaveConflict):
        services.save_text(attempt, deliverable_id="analyse", content="fenêtre 2", author=attempt.candidate,
                           now=T0, base=0)
    assert services.latest_texts(attempt)["analyse"].content == "fenêtre 1"


def test_contributions_count_what_each_member_wrote_and_uploaded(trio):
    alice, bruno = trio["alice"], trio["bruno"]
    services.save_text(alice, deliverable_id="analyse", content="Bonjour", author=alice.candidate, now=T0, base=0)
    services.save_text(bruno, deliverable_id="analyse", content="Bonjour le monde", author=bruno.candidate,
                       now=T0 + timedelta(hours=3), base=1)
    services.save_upload(trio["chloe"], deliverable_id="chiffrage", filename="chiffrage.xlsx", data=xlsx_bytes(),
                         author=trio["chloe"].candidate, now=T0 + timedelta(hours=1))
    receipt = services.hand_in(alice, now=T0 + timedelta(hours=3, minutes=10), automatic=False,
                               actor_id=alice.candidate_id)
    part = receipt.snapshot["group"]
    assert part["members"][str(alice.id)]["parts"]["analyse"]["added"] == 7
    assert part["members"][str(bruno.id)]["parts"]["analyse"]["added"] == 9
    assert part["members"][str(bruno.id)]["parts"]["analyse"]["tenths"][8] == 1  # 3 h of 3 h 30: the 9th tenth
    chloe = part["members"][str(trio["chloe"].id)]
    assert chloe["parts"] == {} and [(u["filename"], u["tenth"]) for u in chloe["uploads"]] == [("chiffrage.xlsx", 2)]
    assert receipt.snapshot["files"]["chiffrage"]["filename"] == "chiffrage.xlsx"  # the group's file, Chloé's upload
    assert part["authorship"]["analyse"] == [[alice.id, 7], [bruno.id, 9]]
    assert "T" not in str(part)  # no clock time in what the jury reads


def test_the_group_hands_in_once_for_every_member_who_started_and_an_absent_member_blocks_nobody(ctx):
    session = group_session(*MEMBERS)
    alice, bruno, chloe = session.attempts
    services.start_attempt(alice, sworn=True, now=T0)
    services.start_attempt(bruno, sworn=True, now=T0)
    services.save_text(bruno, deliverable_id="analyse", content="Notre analyse", author=bruno.candidate, now=T0)
    services.hand_in(alice, now=T0 + timedelta(hours=1), automatic=False, actor_id=alice.candidate_id)
    db.session.commit()
    receipts = db.session.scalars(select(HandIn).order_by(HandIn.attempt_id)).all()
    assert [r.attempt_id for r in receipts] == [alice.id, bruno.id]
    assert {r.snapshot["texts"]["analyse"] for r in receipts} == {"Notre analyse"}
    assert receipts[0].snapshot["group"]["absent"] == [chloe.id]
    assert alice.group.status == "handed_in" and chloe.status == "scheduled"
    with pytest.raises(AlreadyHandedIn):
        services.hand_in(bruno, now=T0 + timedelta(hours=1), automatic=False, actor_id=bruno.candidate_id)
    with pytest.raises(AlreadyHandedIn):
        services.start_attempt(chloe, sworn=True, now=T0 + timedelta(hours=2))


def _race(app, attempt_ids: list[int], work) -> list:
    return race(app, [(attempt_id, work) for attempt_id in attempt_ids])


def test_the_whole_group_handing_in_at_once_makes_exactly_one_hand_in(app, trio):
    ids = [a.id for a in trio.values()] * 3
    db.session.commit()
    outcomes = _race(app, ids, lambda a: services.hand_in(a, now=T0 + timedelta(hours=1), automatic=False,
                                                          actor_id=a.candidate_id))
    assert len(outcomes) == 9
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(HandIn)) == 3  # one per member
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "group_handed_in")) == 1
    assert len({r.snapshot["texts"].get("analyse") for r in db.session.scalars(select(HandIn))}) == 1


def test_members_handing_in_at_expiry_racing_the_expiry_command_make_exactly_one_hand_in(app, trio):
    late = trio["alice"].deadline_at + GRACE + timedelta(seconds=5)
    ids = [a.id for a in trio.values()] * 2
    db.session.commit()
    _race(app, ids, lambda a: services.finalise_expired(late) if a.id % 2 else
          services.hand_in(a, now=late, automatic=False, actor_id=a.candidate_id))
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(HandIn)) == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "group_handed_in")) == 1
    assert db.session.scalar(select(func.count()).select_from(ExamGroup).where(ExamGroup.status == "handed_in")) == 1


def test_members_are_graded_by_the_same_jury_and_shared_ratings_carry_over_but_not_per_member_ones(trio):
    for email in ("eva@test.fr", "paul@test.fr"):
        evaluator(email)
    alice = trio["alice"]
    services.save_text(alice, deliverable_id="analyse", content="Analyse commune", author=alice.candidate, now=T0)
    services.hand_in(alice, now=T0 + timedelta(hours=1), automatic=False, actor_id=alice.candidate_id)
    productions = db.session.scalars(select(Production).order_by(Production.attempt_id)).all()
    assert len(productions) == 3
    juries = [{(a.role, a.evaluator_id) for a in p.assignments} for p in productions]
    assert juries[0] == juries[1] == juries[2]
    seat = productions[0].assignments[0]
    grading.rate(seat, criterion_id="g1", value=2, comment="Bonne analyse du groupe", now=T0)
    grading.rate(seat, criterion_id="g2", value=3, comment="Alice a tout planifié", now=T0)
    assert grading.apply_to_group(seat, now=T0) == 2
    for other in grading.group_seats(seat):
        rows = {r.criterion_id: (r.value, r.comment) for r in other.ratings}
        assert rows == {"g1": (2, "Bonne analyse du groupe")}  # g2 is graded per member
    grading.rate(grading.group_seats(seat)[0], criterion_id="g1", value=1, comment="Moins impliqué", now=T0)
    assert {r.value for s in grading.group_seats(seat) for r in s.ratings if r.criterion_id == "g1"} == {1, 2}
