"""Trainers list scenarios, read one with its jury notes, and preview it as a candidate."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.extensions import db, htmx
from simulator.formats import FormatError
from simulator.referentiels.models import Certification
from simulator.scenarios import drafts, history, transfer
from simulator.scenarios.forms import ImportForm, NewDraftForm
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


@bp.route("/<slug>/v<int:number>/scenario.yaml")
def export(slug: str, number: int):
    version = _version_or_404(slug, number)
    return Response(transfer.exported(version), mimetype="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{slug}.yaml"'})


@bp.route("/<slug>/v<int:number>/edit", methods=["POST"])
def edit(slug: str, number: int):
    """Edit a version in the browser: a draft of it, published later as the next version."""
    version = _version_or_404(slug, number)
    if not NewDraftForm().validate_on_submit():
        abort(400)
    draft = drafts.start_from_version(version, by=current_user, now=utcnow())
    db.session.commit()
    return redirect(url_for("drafts.edit", draft_id=draft.id))


@bp.route("/import", methods=["GET", "POST"])
def import_file():
    form = ImportForm()
    problems = []
    sent = form.scenario.data
    if form.validate_on_submit() and sent and sent.filename:
        attachments = {f.filename: f.read() for f in request.files.getlist("attachments") if f and f.filename}
        try:
            ident, status, number = transfer.import_file(sent.filename, sent.read(), attachments)
        except FormatError as exc:
            db.session.rollback()
            problems = [str(p) for p in exc.problems]
        else:
            db.session.commit()
            said = {"created": _("created, version %(n)s", n=number), "new_version": _("new version %(n)s", n=number),
                    "unchanged": _("unchanged, still version %(n)s", n=number)}[status]
            flash(_("Scenario %(id)s: %(status)s.", id=ident, status=said), "success")
            return redirect(url_for("scenarios.show", slug=ident))
    elif form.is_submitted():
        problems = [_("Choose a scenario file (.yaml) to import.")]
    return render_template("scenarios/import.html", form=form, problems=problems), 422 if problems else 200


@bp.route("/<slug>/v<int:old>/diff/v<int:new>")
def diff(slug: str, old: int, new: int):
    before, after = _version_or_404(slug, old), _version_or_404(slug, new)
    return render_template("scenarios/diff.html", scenario=before.scenario, before=before, after=after,
                           parts=history.changed_parts(before.document, after.document),
                           lines=history.changed_lines(before.source_text, after.source_text))
