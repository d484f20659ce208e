"""Admins record candidates' accommodations (aménagements), on pages nobody else can open."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from simulator.auth.models import User
from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.exams import services
from simulator.exams.forms import AccommodationForm
from simulator.exams.models import CandidateAccommodation
from simulator.exams.timing import parse_fraction
from simulator.extensions import db

bp = Blueprint("accommodations", __name__)
guard_blueprint(bp, "admin")


@bp.route("/")
def index():
    candidates = db.session.scalars(select(User).where(User.role == "candidate").order_by(User.name)).all()
    rows = {a.user_id: a for a in db.session.scalars(select(CandidateAccommodation))}
    return render_template("exams/accommodations.html", candidates=candidates, rows=rows)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int):
    candidate = db.session.get(User, user_id)
    if candidate is None or candidate.role != "candidate":
        abort(404)
    row = db.session.scalar(select(CandidateAccommodation).where(CandidateAccommodation.user_id == user_id))
    form = AccommodationForm(obj=None)
    if not form.is_submitted() and row is not None:
        form.fraction.data = str(row.rule.fraction) if row.rule.fraction else ""
        form.minutes.data, form.note.data, form.textual_oral.data = row.extra_minutes, row.note, row.textual_oral
    if form.validate_on_submit():
        try:
            fraction = parse_fraction(form.fraction.data)
        except ValueError:
            form.fraction.errors = [*form.fraction.errors,
                                    _("“%(text)s” is not a fraction of time: write 1/3, 1/2 or 0.25 (at most 2).",
                                      text=form.fraction.data)]
        else:
            services.set_accommodation(candidate=candidate, fraction=fraction, minutes=form.minutes.data or 0,
                                       note=form.note.data or None, by=current_user, now=utcnow(),
                                       textual_oral=bool(form.textual_oral.data))
            db.session.commit()
            flash(_("Accommodation saved for %(name)s. Running exams follow it at once.", name=candidate.name), "success")
            return redirect(url_for("accommodations.index"))
    return render_template("exams/accommodation_form.html", candidate=candidate, form=form), 400 if form.errors else 200
