"""Evaluators: the queue, the grading page beside the production, reconciliation and the procès-verbal.
Productions appear under an anonymous code: no name, no accommodation, no time allowed or taken."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from flask_wtf import FlaskForm

from simulator.core.access import guard_blueprint
from simulator.core.actions import commit_or_flash
from simulator.core.types import utcnow
from simulator.exams.errors import ExamError
from simulator.extensions import db
from simulator.grading import documents, queries, services
from simulator.grading.forms import SignForm
from simulator.grading.pages import grading_page, pv_document, reconciliation_rows

bp = Blueprint("grading", __name__)
guard_blueprint(bp, "evaluator")


@bp.route("/")
def queue():
    return render_template("grading/queue.html", groups=queries.queue(current_user))


@bp.route("/gradings/<int:assignment_id>")
def grade(assignment_id: int):
    seat = queries.own_assignment_or_404(assignment_id, current_user)
    return render_template("grading/grade.html", **grading_page(seat))


def _row_answer(action, template: str, **context):
    try:
        saved = action()
    except ExamError as exc:
        db.session.rollback()
        return render_template(template, error=exc.text, **context), 422
    db.session.commit()
    return render_template(template, saved=saved, **context)


@bp.route("/gradings/<int:assignment_id>/criteria/<criterion_id>", methods=["POST"])
def rate(assignment_id: int, criterion_id: str):
    seat = queries.own_assignment_or_404(assignment_id, current_user)
    raw = request.form.get("value", "").strip()
    try:
        value = float(raw) if raw else None
    except ValueError:
        value = float("nan")
    return _row_answer(lambda: services.rate(seat, criterion_id=criterion_id, value=value,
                                             comment=request.form.get("comment", ""), now=utcnow()).updated_at,
                       "grading/_row_status.html")


@bp.route("/gradings/<int:assignment_id>/competences/<competence>", methods=["POST"])
def decide(assignment_id: int, competence: str):
    seat = queries.own_assignment_or_404(assignment_id, current_user)
    choice = request.form.get("decision")
    if choice not in ("acquired", "not_acquired"):
        return render_template("grading/_row_status.html",
                               error=_("Choose “acquired” or “not acquired” for this compétence.")), 422
    return _row_answer(lambda: services.decide(seat, competence=competence, acquired=choice == "acquired",
                                               now=utcnow()).updated_at, "grading/_row_status.html")


@bp.route("/gradings/<int:assignment_id>/comment", methods=["POST"])
def comment(assignment_id: int):
    seat = queries.own_assignment_or_404(assignment_id, current_user)
    return _row_answer(lambda: services.comment(seat, text=request.form.get("overall_comment", ""), now=utcnow()),
                       "grading/_row_status.html")


@bp.route("/gradings/<int:assignment_id>/submit", methods=["POST"])
def submit(assignment_id: int):
    seat = queries.own_assignment_or_404(assignment_id, current_user)
    if not commit_or_flash(lambda: services.submit(seat, now=utcnow()),
                           _("Grading submitted. The jury's result is proposed once every member has submitted.")):
        return render_template("grading/grade.html", **grading_page(seat)), 422
    return redirect(url_for("grading.queue"))


@bp.route("/gradings/<int:assignment_id>/apply-to-group", methods=["POST"])
def apply_to_group(assignment_id: int):
    seat = queries.own_assignment_or_404(assignment_id, current_user)
    if not FlaskForm().validate_on_submit():
        abort(400)
    changed = []
    if commit_or_flash(lambda: changed.append(services.apply_to_group(seat, now=utcnow())), None):
        flash(ngettext("The shared ratings were applied to %(num)s other member; adjust their grid if needed.",
                       "The shared ratings were applied to %(num)s other members; adjust their grids if needed.",
                       changed[0]), "success")
    return redirect(url_for("grading.grade", assignment_id=seat.id) + "#group-work")


@bp.route("/gradings/<int:assignment_id>/files/<deliverable_id>")
def handed_file(assignment_id: int, deliverable_id: str):
    seat = queries.own_assignment_or_404(assignment_id, current_user)
    upload = queries.handed_file(seat.production, deliverable_id)
    extension = upload.filename.rsplit(".", 1)[-1] if "." in upload.filename else "bin"
    # The candidate's own file name may carry their name: the jury gets a neutral one.
    return send_file(BytesIO(upload.content), as_attachment=True, mimetype=upload.media_type,
                     download_name=f"{seat.production.code}-{deliverable_id}.{extension}")


@bp.route("/productions/<int:production_id>/reconcile", methods=["GET", "POST"])
def reconcile(production_id: int):
    production = queries.jury_production_or_404(production_id, current_user)
    if production.status == "grading":
        abort(404)
    if request.method == "POST":
        choices = {code: (request.form.get(f"decision-{code}") == "acquired", request.form.get(f"why-{code}", ""))
                   for code in services.differing(production)
                   if request.form.get(f"decision-{code}") in ("acquired", "not_acquired")}
        if not commit_or_flash(lambda: services.reconcile(production, choices=choices, by=current_user, now=utcnow())):
            return render_template("grading/reconcile.html", **reconciliation_rows(production), form=request.form), 422
        return redirect(url_for("grading.pv", production_id=production.id))
    return render_template("grading/reconcile.html", **reconciliation_rows(production), form={})


@bp.route("/productions/<int:production_id>/pv", methods=["GET", "POST"])
def pv(production_id: int):
    production = queries.jury_production_or_404(production_id, current_user)
    if production.status in ("grading", "reconciliation"):
        abort(404)
    form = SignForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: services.sign(production, by=current_user, now=utcnow()),
                        _("You confirmed the procès-verbal."))
        return redirect(url_for("grading.pv", production_id=production.id))
    return render_template("grading/pv.html", production=production, form=form,
                           document=pv_document(production, show_name=production.live))


@bp.route("/productions/<int:production_id>/pv.pdf")
def pv_pdf(production_id: int):
    production = queries.jury_production_or_404(production_id, current_user)
    if production.status in ("grading", "reconciliation"):
        abort(404)
    data = documents.pdf(pv_document(production, show_name=production.live))
    return send_file(BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"pv-{production.code}.pdf")
