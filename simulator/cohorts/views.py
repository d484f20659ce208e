"""Trainers create cohorts and fill them by hand or from a CSV roster, with a report of each rejected line."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from simulator.auth.models import User
from simulator.cohorts import services
from simulator.cohorts.forms import CohortForm, MembersForm, RosterForm
from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.exams.models import Cohort
from simulator.extensions import db

bp = Blueprint("cohorts", __name__)
guard_blueprint(bp, "trainer", "admin")
MAX_ROSTER_BYTES = 2 * 1024 * 1024
REASONS = {
    "no_header": _l("the first line must name the columns: name (nom) and email (courriel), and optionally candidate number (numéro)"),
    "no_name": _l("the name is empty"),
    "bad_email": _l("“%(detail)s” is not a valid email address"),
    "duplicate": _l("the same email is already on line %(detail)s of this file"),
    "not_candidate": _l("%(detail)s belongs to an account that is not a candidate"),
    "too_many": _l("the file has more than %(detail)s lines; split it"),
    "no_name_cohort": _l("Give the cohort a name."),
    "taken": _l("A cohort already has this name."),
}


def _cohort(cohort_id: int) -> Cohort:
    return db.session.get(Cohort, cohort_id) or abort(404)


@bp.route("/", methods=["GET", "POST"])
def index():
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = services.create(form.name.data, by=current_user, now=utcnow())
        except services.CohortError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, REASONS["taken" if exc.reason == "taken" else "no_name_cohort"]]
        else:
            db.session.commit()
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    cohorts = db.session.scalars(select(Cohort).order_by(Cohort.name)).all()
    return render_template("cohorts/index.html", cohorts=cohorts, form=form), 422 if form.errors else 200


def _members_form(cohort: Cohort, form: MembersForm | None = None) -> MembersForm:
    """The candidates not yet in the cohort are the choices (and what the form validates against)."""
    form = form or MembersForm()
    present = {m.user_id for m in cohort.members}
    form.candidates.choices = [
        SelectChoice(u.id, f"{u.name} <{u.email}>")
        for u in db.session.scalars(select(User).where(User.role == "candidate").order_by(User.name)) if u.id not in present]
    return form


def _page(cohort: Cohort, roster_form=None, members_form=None, report=None, status=200):
    members_form = _members_form(cohort, members_form)
    members = sorted((m.user for m in cohort.members), key=lambda u: u.name)
    return render_template("cohorts/show.html", cohort=cohort, members=members, roster_form=roster_form or RosterForm(),
                           members_form=members_form, report=report, reasons=REASONS), status


@bp.route("/<int:cohort_id>")
def show(cohort_id: int):
    return _page(_cohort(cohort_id))


@bp.route("/<int:cohort_id>/import", methods=["POST"])
def import_roster(cohort_id: int):
    cohort, form = _cohort(cohort_id), RosterForm()
    if not form.validate_on_submit():
        return _page(cohort, roster_form=form, status=422)
    data = form.roster.data.read(MAX_ROSTER_BYTES + 1)
    if len(data) > MAX_ROSTER_BYTES:
        form.roster.errors = [_("The file is larger than 2 MB; split it.")]
        return _page(cohort, roster_form=form, status=422)
    report = services.import_roster(cohort, data, by=current_user, now=utcnow())
    db.session.commit()
    # The import ran and what was good is committed: the page is its report, rejected lines included.
    # Only a file with nothing usable at all is a refused request.
    usable = report.created or report.added or report.already
    return _page(cohort, report=report, status=200 if usable or not report.rejected else 422)


@bp.route("/<int:cohort_id>/members", methods=["POST"])
def add_members(cohort_id: int):
    cohort = _cohort(cohort_id)
    form = _members_form(cohort)
    if form.validate_on_submit():
        added = sum(services.add(cohort, db.session.get(User, i)) for i in form.candidates.data or [])
        db.session.commit()
        flash(_("%(n)s candidate(s) added.", n=added), "success")
        return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return _page(cohort, members_form=form, status=422)


@bp.route("/<int:cohort_id>/members/<int:user_id>/remove", methods=["POST"])
def remove_member(cohort_id: int, user_id: int):
    cohort = _cohort(cohort_id)
    services.remove(cohort, user_id, by=current_user, now=utcnow())
    db.session.commit()
    flash(_("Removed from the cohort. Their exams and results are kept."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id))
