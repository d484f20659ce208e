"""Trainers browse référentiels and their coverage by scenarios."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from simulator.core.access import guard_blueprint
from simulator.extensions import db
from simulator.formats import FormatError
from simulator.referentiels import moodle
from simulator.referentiels.coverage import compute_coverage
from simulator.referentiels.models import Certification
from simulator.scenarios import transfer
from simulator.scenarios.forms import ReferentielImportForm
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


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    """A référentiel file, new or a new edition, checked as the command line checks it; a new edition must still
    hold the scenarios written for it. Then its coverage by the scenarios."""
    form = ReferentielImportForm()
    problems = []
    sent = form.referentiel.data
    if form.validate_on_submit() and sent and sent.filename:
        try:
            ident, status = transfer.import_referentiel(sent.filename, sent.read())
        except FormatError as exc:
            db.session.rollback()
            problems = [str(p) for p in exc.problems]
        else:
            db.session.commit()
            said = {"created": _("created"), "updated": _("updated"), "unchanged": _("unchanged")}[status]
            flash(_("Référentiel %(id)s: %(status)s. Here is its coverage by the scenarios.", id=ident, status=said),
                  "success")
            return redirect(url_for("referentiels.coverage", slug=ident))
    elif form.is_submitted():
        problems = [_("Choose a référentiel file (.yaml) to import.")]
    return render_template("referentiels/import.html", form=form, problems=problems), 422 if problems else 200


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
