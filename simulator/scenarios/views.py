"""Trainers list scenarios, read one with its jury notes, and preview it as a candidate."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, render_template, request, send_file
from sqlalchemy import select

from simulator.core.access import guard_blueprint
from simulator.extensions import db, htmx
from simulator.referentiels.models import Certification
from simulator.scenarios.models import Scenario, ScenarioAsset, ScenarioVersion

bp = Blueprint("scenarios", __name__)
guard_blueprint(bp, "trainer", "admin")


def _version_or_404(slug: str, number: int | None) -> ScenarioVersion:
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == slug))
    if scenario is None:
        abort(404)
    if number is None:
        return scenario.latest
    version = next((v for v in scenario.versions if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.route("/")
def index():
    query = select(Scenario).join(Certification).order_by(Certification.title, Scenario.slug)
    certification = request.args.get("certification")
    if certification:
        query = query.where(Certification.slug == certification)
    scenarios = db.session.scalars(query).all()
    if htmx:
        return render_template("scenarios/_list.html", scenarios=scenarios)
    certifications = db.session.scalars(select(Certification).order_by(Certification.title)).all()
    return render_template("scenarios/index.html", scenarios=scenarios, certifications=certifications,
                           selected=certification)


@bp.route("/<slug>")
@bp.route("/<slug>/v<int:number>")
def show(slug: str, number: int | None = None):
    version = _version_or_404(slug, number)
    return render_template("scenarios/show.html", version=version, doc=version.document,
                           scenario=version.scenario)


@bp.route("/<slug>/preview")
@bp.route("/<slug>/v<int:number>/preview")
def preview(slug: str, number: int | None = None):
    version = _version_or_404(slug, number)
    return render_template("scenarios/preview.html", version=version, doc=version.document,
                           scenario=version.scenario)


@bp.route("/<slug>/v<int:number>/files/<document_id>")
def asset(slug: str, number: int, document_id: str):
    version = _version_or_404(slug, number)
    item = db.session.scalar(select(ScenarioAsset).where(ScenarioAsset.version_id == version.id,
                                                         ScenarioAsset.document_id == document_id))
    if item is None:
        abort(404)
    return send_file(BytesIO(item.content), download_name=item.filename, as_attachment=True,
                     mimetype="application/octet-stream")
