"""The candidate's exams: dashboard, start, workspace (autosave, timer, uploads), hand-in and receipt."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import ClientDisconnected
from sqlalchemy import select

from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.exams import oral_chat, orals, queries, services
from simulator.auth.models import User
from simulator.exams.errors import ExamError, SaveConflict, SaveRefused, UnreadableSave, UploadRefused
from simulator.exams.forms import HandInForm, StartForm, answer_form
from simulator.exams.models import HandIn
from simulator.extensions import db, htmx
from simulator.groups import services as groups
from simulator.scenarios.models import ScenarioAsset

bp = Blueprint("candidate", __name__)
guard_blueprint(bp, "candidate")


def own_attempt(attempt_id: int):
    """The candidate's own attempt, handed in automatically if its time is over (every candidate page that
    touches an attempt goes through here)."""
    attempt = queries.own_attempt_or_404(attempt_id, current_user)
    if services.finalise_if_expired(attempt, utcnow()):
        db.session.commit()
    return attempt


@bp.route("/")
def dashboard():
    now = utcnow()
    attempts = queries.candidate_attempts(current_user)
    for attempt in attempts:
        if services.finalise_if_expired(attempt, now):
            db.session.commit()
    groups = {}
    for attempt in attempts:
        groups.setdefault(queries.phase_of(attempt, now), []).append(attempt)
    return render_template("exams/dashboard.html", groups=groups, allowed=services.time_allowed)


@bp.route("/attempts/<int:attempt_id>")
def attempt(attempt_id: int):
    attempt = own_attempt(attempt_id)
    doc = attempt.session.version.document
    if attempt.status == "scheduled":
        return render_template("exams/start.html", attempt=attempt, doc=doc, form=StartForm(),
                               allowed=services.time_allowed(attempt), phase=queries.phase_of(attempt, utcnow()))
    if attempt.status == "in_progress":
        return _workspace(attempt, doc)
    return redirect(url_for("candidate.receipt", attempt_id=attempt.id))


def _workspace(attempt, doc, status: int = 200, errors: dict | None = None):
    saves, uploads = services.latest_texts(attempt), services.latest_uploads(attempt)
    return render_template("exams/workspace.html", attempt=attempt, doc=doc, errors=errors or {},
                           texts={k: v.content for k, v in saves.items()},
                           revisions={k: v.revision for k, v in saves.items()},
                           group=groups.members_view(attempt, utcnow()) if attempt.group else None,
                           uploads=uploads, clock=queries.clock_of(attempt, utcnow()),
                           earlier=queries.chained_hand_in(attempt), oral=orals.run_of(attempt),
                           live_oral=orals.is_live_oral(doc), textual_oral=orals.textual(attempt),
                           oral_messages=orals.messages(attempt), summary=queries.hand_in_summary(attempt, saves, uploads),
                           hand_in_form=HandInForm()), status


@bp.route("/attempts/<int:attempt_id>/start", methods=["POST"])
def start(attempt_id: int):
    attempt = own_attempt(attempt_id)
    form = StartForm()
    try:
        services.start_attempt(attempt, sworn=form.validate_on_submit() and form.sworn.data, now=utcnow())
    except ExamError as exc:
        db.session.rollback()
        return render_template("exams/start.html", attempt=attempt, doc=attempt.session.version.document, form=form,
                               error=exc.text, allowed=services.time_allowed(attempt),
                               phase=queries.phase_of(attempt, utcnow())), 409
    db.session.commit()
    return redirect(url_for("candidate.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/timer")
def timer(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if attempt.status != "in_progress":
        response = redirect(url_for("candidate.receipt", attempt_id=attempt.id))
        if htmx:
            response.headers["HX-Redirect"] = url_for("candidate.receipt", attempt_id=attempt.id)
        return response
    return render_template("exams/_timer.html", attempt=attempt, clock=queries.clock_of(attempt, utcnow()),
                           oral=orals.run_of(attempt))


@bp.route("/attempts/<int:attempt_id>/answers/<deliverable_id>", methods=["POST"])
def save_answer(attempt_id: int, deliverable_id: str):
    attempt = own_attempt(attempt_id)
    form = answer_form()
    if form is None or not form.validate_on_submit():
        return render_template("exams/_save_status.html", error=UnreadableSave().text, deliverable_id=deliverable_id), 422
    try:
        save = services.save_text(attempt, deliverable_id=deliverable_id, content=form.content.data or "",
                                  author=current_user, now=utcnow(), base=form.base.data)
    except SaveConflict as exc:
        db.session.commit()  # the text that conflicted is kept beside the other one
        head = exc.head
        return render_template("exams/_save_status.html", conflict=exc.text, head=head, deliverable_id=deliverable_id,
                               head_author=db.session.get(User, head.author_id) if head else None), 409
    except ExamError as exc:
        db.session.commit()  # a late save is kept as evidence
        return render_template("exams/_save_status.html", error=exc.text, deliverable_id=deliverable_id), 409
    db.session.commit()  # acknowledged only once committed
    if not htmx:  # the plain form, without JavaScript
        return redirect(url_for("candidate.attempt", attempt_id=attempt.id) + f"#answer-{deliverable_id}")
    return render_template("exams/_save_status.html", save=save, deliverable_id=deliverable_id)


@bp.route("/attempts/<int:attempt_id>/answers/<deliverable_id>")
def answer(attempt_id: int, deliverable_id: str):
    """The answer as it stands (another member of the group may have saved it): its text and revision."""
    attempt = own_attempt(attempt_id)
    if attempt.status != "in_progress":
        abort(404)
    try:
        services.deliverable(attempt, deliverable_id, "text")
    except ExamError:
        abort(404)
    save = services.head(attempt, deliverable_id)
    return {"content": save.content if save else "", "revision": save.revision if save else 0,
            "by": db.session.get(User, save.author_id).name if save else None}


@bp.route("/attempts/<int:attempt_id>/files/<deliverable_id>", methods=["POST"])
def upload(attempt_id: int, deliverable_id: str):
    attempt = own_attempt(attempt_id)
    sent = request.files.get("file")
    if not request.files and not request.form and request.content_length:
        # Bytes came but no field could be read from them (every browser sends the form's token): the body
        # stopped short, a connection cut in the middle of the file.
        raise ClientDisconnected()
    error = None
    try:
        if sent is None or not sent.filename:
            raise UploadRefused(reason=_("no file was chosen."))
        services.save_upload(attempt, deliverable_id=deliverable_id, filename=sent.filename, data=sent.read(),
                             author=current_user, now=utcnow())
    except ExamError as exc:
        if isinstance(exc, SaveRefused):
            db.session.commit()  # the late file is kept as evidence
        else:
            db.session.rollback()
        error = exc.text
    else:
        db.session.commit()
    item = next((d for d in attempt.session.version.document["deliverables"] if d["id"] == deliverable_id), None)
    if item is None:
        abort(404)
    if htmx:
        return render_template("exams/_upload_slot.html", attempt=attempt, d=item, error=error,
                               upload=services.latest_uploads(attempt).get(deliverable_id)), 200 if error is None else 422
    if error:
        return _workspace(attempt, attempt.session.version.document, 422, {deliverable_id: error})
    return redirect(url_for("candidate.attempt", attempt_id=attempt.id) + f"#slot-{deliverable_id}")


@bp.route("/attempts/<int:attempt_id>/files/<deliverable_id>")
def my_upload(attempt_id: int, deliverable_id: str):
    attempt = queries.own_attempt_or_404(attempt_id, current_user)
    item = services.latest_uploads(attempt).get(deliverable_id)
    if item is None:
        abort(404)
    return send_file(BytesIO(item.content), download_name=item.filename, as_attachment=True, mimetype=item.media_type)


@bp.route("/attempts/<int:attempt_id>/documents/<document_id>")
def document(attempt_id: int, document_id: str):
    attempt = queries.own_attempt_or_404(attempt_id, current_user)
    if attempt.status == "scheduled":
        abort(404)  # documents are released when the attempt starts
    item = db.session.scalar(select(ScenarioAsset).where(ScenarioAsset.version_id == attempt.session.version_id,
                                                         ScenarioAsset.document_id == document_id))
    if item is None:
        abort(404)
    return send_file(BytesIO(item.content), download_name=item.filename, as_attachment=True,
                     mimetype="application/octet-stream")


@bp.route("/attempts/<int:attempt_id>/hand-in", methods=["POST"])
def hand_in(attempt_id: int):
    attempt = own_attempt(attempt_id)
    form = HandInForm()
    if not form.validate_on_submit():
        return _workspace(attempt, attempt.session.version.document, 400, {"hand_in": True})
    try:
        services.hand_in(attempt, now=utcnow(), automatic=False, actor_id=current_user.id)
    except ExamError:
        db.session.rollback()
    else:
        db.session.commit()
    return redirect(url_for("candidate.receipt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/hand-in/summary")
def hand_in_summary(attempt_id: int):
    """The hand-in card's list, fresh when the candidate ticks the confirmation."""
    attempt = own_attempt(attempt_id)
    if attempt.status != "in_progress":
        abort(404)
    return render_template("exams/_hand_in_summary.html", summary=queries.hand_in_summary(attempt))


@bp.route("/attempts/<int:attempt_id>/receipt")
def receipt(attempt_id: int):
    attempt = own_attempt(attempt_id)
    record = db.session.scalar(select(HandIn).where(HandIn.attempt_id == attempt.id, HandIn.withdrawn_at.is_(None)))
    if record is None:
        return redirect(url_for("candidate.attempt", attempt_id=attempt.id))
    return render_template("exams/receipt.html", attempt=attempt, receipt=record, doc=attempt.session.version.document)


# -- a live oral held in writing (textual modality) ----------------------------------------------

def _oral_chat(attempt, **extra):
    return oral_chat.render(attempt, side="candidate", **extra,
                            thread_url=url_for("candidate.oral_messages", attempt_id=attempt.id),
                            post_url=url_for("candidate.oral_write", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/oral/messages")
def oral_messages(attempt_id: int):
    return _oral_chat(own_attempt(attempt_id), thread_only=True)


@bp.route("/attempts/<int:attempt_id>/oral/messages", methods=["POST"])
def oral_write(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if not orals.textual(attempt):
        abort(404)
    refused = oral_chat.post(attempt, side="candidate", now=utcnow(), show=lambda **kw: _oral_chat(attempt, **kw))
    if refused is not None:
        return refused
    if not htmx:
        return redirect(url_for("candidate.attempt", attempt_id=attempt.id) + "#oral-chat")
    return _oral_chat(attempt)
