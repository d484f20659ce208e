"""Group work in the pages: trainers form the groups of a session; members see each other and set their roles."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.exams import queries
from simulator.exams.candidate_views import own_attempt
from simulator.exams.errors import ExamError
from simulator.extensions import db, htmx
from simulator.groups import services
from simulator.groups.forms import MoveForm, PresenceForm, RoleForm

trainer_bp = Blueprint("groups", __name__)
guard_blueprint(trainer_bp, "trainer", "admin")
candidate_bp = Blueprint("group_work", __name__)
guard_blueprint(candidate_bp, "candidate")


# -- trainers ------------------------------------------------------------------------------------

def _session(session_id: int):
    session = queries.session_or_404(session_id)
    if not services.is_group_work(session.version.document):
        abort(404)
    return session


def _page(session, status: int = 200):
    low, high = services.sizes(session.version.document)
    ungrouped = [a for a in session.attempts if a.group_id is None]
    return render_template("groups/index.html", session=session, low=low, high=high, ungrouped=ungrouped,
                           move_form=MoveForm()), status


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        flash(warning, "warning")


@trainer_bp.route("/<int:session_id>/groups")
def index(session_id: int):
    return _page(_session(session_id))


@trainer_bp.route("/<int:session_id>/groups/form", methods=["POST"])
def form(session_id: int):
    session = _session(session_id)
    if not MoveForm().validate_on_submit():
        abort(400)
    try:
        warnings = services.form_groups(session, by=current_user, now=utcnow())
    except ExamError as exc:
        db.session.rollback()
        flash(exc.text, "error")
        return _page(session, 409)
    db.session.commit()
    flash(_("The groups are formed. Move a candidate below if needed, before they start."), "success")
    _warn(warnings)
    return redirect(url_for("groups.index", session_id=session.id))


@trainer_bp.route("/<int:session_id>/groups/move", methods=["POST"])
def move(session_id: int):
    session = _session(session_id)
    form = MoveForm()
    valid = form.validate_on_submit()
    attempt = next((a for a in session.attempts if a.id == form.attempt.data), None)
    if not valid or attempt is None or not form.group.data:
        flash(_("Choose a candidate and a group (a number, “new” or “none”)."), "error")
        return _page(session, 400)
    target = form.target()
    try:
        warnings = services.move(attempt, to=target, by=current_user, now=utcnow())
    except ExamError as exc:
        db.session.rollback()
        flash(exc.text, "error")
        return _page(session, 409)
    db.session.commit()
    flash(_("%(name)s moved.", name=attempt.candidate.name), "success")
    _warn(warnings)
    return redirect(url_for("groups.index", session_id=session.id))


# -- members -------------------------------------------------------------------------------------

def _member_attempt(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if attempt.group is None:
        abort(404)
    return attempt


def _members(attempt, status: int = 200, error: str | None = None):
    return render_template("groups/_members.html", attempt=attempt, group=services.members_view(attempt, utcnow()),
                           error=error), status


@candidate_bp.route("/attempts/<int:attempt_id>/group/presence", methods=["POST"])
def presence(attempt_id: int):
    attempt = _member_attempt(attempt_id)
    form = PresenceForm()
    if not form.validate_on_submit():
        abort(400)
    if attempt.status == "in_progress":
        services.seen(attempt, working_on=form.working_on.data or None, now=utcnow())
        db.session.commit()
    return _members(attempt)


@candidate_bp.route("/attempts/<int:attempt_id>/group/role", methods=["POST"])
def role(attempt_id: int):
    attempt = _member_attempt(attempt_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _members(attempt, 422, _("A role is at most 120 characters."))
    try:
        services.set_role(attempt, role=form.role.data or "", now=utcnow())
    except ExamError as exc:
        db.session.rollback()
        return _members(attempt, 409, exc.text)
    db.session.commit()
    if not htmx:
        return redirect(url_for("candidate.attempt", attempt_id=attempt.id) + "#group-panel")
    return _members(attempt)

