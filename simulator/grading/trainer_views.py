"""Trainers follow the grading: productions waiting for an evaluator and why, reassignments, the release of
results, the progress of a cohort, and the exports."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from simulator.auth.models import User
from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.exams import queries as exam_queries
from simulator.exams.errors import ExamError
from simulator.exams.models import Cohort, ExamSession, HandIn
from simulator.extensions import db
from simulator.grading import documents, exports, queries, results, routing, services
from simulator.grading.errors import REASONS
from simulator.grading.forms import ReassignForm
from simulator.grading.models import Assignment, Production
from simulator.grading.pages import pv_document
from simulator.referentiels.models import Bloc

bp = Blueprint("jury_admin", __name__)
guard_blueprint(bp, "trainer", "admin")
MEDIA = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.route("/")
def index():
    waiting = db.session.scalars(select(Assignment).where(Assignment.evaluator_id.is_(None))
                                 .options(selectinload(Assignment.production)).order_by(Assignment.id)).all()
    unrouted = db.session.scalars(select(HandIn).where(~HandIn.id.in_(select(Production.hand_in_id)),
                                                       HandIn.withdrawn_at.is_(None))).all()
    sessions = db.session.scalars(select(ExamSession).order_by(ExamSession.opens_at.desc())).all()
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.name)).all()
    return render_template("grading/trainer_index.html", waiting=waiting, unrouted=unrouted, sessions=sessions,
                           cohorts=cohorts, reasons=REASONS)


@bp.route("/route-waiting", methods=["POST"])
def route_waiting():
    filled = routing.route_waiting(now=utcnow())
    db.session.commit()
    flash(_("%(n)s seat(s) of a jury filled.", n=filled), "success" if filled else "info")
    return redirect(url_for("jury_admin.index"))


def _productions(session: ExamSession) -> dict[int, Production]:
    rows = db.session.scalars(select(Production).where(Production.session_id == session.id)
                              .options(selectinload(Production.assignments), selectinload(Production.decisions)))
    return {p.attempt_id: p for p in rows}


@bp.route("/sessions/<int:session_id>")
def session_results(session_id: int):
    session = exam_queries.session_or_404(session_id)
    return render_template("grading/session.html", session=session, productions=_productions(session))


@bp.route("/sessions/<int:session_id>/release", methods=["POST"])
def release(session_id: int):
    session = exam_queries.session_or_404(session_id)
    final = services.release(session, by=current_user, now=utcnow())
    db.session.commit()
    flash(_("Results released: candidates see the %(n)s final result(s), and the others as soon as they are final.",
            n=final), "success")
    return redirect(url_for("jury_admin.session_results", session_id=session.id))


def _table(filename: str, kind: str, title: str, table: tuple[list[str], list[list]]):
    header, rows = table
    data = documents.table_csv(header, rows) if kind == "csv" else documents.table_xlsx(title, header, rows)
    return send_file(BytesIO(data), mimetype=MEDIA[kind], as_attachment=True, download_name=f"{filename}.{kind}")


@bp.route("/sessions/<int:session_id>/results.<any(csv, xlsx):kind>")
def session_export(session_id: int, kind: str):
    session = exam_queries.session_or_404(session_id)
    return _table(f"resultats-session-{session.id}", kind, session.title,
                  exports.session_table(session, _productions(session)))


@bp.route("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int):
    group = db.session.get(Cohort, cohort_id) or abort(404)
    members = sorted((m.user for m in group.members), key=lambda u: u.name)
    progress = {m.id: [(c, results.progress(c, m.id, released_only=False)) for c in results.certifications_of(m.id)]
                for m in members}
    return render_template("grading/cohort.html", cohort=group, members=members, progress=progress)


@bp.route("/cohorts/<int:cohort_id>/results.<any(csv, xlsx):kind>")
def cohort_export(cohort_id: int, kind: str):
    group = db.session.get(Cohort, cohort_id) or abort(404)
    return _table(f"resultats-cohorte-{group.id}", kind, group.name, exports.cohort_table(group))


@bp.route("/seats/<int:assignment_id>/reassign", methods=["GET", "POST"])
def reassign(assignment_id: int):
    seat = queries.seat_or_404(assignment_id)
    form = ReassignForm()
    evaluators = db.session.scalars(select(User).where(User.role == "evaluator", User.active).order_by(User.name)).all()
    form.evaluator.choices = [SelectChoice(u.id, f"{u.name} <{u.email}>") for u in evaluators]
    if form.validate_on_submit():
        try:
            routing.reassign(seat, evaluator=db.session.get(User, form.evaluator.data), reason=form.reason.data,
                             by=current_user, now=utcnow())
        except ExamError as exc:
            db.session.rollback()
            form.evaluator.errors = [*form.evaluator.errors, exc.text]
        else:
            db.session.commit()
            flash(_("Seat reassigned."), "success")
            return redirect(url_for("jury_admin.session_results", session_id=seat.production.session_id))
    return render_template("grading/reassign.html", seat=seat, form=form), 422 if form.errors else 200


@bp.route("/productions/<int:production_id>/pv.pdf")
def pv_pdf(production_id: int):
    production = queries.production_or_404(production_id)
    data = documents.pdf(pv_document(production, show_name=True))
    return send_file(BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"pv-{production.code}.pdf")


@bp.route("/candidates/<int:user_id>/blocs/<int:bloc_id>/certificate.pdf")
def certificate(user_id: int, bloc_id: int):
    candidate, bloc = db.session.get(User, user_id), db.session.get(Bloc, bloc_id)
    document = exports.certificate(candidate, bloc) if candidate and bloc and candidate.role == "candidate" else None
    if document is None:
        abort(404)
    return send_file(BytesIO(documents.pdf(document)), mimetype="application/pdf", as_attachment=True,
                     download_name=f"certificat-{bloc.code}-{candidate.id}.pdf")
