"""The promises of a timed exam, with a controlled clock: deadlines, saves, hand-in exactly once."""
from datetime import timedelta
from fractions import Fraction

import pytest
from sqlalchemy import func, select

from simulator.exams import services
from simulator.exams.errors import (
    AlreadyHandedIn, NotOpen, SaveRefused, ScheduleError, SwornStatementMissing, TooLong, UploadRefused,
)
from simulator.exams.models import Attempt, AuditEvent, DraftSave, HandIn, Upload
from simulator.exams.timing import GRACE
from simulator.extensions import db
from tests.exam_helpers import T0, race, schedule, user
from tests.helpers import xlsx_bytes

EXAM = 12600  # demo-b1-etude-de-cas: 3 h 30


@pytest.fixture
def ctx(app, users, loaded):
    with app.app_context():
        yield


@pytest.fixture
def started(ctx):
    session = schedule()
    attempt = session.attempts[0]
    services.start_attempt(attempt, sworn=True, now=T0)
    db.session.commit()
    return attempt


def test_starting_fixes_the_deadline_on_the_server(started):
    assert started.status == "in_progress"
    assert started.deadline_at == T0 + timedelta(seconds=EXAM)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "attempt_started")) == 1


def test_the_sworn_statement_is_required(ctx):
    attempt = schedule().attempts[0]
    with pytest.raises(SwornStatementMissing):
        services.start_attempt(attempt, sworn=False, now=T0)


def test_cannot_start_before_the_window_or_before_the_trainer_opens_a_together_session(ctx):
    attempt = schedule(mode="together").attempts[0]
    with pytest.raises(NotOpen):
        services.start_attempt(attempt, sworn=True, now=T0 - timedelta(minutes=5))
    with pytest.raises(NotOpen):
        services.start_attempt(attempt, sworn=True, now=T0 + timedelta(minutes=5))
    services.open_together(attempt.session, by=user("trainer@test.fr"), now=T0 + timedelta(minutes=5))
    services.start_attempt(attempt, sworn=True, now=T0 + timedelta(minutes=6))
    assert attempt.status == "in_progress"


def test_tiers_temps_and_minutes_stack_and_follow_a_change_mid_attempt(started):
    candidate = user("candidate@test.fr")
    services.set_accommodation(candidate=candidate, fraction=Fraction(1, 3), minutes=0, note=None,
                               by=user("admin@test.fr"), now=T0 + timedelta(hours=1))
    assert started.deadline_at == T0 + timedelta(seconds=EXAM + EXAM // 3)
    services.set_accommodation(candidate=candidate, fraction=Fraction(1, 3), minutes=20, note="PAP",
                               by=user("admin@test.fr"), now=T0 + timedelta(hours=2))
    assert started.deadline_at == T0 + timedelta(seconds=EXAM + EXAM // 3 + 1200)


def test_incident_time_needs_a_reason_and_moves_the_deadline(started):
    with pytest.raises(ScheduleError):
        services.grant_time(started, minutes=10, reason="  ", by=user("trainer@test.fr"), now=T0)
    services.grant_time(started, minutes=10, reason="Coupure de courant", by=user("trainer@test.fr"), now=T0)
    assert started.deadline_at == T0 + timedelta(seconds=EXAM + 600)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "time_granted")).one()
    assert event.details == {"minutes": 10, "reason": "Coupure de courant"}


def test_the_window_never_cuts_an_accommodated_candidate(ctx):
    candidate = user("candidate@test.fr")
    services.set_accommodation(candidate=candidate, fraction=Fraction(1, 3), minutes=0, note=None,
                               by=user("admin@test.fr"), now=T0)
    attempt = schedule(hours=3.5).attempts[0]  # window exactly the exam's length
    services.start_attempt(attempt, sworn=True, now=T0)
    assert attempt.deadline_at == T0 + timedelta(seconds=EXAM + EXAM // 3)


def test_saves_one_second_before_in_grace_and_after(started):
    candidate = user("candidate@test.fr")
    end = started.deadline_at
    services.save_text(started, deliverable_id="analyse", content="avant", author=candidate, now=end - timedelta(seconds=1))
    grace = services.save_text(started, deliverable_id="analyse", content="pendant la grâce", author=candidate,
                               now=end + timedelta(seconds=30))
    assert grace.timing == "in_grace" and grace.received_at == end + timedelta(seconds=30)
    with pytest.raises(SaveRefused):
        services.save_text(started, deliverable_id="analyse", content="trop tard", author=candidate,
                           now=end + GRACE + timedelta(seconds=1))
    db.session.commit()
    late = db.session.scalars(select(DraftSave).where(DraftSave.timing == "late")).one()
    assert late.content == "trop tard"  # kept as evidence
    assert services.latest_texts(started)["analyse"].content == "pendant la grâce"


def test_text_over_the_limit_is_refused_and_nothing_is_lost(started):
    candidate = user("candidate@test.fr")
    services.save_text(started, deliverable_id="analyse", content="version sûre", author=candidate, now=T0)
    with pytest.raises(TooLong):
        services.save_text(started, deliverable_id="analyse", content="x" * 20001, author=candidate, now=T0)
    assert services.latest_texts(started)["analyse"].content == "version sûre"


def test_hand_in_is_a_snapshot_with_a_receipt_and_happens_once(started):
    candidate = user("candidate@test.fr")
    services.save_text(started, deliverable_id="analyse", content="v1", author=candidate, now=T0)
    services.save_text(started, deliverable_id="analyse", content="v2", author=candidate, now=T0 + timedelta(minutes=1))
    services.save_upload(started, deliverable_id="chiffrage", filename="chiffrage.xlsx", data=xlsx_bytes(),
                         author=candidate, now=T0 + timedelta(minutes=2))
    receipt = services.hand_in(started, now=T0 + timedelta(hours=1), automatic=False, actor_id=candidate.id)
    db.session.commit()
    assert receipt.snapshot["texts"] == {"analyse": "v2"}
    assert receipt.snapshot["files"]["chiffrage"]["filename"] == "chiffrage.xlsx"
    assert receipt.sha256 == services.digest(receipt.snapshot) and len(receipt.sha256) == 64
    with pytest.raises(AlreadyHandedIn):
        services.hand_in(started, now=T0 + timedelta(hours=1), automatic=False, actor_id=candidate.id)
    with pytest.raises(SaveRefused):
        services.save_text(started, deliverable_id="analyse", content="après", author=candidate, now=T0 + timedelta(hours=2))


def test_expired_attempt_is_handed_in_automatically_at_its_deadline(started):
    candidate = user("candidate@test.fr")
    services.save_text(started, deliverable_id="proposition", content="dernier état", author=candidate, now=T0)
    db.session.commit()
    assert services.finalise_expired(started.deadline_at + GRACE) == 0
    assert services.finalise_expired(started.deadline_at + GRACE + timedelta(seconds=1)) == 1
    receipt = db.session.scalars(select(HandIn)).one()
    assert receipt.automatic and receipt.handed_in_at == started.deadline_at
    assert receipt.snapshot["texts"] == {"proposition": "dernier état"}
    assert db.session.get(Attempt, started.id).status == "auto_handed_in"
    assert services.finalise_expired(started.deadline_at + timedelta(hours=1)) == 0


@pytest.mark.parametrize("name, data, reason", [
    ("chiffrage.xlsx", b"ceci n'est pas un classeur", "content"),
    ("chiffrage.pdf", b"%PDF-1.7", "Accepted"),
    ("chiffrage.xlsx", b"", "empty"),
    ("..", b"PK", "name"),
])
def test_disguised_or_bad_uploads_are_refused_and_nothing_is_lost(started, name, data, reason):
    candidate = user("candidate@test.fr")
    good = services.save_upload(started, deliverable_id="chiffrage", filename="bon.xlsx", data=xlsx_bytes(),
                                author=candidate, now=T0)
    with pytest.raises(UploadRefused) as refused:
        services.save_upload(started, deliverable_id="chiffrage", filename=name, data=data, author=candidate, now=T0)
    assert refused.value.text
    assert services.latest_uploads(started)["chiffrage"].id == good.id


def test_oversized_upload_is_refused_with_the_limit(started):
    big = xlsx_bytes() + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(UploadRefused, match="10"):
        services.save_upload(started, deliverable_id="chiffrage", filename="gros.xlsx", data=big,
                             author=user("candidate@test.fr"), now=T0)
    assert db.session.scalar(select(func.count()).select_from(Upload)) == 0


def _race(app, attempt_id, workers):
    return race(app, [(attempt_id, work) for work in workers])


def test_ten_simultaneous_hand_ins_make_exactly_one(app, started):
    attempt_id, deadline = started.id, started.deadline_at
    db.session.commit()
    workers = [lambda a: services.hand_in(a, now=T0 + timedelta(hours=1), automatic=False, actor_id=a.candidate_id)
               for _ in range(10)]
    outcomes = _race(app, attempt_id, workers)
    assert len(outcomes) == 10
    assert db.session.scalar(select(func.count()).select_from(HandIn)) == 1
    assert outcomes.count("refused") == 9


def test_hand_in_racing_the_expiry_command_makes_exactly_one(app, started):
    attempt_id, late = started.id, started.deadline_at + GRACE + timedelta(seconds=5)
    db.session.commit()
    workers = [lambda a: services.finalise_expired(late)] * 5 + \
              [lambda a: services.hand_in(a, now=late, automatic=False, actor_id=a.candidate_id)] * 5
    _race(app, attempt_id, workers)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(HandIn)) == 1
