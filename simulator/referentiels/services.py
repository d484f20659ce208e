"""Load référentiel files into the database. Functions flush; the caller commits."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select

from simulator.extensions import db
from simulator.formats import LoadedFile
from simulator.formats.durations import parse_duration
from simulator.formats.referentiel import ReferentielFile
from simulator.referentiels.models import Bloc, Certification, Competence, Criterion, Modality


def get_certification(slug: str) -> Certification | None:
    return db.session.scalar(select(Certification).where(Certification.slug == slug))


def _sync(rows: list, items: Sequence, key: Callable, build: Callable, update: Callable) -> None:
    """Make rows match items by key: update kept rows, add new ones, drop the rest."""
    by_key = {row.code: row for row in rows}
    wanted = []
    for position, item in enumerate(items):
        row = by_key.get(key(item)) or build(item)
        update(row, item, position)
        wanted.append(row)
    rows[:] = wanted


def load_referentiel(loaded: LoadedFile) -> str:
    """Create or update a certification; returns created, updated or unchanged."""
    ref: ReferentielFile = loaded.model
    cert = get_certification(ref.id)
    digest = loaded.digest()
    if cert is not None and cert.digest == digest:
        return "unchanged"
    status = "created" if cert is None else "updated"
    if cert is None:
        cert = Certification(slug=ref.id)
        db.session.add(cert)
    cert.title, cert.organisme = ref.certification.title, ref.certification.organisme
    cert.level, cert.rncp_code = ref.certification.level, ref.certification.rncp_code
    cert.digest, cert.document, cert.source_text = digest, loaded.content(), loaded.text
    _drop_criteria_of_removed_competences(cert, ref)
    _sync_blocs(cert, ref)
    db.session.flush()
    _sync_modalities(cert, ref)
    db.session.flush()
    return status


def _drop_criteria_of_removed_competences(cert: Certification, ref: ReferentielFile) -> None:
    kept = set(ref.competence_codes())
    for modality in cert.modalities:
        modality.criteria[:] = [k for k in modality.criteria if k.competence.code in kept]
    db.session.flush()


def _sync_blocs(cert: Certification, ref: ReferentielFile) -> None:
    def update_bloc(row: Bloc, item, position: int) -> None:
        row.code, row.printed_code, row.title, row.position = item.code, item.printed_code, item.title, position
        _sync(row.competences, item.competences, lambda c: c.code, lambda c: Competence(), update_competence)

    def update_competence(row: Competence, item, position: int) -> None:
        row.code, row.printed_code, row.code_derived = item.code, item.printed_code, item.code_derived
        row.text, row.position = item.text, position

    _sync(cert.blocs, ref.blocs, lambda b: b.code, lambda b: Bloc(), update_bloc)


def _sync_modalities(cert: Certification, ref: ReferentielFile) -> None:
    blocs = {b.code: b for b in cert.blocs}
    competences = {c.code: c for b in cert.blocs for c in b.competences}

    def update_modality(row: Modality, item, position: int) -> None:
        row.code, row.title, row.description, row.kind = item.id, item.title, item.description, item.kind
        row.bloc = blocs.get(item.bloc) if item.bloc else None
        row.organisation, row.individual_grading, row.mode = item.organisation, item.individual_grading, item.mode
        row.group_min = item.group_size.min if item.group_size else None
        row.group_max = item.group_size.max if item.group_size else None
        row.duration_seconds = parse_duration(item.duration) if item.duration else None
        row.jury = item.jury.model_dump(mode="json", exclude_none=True) if item.jury else None
        row.competence_codes, row.position = list(item.competences), position
        _sync(row.criteria, item.criteria, lambda k: k.id, lambda k: Criterion(), update_criterion)

    def update_criterion(row: Criterion, item, position: int) -> None:
        row.code, row.heading, row.text, row.position = item.id, item.heading, item.text, position
        row.competence = competences[item.competence]

    _sync(cert.modalities, ref.modalities, lambda m: m.id, lambda m: Modality(), update_modality)
