"""Exam sessions, attempts, drafts, uploads, hand-ins, time grants and the audit log."""
from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from simulator.auth.models import User
from simulator.core.types import UTCDateTime, utcnow
from simulator.exams.timing import Accommodation
from simulator.extensions import db
from simulator.scenarios.models import ScenarioVersion


class Cohort(db.Model):
    """A group of candidates scheduled together (promotion, classe)."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[CohortMember]] = relationship(back_populates="cohort", cascade="all, delete-orphan")


class CohortMember(db.Model):
    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    cohort: Mapped[Cohort] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class CandidateAccommodation(db.Model):
    """Aménagement d'examen of one candidate; never shown to evaluators."""

    __tablename__ = "accommodations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    fraction_numerator: Mapped[int] = mapped_column(default=0)
    fraction_denominator: Mapped[int] = mapped_column(default=1)
    extra_minutes: Mapped[int] = mapped_column(default=0)
    textual_oral: Mapped[bool] = mapped_column(default=False)  # orals as a written exchange with the jury
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()

    @property
    def rule(self) -> Accommodation:
        return Accommodation(Fraction(self.fraction_numerator, self.fraction_denominator), self.extra_minutes)


class ExamSession(db.Model):
    """Session d'examen: one scenario version, a window, its candidates."""

    __tablename__ = "exam_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"), index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    start_mode: Mapped[str] = mapped_column(String(20))  # self: within the window; together: when the trainer opens
    started_by_trainer_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    results_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # before it, candidates see no grade

    version: Mapped[ScenarioVersion] = relationship()
    created_by: Mapped[User] = relationship()
    attempts: Mapped[list[Attempt]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                   order_by="Attempt.id")
    groups: Mapped[list[ExamGroup]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                   order_by="ExamGroup.number")


class ExamGroup(db.Model):
    """A group (or a pair) of a session's candidates who hand in one shared production. The group's clock is
    one: it starts with its first member and ends at the latest of its members' personal deadlines."""

    __tablename__ = "exam_groups"
    __table_args__ = (UniqueConstraint("session_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, handed_in
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[ExamSession] = relationship(back_populates="groups")
    members: Mapped[list[Attempt]] = relationship(back_populates="group", order_by="Attempt.id")


class Attempt(db.Model):
    """Passage: one candidate's run of a session."""

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("session_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    sworn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    granted_seconds: Mapped[int] = mapped_column(default=0)
    last_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("exam_groups.id", ondelete="SET NULL"), index=True)
    group_role: Mapped[str | None] = mapped_column(String(120))  # the role the member takes in the group
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last sign of life from the workspace
    working_on: Mapped[str | None] = mapped_column(String(80))  # the deliverable the member has in hand

    session: Mapped[ExamSession] = relationship(back_populates="attempts")
    candidate: Mapped[User] = relationship()
    group: Mapped[ExamGroup | None] = relationship(back_populates="members")
    hand_in: Mapped[HandIn | None] = relationship(  # the hand-in that counts: not withdrawn by a reopening
        primaryjoin="and_(HandIn.attempt_id == Attempt.id, HandIn.withdrawn_at.is_(None))", uselist=False,
        viewonly=True)


class DraftSave(db.Model):
    """One save of a text answer; the history is never rewritten. An accepted save takes the next revision of
    its answer (the unique constraints make two saves from the same revision a conflict, never an overwrite);
    a save that came from an older revision, or too late, is kept without a revision, as evidence."""

    __tablename__ = "draft_saves"
    __table_args__ = (Index("ix_draft_saves_latest", "attempt_id", "deliverable_id", "id"),
                      UniqueConstraint("attempt_id", "deliverable_id", "revision"),
                      # A group's revisions, and only a group's. Left whole, this index held every individual save
                      # under a null group, and PostgreSQL, without statistics, read all of them to find one
                      # candidate's latest revision (docs/performance.md, 2026-12-08).
                      Index("uq_draft_saves_group_id", "group_id", "deliverable_id", "revision", unique=True,
                            postgresql_where=text("group_id IS NOT NULL"), sqlite_where=text("group_id IS NOT NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    deliverable_id: Mapped[str] = mapped_column(String(80))
    content: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timing: Mapped[str] = mapped_column(String(20))  # on_time, in_grace, late (late: refused, kept as evidence)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revision: Mapped[int | None]  # None: not accepted (late, or in conflict with a newer revision)
    base_revision: Mapped[int | None]  # the revision the author's text started from
    group_id: Mapped[int | None] = mapped_column(ForeignKey("exam_groups.id", ondelete="SET NULL"))
    chars_added: Mapped[int] = mapped_column(default=0)
    chars_removed: Mapped[int] = mapped_column(default=0)
    blame: Mapped[list | None] = mapped_column(JSON)  # group work: [[author id, characters], …] of the text


class Upload(db.Model):
    """A file a candidate handed in a slot; kept outside static/, served only to those allowed."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    deliverable_id: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timing: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("exam_groups.id", ondelete="SET NULL"), index=True)

    author: Mapped[User] = relationship()


class HandIn(db.Model):
    """Copie: the immutable snapshot of what was handed in, with its SHA-256 receipt. A trainer's reopening
    withdraws it (kept, never changed); an attempt has at most one hand-in that is not withdrawn."""

    __tablename__ = "hand_ins"
    __table_args__ = (Index("uq_hand_ins_current", "attempt_id", unique=True,
                            sqlite_where=text("withdrawn_at IS NULL"), postgresql_where=text("withdrawn_at IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    handed_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    automatic: Mapped[bool] = mapped_column(default=False)
    snapshot: Mapped[dict] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)

    attempt: Mapped[Attempt] = relationship()


class TimeGrant(db.Model):
    """Incident extra time granted by a trainer, with its reason."""

    __tablename__ = "time_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    seconds: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(db.Model):
    """Who did what and when, for appeals."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("exam_sessions.id", ondelete="SET NULL"), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class OralRun(db.Model):
    """A live oral as its jury runs it in the room: the phase it is in, a pause for an incident (each recorded,
    its time given back to the candidate), and the notes the jury takes as it listens."""

    __tablename__ = "oral_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), unique=True)
    phase: Mapped[int] = mapped_column(default=0)
    phase_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pause_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    criterion_notes: Mapped[dict] = mapped_column(JSON, default=dict)  # grid criterion id -> what the jury noted
    events: Mapped[list] = mapped_column(JSON, default=list)

    attempt: Mapped[Attempt] = relationship()


class OralMessage(db.Model):
    """The textual modality of a live oral: what the candidate and the jury write to each other in the app."""

    __tablename__ = "oral_messages"
    __table_args__ = (Index("ix_oral_messages_attempt", "attempt_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(20))  # candidate, jury
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
