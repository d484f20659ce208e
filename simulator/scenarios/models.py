"""Scenarios and their frozen versions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from simulator.core.types import UTCDateTime, utcnow
from simulator.extensions import db
from simulator.referentiels.models import Certification


class Scenario(db.Model):
    """A runnable mise en situation; its content lives in its versions."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certifications.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    certification: Mapped[Certification] = relationship()
    versions: Mapped[list[ScenarioVersion]] = relationship(back_populates="scenario", order_by="ScenarioVersion.number",
                                                           cascade="all, delete-orphan")

    @property
    def latest(self) -> ScenarioVersion:
        return self.versions[-1]


class ScenarioVersion(db.Model):
    """One immutable version. A session that uses it keeps it, whatever is edited later."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    digest: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    bloc_code: Mapped[str | None] = mapped_column(String(80))
    modality_code: Mapped[str] = mapped_column(String(80))
    duration_seconds: Mapped[int]
    competence_codes: Mapped[list] = mapped_column(JSON)
    document: Mapped[dict] = mapped_column(JSON, deferred=True)  # loaded when a page needs it
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    source_name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    scenario: Mapped[Scenario] = relationship(back_populates="versions")
    assets: Mapped[list[ScenarioAsset]] = relationship(back_populates="version", cascade="all, delete-orphan")


class ScenarioAsset(db.Model):
    """An attachment candidates download, stored with the version it belongs to."""

    __tablename__ = "scenario_assets"
    __table_args__ = (UniqueConstraint("version_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)

    version: Mapped[ScenarioVersion] = relationship(back_populates="assets")


class ScenarioDraft(db.Model):
    """A scenario being written in the browser: its YAML text as typed, saved as the trainer types and kept
    whatever its state, until it is published as a version (or deleted)."""

    __tablename__ = "scenario_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("scenario_versions.id", ondelete="SET NULL"))
    label: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    based_on: Mapped[ScenarioVersion | None] = relationship()
    files: Mapped[list[DraftFile]] = relationship(back_populates="draft", cascade="all, delete-orphan",
                                                  order_by="DraftFile.filename")


class DraftFile(db.Model):
    """A file uploaded for a draft's input documents (matched by file name, as in an import)."""

    __tablename__ = "scenario_draft_files"
    __table_args__ = (UniqueConstraint("draft_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("scenario_drafts.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    draft: Mapped[ScenarioDraft] = relationship(back_populates="files")
