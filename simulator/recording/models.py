"""A take of a recording and its pieces, each stored as it arrives so that a crash loses only seconds."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from simulator.core.types import UTCDateTime
from simulator.extensions import db


class Take(db.Model):
    """One recording attempt of a recording deliverable. status: recording, complete, unavailable
    (the browser could not record: no microphone, permission refused; the reason is kept for the jury)."""

    __tablename__ = "recording_takes"
    __table_args__ = (UniqueConstraint("attempt_id", "deliverable_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), index=True)
    deliverable_id: Mapped[str] = mapped_column(String(80))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="recording")
    media_type: Mapped[str] = mapped_column(String(80), default="audio/webm")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seconds: Mapped[float | None]
    problem: Mapped[str | None] = mapped_column(Text)

    pieces: Mapped[list[Piece]] = relationship(back_populates="take", order_by="Piece.sequence",
                                               cascade="all, delete-orphan")


class Piece(db.Model):
    __tablename__ = "recording_pieces"
    __table_args__ = (UniqueConstraint("take_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("recording_takes.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    take: Mapped[Take] = relationship(back_populates="pieces")
