"""Trainers browse référentiels and their coverage by scenarios."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from sqlalchemy import select

from simulator.core.access import guard_blueprint
from simulator.extensions import db
from simulator.referentiels import moodle
from simulator.referentiels.coverage import compute_coverage
from simulator.referentiels.models import Certification
from simulator.scenarios.services import summaries

bp = Blueprint("referentiels", __name__)
guard_blueprint(bp, "trainer", "admin")


def _certification_or_404(slug: str) -> Certification:
    cert = db.session.scalar(select(Certification).where(Certification.slug == slug))
    if cert is None:
        abort(404)
    return cert


@bp.route("/")
def index():
    certifications = db.session.scalars(select(Certification).order_by(Certification.title)).all()
    return render_template("referentiels/index.html", certifications=certifications)


@bp.route("/<slug>")
def show(slug: str):
    cert = _certification_or_404(slug)
    return render_template("referentiels/show.html", cert=cert, doc=cert.document)


@bp.route("/<slug>/coverage")
def coverage(slug: str):
    cert = _certification_or_404(slug)
    result = compute_coverage(cert.document, summaries(cert.id))
    return render_template("referentiels/coverage.html", cert=cert, coverage=result)


@bp.route("/<slug>/moodle.csv")
def moodle_csv(slug: str):
    """The référentiel as a competency framework that Moodle's importer (tool_lpimportcsv) reads."""
    cert = _certification_or_404(slug)
    return Response(moodle.framework_csv(cert), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{cert.slug}-moodle.csv"'})
