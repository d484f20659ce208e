"""Evaluators, productions routed to juries, gradings, final decisions and the procès-verbal."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from simulator.auth.models import User
from simulator.core.types import UTCDateTime, utcnow
from simulator.exams.models import Attempt, Cohort, ExamSession, HandIn
from simulator.extensions import db
from simulator.referentiels.models import Bloc, Certification


class EvaluatorProfile(db.Model):
    """What an evaluator may grade: the jury roles they can hold, and whether they take work now."""

    __tablename__ = "evaluator_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    roles: Mapped[list] = mapped_column(JSON, default=list)  # jury role names, e.g. ["intervenant", "professionnel"]
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    qualifications: Mapped[list[Qualification]] = relationship(back_populates="profile", cascade="all, delete-orphan")
    conflicts: Mapped[list[Conflict]] = relationship(back_populates="profile", cascade="all, delete-orphan")


class Qualification(db.Model):
    """A certification the evaluator may grade: one of its blocs, or all of them when bloc is empty."""

    __tablename__ = "evaluator_qualifications"
    __table_args__ = (UniqueConstraint("profile_id", "certification_id", "bloc_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("evaluator_profiles.id", ondelete="CASCADE"), index=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certifications.id", ondelete="CASCADE"))
    bloc_id: Mapped[int | None] = mapped_column(ForeignKey("blocs.id", ondelete="CASCADE"))

    profile: Mapped[EvaluatorProfile] = relationship(back_populates="qualifications")
    certification: Mapped[Certification] = relationship()
    bloc: Mapped[Bloc | None] = relationship()


class Conflict(db.Model):
    """A candidate or a cohort the evaluator must not grade (they trained them, they know them)."""

    __tablename__ = "evaluator_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("evaluator_profiles.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))

    profile: Mapped[EvaluatorProfile] = relationship(back_populates="conflicts")
    candidate: Mapped[User | None] = relationship()
    cohort: Mapped[Cohort | None] = relationship()


class Production(db.Model):
    """Copie: a hand-in as the jury sees it, under an anonymous candidate code."""

    __tablename__ = "productions"

    id: Mapped[int] = mapped_column(primary_key=True)
    hand_in_id: Mapped[int] = mapped_column(ForeignKey("hand_ins.id", ondelete="CASCADE"), unique=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("exam_sessions.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    live: Mapped[bool] = mapped_column(default=False)  # oral before the jury: the jury sees the candidate
    status: Mapped[str] = mapped_column(String(20), default="grading")  # grading, reconciliation, signing, final
    routed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    hand_in: Mapped[HandIn] = relationship()
    attempt: Mapped[Attempt] = relationship()
    session: Mapped[ExamSession] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(back_populates="production", cascade="all, delete-orphan",
                                                         order_by="Assignment.id")
    decisions: Mapped[list[FinalDecision]] = relationship(back_populates="production", cascade="all, delete-orphan",
                                                          order_by="FinalDecision.id")
    signatures: Mapped[list[Signature]] = relationship(back_populates="production", cascade="all, delete-orphan")


class Assignment(db.Model):
    """One seat of a production's jury and the grading its evaluator fills. The unique seat is what makes
    routing safe with several workers: a production never gets more than its jury."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("production_id", "role", "seat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    seat: Mapped[int] = mapped_column(default=0)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="unassigned")  # unassigned, assigned, in_progress, submitted
    waiting_reason: Mapped[str | None] = mapped_column(String(40))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overall_comment: Mapped[str] = mapped_column(Text, default="")

    production: Mapped[Production] = relationship(back_populates="assignments")
    evaluator: Mapped[User | None] = relationship()
    ratings: Mapped[list[Rating]] = relationship(back_populates="assignment", cascade="all, delete-orphan")
    verdicts: Mapped[list[Verdict]] = relationship(back_populates="assignment", cascade="all, delete-orphan")


class Rating(db.Model):
    """One row of the grid: a level of the criterion's scale and a comment."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("assignment_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="ratings")


class Verdict(db.Model):
    """One evaluator's decision on one compétence: acquired or not acquired."""

    __tablename__ = "verdicts"
    __table_args__ = (UniqueConstraint("assignment_id", "competence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    competence: Mapped[str] = mapped_column(String(80))
    acquired: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="verdicts")


class FinalDecision(db.Model):
    """The jury's decision on one compétence: agreed at once, or reconciled with a justification."""

    __tablename__ = "final_decisions"
    __table_args__ = (UniqueConstraint("production_id", "competence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"), index=True)
    competence: Mapped[str] = mapped_column(String(80))
    acquired: Mapped[bool]
    reconciled: Mapped[bool] = mapped_column(default=False)
    justification: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)

    production: Mapped[Production] = relationship(back_populates="decisions")


class Signature(db.Model):
    """A jury member's confirmation of the procès-verbal."""

    __tablename__ = "pv_signatures"
    __table_args__ = (UniqueConstraint("production_id", "evaluator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    production_id: Mapped[int] = mapped_column(ForeignKey("productions.id", ondelete="CASCADE"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    production: Mapped[Production] = relationship(back_populates="signatures")
    evaluator: Mapped[User] = relationship()
