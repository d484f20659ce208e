"""Load scenario files as versions. Functions flush; the caller commits."""
from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

from sqlalchemy import select

from simulator.extensions import db
from simulator.formats import LoadedFile
from simulator.formats.durations import parse_duration
from simulator.formats.scenario import ScenarioFile
from simulator.referentiels.coverage import ScenarioSummary
from simulator.referentiels.services import get_certification
from simulator.scenarios.models import Scenario, ScenarioAsset, ScenarioVersion


class ScenarioLoadError(ValueError):
    pass


def get_scenario(slug: str) -> Scenario | None:
    return db.session.scalar(select(Scenario).where(Scenario.slug == slug))


def load_scenario(loaded: LoadedFile) -> tuple[str, ScenarioVersion]:
    """created (first version), new_version, or unchanged."""
    scn: ScenarioFile = loaded.model
    cert = get_certification(scn.referentiel)
    if cert is None:
        raise ScenarioLoadError(f"{loaded.display}: référentiel {scn.referentiel!r} is not loaded")
    scenario = get_scenario(scn.id)
    digest = loaded.digest()
    if scenario is not None and scenario.latest.digest == digest:
        return "unchanged", scenario.latest
    status = "created" if scenario is None else "new_version"
    if scenario is None:
        scenario = Scenario(slug=scn.id, certification=cert)
        db.session.add(scenario)
    number = scenario.versions[-1].number + 1 if scenario.versions else 1
    version = ScenarioVersion(
        scenario=scenario, number=number, digest=digest, title=scn.title, kind=scn.kind, bloc_code=scn.bloc,
        modality_code=scn.modality, duration_seconds=parse_duration(scn.duration),
        competence_codes=list(scn.competences), document=loaded.content(), source_text=loaded.text,
        source_name=loaded.display,
    )
    scenario.certification = cert
    for document in scn.documents:
        if document.file:
            blob = loaded.attachments[document.file]
            version.assets.append(ScenarioAsset(
                document_id=document.id, filename=PurePosixPath(document.file).name,
                sha256=hashlib.sha256(blob).hexdigest(), size=len(blob), content=blob))
    db.session.add(version)
    db.session.flush()
    return status, version


def summaries(certification_id: int) -> list[ScenarioSummary]:
    """The latest version of every scenario of a certification, for coverage."""
    scenarios = db.session.scalars(
        select(Scenario).where(Scenario.certification_id == certification_id).order_by(Scenario.slug))
    result = []
    for scenario in scenarios:
        latest = scenario.latest
        result.append(ScenarioSummary(
            slug=scenario.slug, title=latest.title, modality=latest.modality_code,
            competences=tuple(latest.competence_codes),
            criteria=tuple(g["criterion"] for g in latest.document["grid"] if g.get("criterion"))))
    return result
