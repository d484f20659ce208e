"""Trainers schedule exam sessions, watch them live and grant incident time."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from simulator.auth.models import User
from simulator.core.access import guard_blueprint
from simulator.core.actions import commit_or_flash
from simulator.core.types import utcnow
from simulator.exams import oral_chat, orals, queries, services
from simulator.exams.errors import ExamError
from simulator.exams.forms import GrantForm, OralNotesForm, PauseForm, ScheduleForm
from simulator.exams.models import Cohort, ExamSession
from simulator.extensions import db, htmx
from simulator.grading import reopening
from simulator.groups.services import is_group_work
from simulator.scenarios.models import Scenario

bp = Blueprint("sessions", __name__)
guard_blueprint(bp, "trainer", "admin")
PARIS = ZoneInfo("Europe/Paris")


def _utc(local: datetime) -> datetime:
    return local.replace(tzinfo=PARIS).astimezone(timezone.utc)


def _fill_choices(form: ScheduleForm) -> None:
    scenarios = db.session.scalars(select(Scenario).order_by(Scenario.slug)).all()
    form.scenario.choices = [SelectChoice(s.slug, f"{s.latest.title} ({s.slug}, v{s.latest.number})") for s in scenarios]
    candidates = db.session.scalars(select(User).where(User.role == "candidate", User.active).order_by(User.name)).all()
    form.candidates.choices = [SelectChoice(u.id, f"{u.name} <{u.email}>") for u in candidates]
    form.cohort.choices = [SelectChoice(0, "—")] + [SelectChoice(c.id, c.name)
                                                    for c in db.session.scalars(select(Cohort).order_by(Cohort.name))]


@bp.route("/")
def index():
    sessions = db.session.scalars(select(ExamSession).order_by(ExamSession.opens_at.desc())).all()
    return render_template("exams/sessions.html", sessions=sessions)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = ScheduleForm()
    _fill_choices(form)
    if form.validate_on_submit():
        scenario = db.session.scalar(select(Scenario).where(Scenario.slug == form.scenario.data))
        people = [db.session.get(User, i) for i in form.candidates.data or []]
        if form.cohort.data:
            people += [m.user for m in db.session.get(Cohort, form.cohort.data).members]
        try:
            session = services.schedule_session(
                version=scenario.latest, title=form.title.data or "", opens_at=_utc(form.opens_at.data),
                closes_at=_utc(form.closes_at.data), start_mode=form.start_mode.data, candidates=people,
                by=current_user, now=utcnow())
        except ExamError as exc:
            db.session.rollback()
            form.candidates.errors = [*form.candidates.errors, exc.text]
        else:
            db.session.commit()
            flash(_("Session scheduled for %(n)s candidate(s).", n=len(session.attempts)), "success")
            return redirect(url_for("sessions.live", session_id=session.id))
    return render_template("exams/new_session.html", form=form), 400 if form.errors else 200


@bp.route("/<int:session_id>")
def live(session_id: int):
    session = queries.session_or_404(session_id)
    template = "exams/_live.html" if htmx else "exams/live.html"
    return render_template(template, session=session, rows=_rows(session), grant_form=GrantForm(),
                           live_oral=orals.is_live_oral(session.version.document),
                           group_work=is_group_work(session.version.document))


def _rows(session: ExamSession) -> list[dict]:
    now = utcnow()
    rows = []
    for attempt in session.attempts:
        if services.finalise_if_expired(attempt, now):
            db.session.commit()
        rows.append({"attempt": attempt, "phase": queries.phase_of(attempt, now),
                     "left": queries.clock_of(attempt, now)["left"] if attempt.status == "in_progress" else None})
    return rows


@bp.route("/<int:session_id>/open", methods=["POST"])
def open_session(session_id: int):
    session = queries.session_or_404(session_id)
    commit_or_flash(lambda: services.open_together(session, by=current_user, now=utcnow()),
                    _("The session is open: candidates can start."))
    return redirect(url_for("sessions.live", session_id=session.id))


@bp.route("/<int:session_id>/grant", methods=["POST"])
@bp.route("/<int:session_id>/attempts/<int:attempt_id>/grant", methods=["POST"])
def grant(session_id: int, attempt_id: int | None = None):
    session = queries.session_or_404(session_id)
    form = GrantForm()
    targets = [a for a in session.attempts if attempt_id is None or a.id == attempt_id]
    if attempt_id is not None and not targets:
        abort(404)
    if attempt_id is not None and targets[0].group is not None:
        targets = list(targets[0].group.members)  # an incident stops the group's shared work: all get the time
    if not form.validate_on_submit():
        flash(_("Extra time needs a number of minutes (1 to 600) and a reason."), "error")
        return redirect(url_for("sessions.live", session_id=session.id))
    granted = 0
    for attempt in targets:
        if attempt.status in ("scheduled", "in_progress"):
            services.grant_time(attempt, minutes=form.minutes.data, reason=form.reason.data, by=current_user,
                                now=utcnow())
            granted += 1
    db.session.commit()
    flash(_("%(m)s minute(s) granted to %(n)s candidate(s).", m=form.minutes.data, n=granted), "success")
    return redirect(url_for("sessions.live", session_id=session.id))



def _session_attempt(session_id: int, attempt_id: int):
    session = queries.session_or_404(session_id)
    attempt = next((a for a in session.attempts if a.id == attempt_id), None)
    if attempt is None:
        abort(404)
    return session, attempt


@bp.route("/<int:session_id>/attempts/<int:attempt_id>/reopen", methods=["POST"])
def reopen(session_id: int, attempt_id: int):
    """After an incident: the hand-in is withdrawn (kept) and the candidate works again for the minutes given."""
    session, attempt = _session_attempt(session_id, attempt_id)
    form = GrantForm()
    if not form.validate_on_submit():
        flash(_("Reopening needs a number of minutes (1 to 600) and a reason."), "error")
        return redirect(url_for("sessions.live", session_id=session.id))
    commit_or_flash(lambda: reopening.reopen(attempt, minutes=form.minutes.data, reason=form.reason.data,
                                             by=current_user, now=utcnow()),
                    _("%(name)s can work again for %(m)s minute(s); the earlier hand-in is kept, withdrawn.",
                      name=attempt.candidate.name, m=form.minutes.data))
    return redirect(url_for("sessions.live", session_id=session.id))


# -- live orals: the jury room -------------------------------------------------------------------

def _oral_attempt(session_id: int, attempt_id: int):
    session, attempt = _session_attempt(session_id, attempt_id)
    if not orals.is_live_oral(session.version.document):
        abort(404)
    if services.finalise_if_expired(attempt, utcnow()):
        db.session.commit()
    return session, attempt


@bp.route("/<int:session_id>/attempts/<int:attempt_id>/saves")
def save_history(session_id: int, attempt_id: int):
    """After an incident (“my text is gone”): every save the server received for this candidate, when, and what
    became of it."""
    session, attempt = _session_attempt(session_id, attempt_id)
    saves = services.save_history(attempt)
    authors = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_({s.author_id for s in saves})))}
    return render_template("exams/save_history.html", session=session, attempt=attempt, saves=saves, authors=authors,
                           deliverables=services.deliverables_of(session.version))


@bp.route("/<int:session_id>/attempts/<int:attempt_id>/saves/<int:save_id>")
def saved_text(session_id: int, attempt_id: int, save_id: int):
    session, attempt = _session_attempt(session_id, attempt_id)
    save = services.saved_text(attempt, save_id)
    if save is None:
        abort(404)
    item = services.deliverables_of(session.version).get(save.deliverable_id)
    return render_template("exams/saved_text.html", session=session, attempt=attempt, save=save,
                           author=db.session.get(User, save.author_id), title=item["title"] if item else None)


@bp.route("/<int:session_id>/orals/<int:attempt_id>")
def jury_room(session_id: int, attempt_id: int):
    session, attempt = _oral_attempt(session_id, attempt_id)
    document = session.version.document
    run = orals.run_of(attempt)
    context = dict(session=session, attempt=attempt, doc=document, run=run, phases=document["phases"],
                   clock=queries.clock_of(attempt, utcnow()) if attempt.status == "in_progress" else None,
                   pause_form=PauseForm(),
                   notes_form=OralNotesForm(notes=run.notes if run else ""), textual=orals.textual(attempt),
                   messages=orals.messages(attempt), side="jury", error=None, pending="",
                   open=attempt.status == "in_progress" and run is not None,
                   thread_url=url_for("sessions.oral_messages", session_id=session.id, attempt_id=attempt.id),
                   post_url=url_for("sessions.oral_write", session_id=session.id, attempt_id=attempt.id))
    return render_template("exams/_oral_panel.html" if htmx else "exams/jury_room.html", **context)


def _started(attempt):
    run = orals.run_of(attempt)
    if run is None:
        abort(404)
    return run


def _oral_action(session_id: int, attempt_id: int, success: str, act):
    """One control of the jury room: act(attempt, form, now) runs in the request's transaction."""
    session, attempt = _oral_attempt(session_id, attempt_id)
    form = PauseForm()
    if not form.validate_on_submit():
        abort(400)
    commit_or_flash(lambda: act(attempt, form, utcnow()), success)
    return redirect(url_for("sessions.jury_room", session_id=session.id, attempt_id=attempt.id))


@bp.route("/<int:session_id>/orals/<int:attempt_id>/start", methods=["POST"])
def oral_start(session_id: int, attempt_id: int):
    return _oral_action(session_id, attempt_id, _("The oral has started; the candidate's clock runs."),
                        lambda attempt, form, now: orals.begin(attempt, by=current_user, now=now))


@bp.route("/<int:session_id>/orals/<int:attempt_id>/next", methods=["POST"])
def oral_next(session_id: int, attempt_id: int):
    return _oral_action(session_id, attempt_id, _("Next phase."),
                        lambda attempt, form, now: orals.next_phase(_started(attempt), by=current_user, now=now))


@bp.route("/<int:session_id>/orals/<int:attempt_id>/pause", methods=["POST"])
def oral_pause(session_id: int, attempt_id: int):
    return _oral_action(session_id, attempt_id,
                        _("The oral is paused; the time it lasts will be given back to the candidate."),
                        lambda attempt, form, now: orals.pause(_started(attempt), reason=form.reason.data or "",
                                                               by=current_user, now=now))


@bp.route("/<int:session_id>/orals/<int:attempt_id>/resume", methods=["POST"])
def oral_resume(session_id: int, attempt_id: int):
    return _oral_action(session_id, attempt_id,
                        _("The oral resumes; the paused time was given back to the candidate."),
                        lambda attempt, form, now: orals.resume(_started(attempt), by=current_user, now=now))


@bp.route("/<int:session_id>/orals/<int:attempt_id>/end", methods=["POST"])
def oral_end(session_id: int, attempt_id: int):
    return _oral_action(session_id, attempt_id, _("The oral is over and handed in to the jury's grading."),
                        lambda attempt, form, now: orals.end(_started(attempt), by=current_user, now=now))


@bp.route("/<int:session_id>/orals/<int:attempt_id>/notes", methods=["POST"])
@bp.route("/<int:session_id>/orals/<int:attempt_id>/notes/<criterion_id>", methods=["POST"])
def oral_notes(session_id: int, attempt_id: int, criterion_id: str | None = None):
    session, attempt = _oral_attempt(session_id, attempt_id)
    run = orals.run_of(attempt)
    form = OralNotesForm()
    if run is None or not form.validate_on_submit():
        abort(400 if run is not None else 404)
    try:
        orals.save_notes(run, form.notes.data or "", criterion=criterion_id)
    except ExamError as exc:
        db.session.rollback()
        return render_template("exams/_save_status.html", error=exc.text), 422
    db.session.commit()
    return render_template("exams/_notes_status.html", at=utcnow())


def _jury_chat(session, attempt, **extra):
    return oral_chat.render(
        attempt, side="jury", **extra,
        thread_url=url_for("sessions.oral_messages", session_id=session.id, attempt_id=attempt.id),
        post_url=url_for("sessions.oral_write", session_id=session.id, attempt_id=attempt.id))


@bp.route("/<int:session_id>/orals/<int:attempt_id>/messages")
def oral_messages(session_id: int, attempt_id: int):
    session, attempt = _oral_attempt(session_id, attempt_id)
    return _jury_chat(session, attempt, thread_only=True)


@bp.route("/<int:session_id>/orals/<int:attempt_id>/messages", methods=["POST"])
def oral_write(session_id: int, attempt_id: int):
    session, attempt = _oral_attempt(session_id, attempt_id)
    if not orals.textual(attempt):
        abort(404)
    refused = oral_chat.post(attempt, side="jury", now=utcnow(), show=lambda **kw: _jury_chat(session, attempt, **kw))
    if refused is not None:
        return refused
    if not htmx:
        return redirect(url_for("sessions.jury_room", session_id=session.id, attempt_id=attempt.id) + "#oral-chat")
    return _jury_chat(session, attempt)
