"""Admins record evaluators: the jury roles they hold, what they may grade, availability and conflicts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from simulator.auth.models import User
from simulator.core.access import guard_blueprint
from simulator.core.labels import labels
from simulator.core.types import utcnow
from simulator.exams.models import Cohort
from simulator.extensions import db
from simulator.grading import profiles, routing
from simulator.grading.forms import JURY_ROLES, ProfileForm
from simulator.referentiels.models import Certification

bp = Blueprint("evaluators", __name__)
guard_blueprint(bp, "admin")


@bp.route("/")
def index():
    evaluators = db.session.scalars(select(User).where(User.role == "evaluator").order_by(User.name)).all()
    return render_template("grading/evaluators.html", evaluators=evaluators,
                           profiles={p.user_id: p for p in profiles.all_profiles()})


def _fill_choices(form: ProfileForm, locale: str) -> None:
    form.roles.choices = [SelectChoice(r, labels(locale)["jury_role"][r]) for r in JURY_ROLES]
    form.qualifications.choices = [
        SelectChoice(key, label) for c in db.session.scalars(select(Certification).order_by(Certification.title))
        for key, label in [(f"{c.id}:*", _("%(title)s — every bloc", title=c.title))]
        + [(f"{c.id}:{b.id}", f"{c.title} — {b.printed_code or b.code} {b.title[:80]}") for b in c.blocs]]
    form.conflict_candidates.choices = [
        SelectChoice(u.id, f"{u.name} <{u.email}>")
        for u in db.session.scalars(select(User).where(User.role == "candidate").order_by(User.name))]
    form.conflict_cohorts.choices = [SelectChoice(c.id, c.name)
                                     for c in db.session.scalars(select(Cohort).order_by(Cohort.name))]


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int):
    evaluator = db.session.get(User, user_id)
    if evaluator is None or evaluator.role != "evaluator":
        abort(404)
    profile = profiles.profile_of(evaluator)
    form = ProfileForm(obj=profiles.form_data(profile))
    _fill_choices(form, str(get_locale()))
    if form.validate_on_submit():
        profiles.save(evaluator, roles=form.roles.data, active=form.active.data,
                      qualifications=form.qualifications.data, candidates=form.conflict_candidates.data,
                      cohorts=form.conflict_cohorts.data)
        filled = routing.route_waiting(now=utcnow())
        db.session.commit()
        flash(_("Evaluator saved. %(n)s waiting seat(s) of a jury filled.", n=filled), "success")
        return redirect(url_for("evaluators.index"))
    return render_template("grading/evaluator_form.html", evaluator=evaluator, form=form), 422 if form.errors else 200
