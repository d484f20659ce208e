"""A conversation with the simulated interlocutor and its exchanges, each committed before it is shown."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from simulator.auth.models import User
from simulator.core.types import UTCDateTime, utcnow
from simulator.extensions import db
from simulator.scenarios.models import ScenarioDraft, ScenarioVersion


class Conversation(db.Model):
    """One run of a dialogue: a transcript deliverable of an attempt, or a trainer's try-out (no attempt) of a
    version or of a draft. A draft's try-out keeps the scenario as it was when the try-out began (`document`):
    the trainer may go on typing meanwhile."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("attempt_id", "deliverable_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    deliverable_id: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_versions.id"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_drafts.id", ondelete="CASCADE"), index=True)
    document: Mapped[dict | None] = mapped_column(JSON, deferred=True)  # a draft's scenario, checked
    run: Mapped[dict] = mapped_column(JSON)  # engine.Run after the last exchange
    last_number: Mapped[int] = mapped_column(default=0)  # moved forward by compare-and-set: one answer per number
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    version: Mapped[ScenarioVersion | None] = relationship()
    draft: Mapped[ScenarioDraft | None] = relationship()
    exchanges: Mapped[list[Exchange]] = relationship(back_populates="conversation", order_by="Exchange.number",
                                                     cascade="all, delete-orphan")

    @property
    def scenario(self) -> dict:
        """The scenario the conversation runs: its version's, or the draft's as it was at the start."""
        return self.version.document if self.version is not None else self.document

    @property
    def scenario_digest(self) -> str:
        if self.version is not None:
            return self.version.digest
        return "draft-" + hashlib.sha256(json.dumps(self.document, sort_keys=True).encode()).hexdigest()


class Exchange(db.Model):
    """What the candidate said and what the interlocutor answered; number 0 is the interlocutor's opening."""

    __tablename__ = "exchanges"
    __table_args__ = (UniqueConstraint("conversation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    number: Mapped[int]
    said: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    moves: Mapped[list] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    timing: Mapped[str] = mapped_column(String(20), default="on_time")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # who said it (a pair shares one)

    conversation: Mapped[Conversation] = relationship(back_populates="exchanges")
