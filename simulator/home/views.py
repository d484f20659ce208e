"""Each role's home page."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from simulator.auth.models import User
from simulator.auth.views import home_url
from simulator.core.access import roles_required
from simulator.extensions import db
from simulator.grading.models import Assignment
from simulator.referentiels.models import Certification
from simulator.scenarios.models import Scenario

bp = Blueprint("home", __name__)


@bp.route("/healthz")
def healthz():
    """For load balancers and monitoring: the process answers (no database access)."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_url(current_user))


@bp.route("/trainer/")
@roles_required("trainer", "admin")
def trainer():
    certifications = db.session.scalars(select(Certification).order_by(Certification.title)).all()
    scenario_counts = dict(db.session.execute(
        select(Scenario.certification_id, func.count(Scenario.id)).group_by(Scenario.certification_id)).all())
    waiting_seats = db.session.scalar(select(func.count(Assignment.id)).where(Assignment.evaluator_id.is_(None)))
    return render_template("home/trainer.html", certifications=certifications, scenario_counts=scenario_counts,
                           waiting_seats=waiting_seats)


@bp.route("/admin/")
@roles_required("admin")
def admin():
    counts = dict(db.session.execute(select(User.role, func.count(User.id)).group_by(User.role)).all())
    return render_template("home/admin.html", counts=counts)
