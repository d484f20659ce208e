"""A référentiel in the database: certification → blocs → compétences, modalités, critères."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from simulator.core.types import UTCDateTime, utcnow
from simulator.extensions import db


class Certification(db.Model):
    """Certification RNCP: the référentiel as a whole."""

    __tablename__ = "certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    organisme: Mapped[str] = mapped_column(String(300))
    level: Mapped[int | None]
    rncp_code: Mapped[str | None] = mapped_column(String(40))
    digest: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict] = mapped_column(JSON)
    source_text: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    blocs: Mapped[list[Bloc]] = relationship(back_populates="certification", cascade="all, delete-orphan",
                                             order_by="Bloc.position")
    modalities: Mapped[list[Modality]] = relationship(back_populates="certification", cascade="all, delete-orphan",
                                                      order_by="Modality.position")


class Bloc(db.Model):
    """Bloc de compétences: validated on its own, with its own certificate."""

    __tablename__ = "blocs"
    __table_args__ = (UniqueConstraint("certification_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certifications.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    printed_code: Mapped[str | None] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    certification: Mapped[Certification] = relationship(back_populates="blocs")
    competences: Mapped[list[Competence]] = relationship(back_populates="bloc", cascade="all, delete-orphan",
                                                         order_by="Competence.position")


class Competence(db.Model):
    __tablename__ = "competences"
    __table_args__ = (UniqueConstraint("bloc_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bloc_id: Mapped[int] = mapped_column(ForeignKey("blocs.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    printed_code: Mapped[str | None] = mapped_column(String(80))
    code_derived: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    bloc: Mapped[Bloc] = relationship(back_populates="competences")


class Modality(db.Model):
    """Modalité d'évaluation: a mise en situation covering some compétences."""

    __tablename__ = "modalities"
    __table_args__ = (UniqueConstraint("certification_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(ForeignKey("certifications.id", ondelete="CASCADE"), index=True)
    bloc_id: Mapped[int | None] = mapped_column(ForeignKey("blocs.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40))
    organisation: Mapped[str] = mapped_column(String(20))
    group_min: Mapped[int | None]
    group_max: Mapped[int | None]
    individual_grading: Mapped[bool] = mapped_column(default=True)
    mode: Mapped[str] = mapped_column(String(20))
    duration_seconds: Mapped[int | None]
    jury: Mapped[dict | None] = mapped_column(JSON)
    competence_codes: Mapped[list] = mapped_column(JSON)
    position: Mapped[int]

    certification: Mapped[Certification] = relationship(back_populates="modalities")
    bloc: Mapped[Bloc | None] = relationship()
    criteria: Mapped[list[Criterion]] = relationship(back_populates="modality", cascade="all, delete-orphan",
                                                     order_by="Criterion.position")


class Criterion(db.Model):
    """Critère d'évaluation, tied to a modality and a compétence."""

    __tablename__ = "criteria"
    __table_args__ = (UniqueConstraint("modality_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    modality_id: Mapped[int] = mapped_column(ForeignKey("modalities.id", ondelete="CASCADE"), index=True)
    competence_id: Mapped[int] = mapped_column(ForeignKey("competences.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    heading: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int]

    modality: Mapped[Modality] = relationship(back_populates="criteria")
    competence: Mapped[Competence] = relationship()
