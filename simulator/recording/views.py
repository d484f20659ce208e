"""The recording slot of the candidate's workspace, its pieces, and the jury's playback."""
from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, jsonify, render_template, request, send_file, url_for
from flask_login import current_user

from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.exams.candidate_views import own_attempt
from simulator.exams import services as exams
from simulator.exams.errors import ExamError, SaveRefused, UnknownDeliverable
from simulator.extensions import db
from simulator.grading import queries as grading_queries
from simulator.recording import services

candidate_bp = Blueprint("recording", __name__)
guard_blueprint(candidate_bp, "candidate")
jury_bp = Blueprint("recording_jury", __name__)
guard_blueprint(jury_bp, "evaluator")


def _attempt_and_item(attempt_id: int, deliverable_id: str):
    attempt = own_attempt(attempt_id)
    try:
        item = exams.deliverable(attempt, deliverable_id, "recording")
    except UnknownDeliverable:
        abort(404)
    return attempt, item


def slot(attempt, item, *, error: str | None = None, status: int = 200):
    return render_template("recording/_slot.html", attempt=attempt, d=item, error=error,
                           takes=services.takes(attempt, item["id"]), takes_left=services.takes_left(attempt, item),
                           limit=services.limit_seconds(attempt, item), problems=services.PROBLEMS), status


def _refused(exc: ExamError):
    if isinstance(exc, SaveRefused):
        db.session.commit()
    else:
        db.session.rollback()
    return jsonify(error=exc.text), 409


@candidate_bp.route("/attempts/<int:attempt_id>/recordings/<deliverable_id>")
def show(attempt_id: int, deliverable_id: str):
    attempt, item = _attempt_and_item(attempt_id, deliverable_id)
    if attempt.status == "scheduled":
        abort(404)
    return slot(attempt, item)


@candidate_bp.route("/attempts/<int:attempt_id>/recordings/<deliverable_id>/takes", methods=["POST"])
def start(attempt_id: int, deliverable_id: str):
    attempt, item = _attempt_and_item(attempt_id, deliverable_id)
    try:
        take = services.start_take(attempt, deliverable_id, media_type=request.form.get("media_type", ""),
                                   now=utcnow())
    except ExamError as exc:
        return _refused(exc)
    db.session.commit()
    base = url_for("recording.show", attempt_id=attempt.id, deliverable_id=deliverable_id)
    return jsonify(take=take.number, limit_seconds=services.limit_seconds(attempt, item),
                   pieces_url=f"{base}/takes/{take.number}/pieces/", end_url=f"{base}/takes/{take.number}/end")


def _take_or_404(attempt, deliverable_id: str, number: int):
    take = services.take_of(attempt, deliverable_id, number)
    if take is None:
        abort(404)
    return take


@candidate_bp.route("/attempts/<int:attempt_id>/recordings/<deliverable_id>/takes/<int:number>/pieces/<int:sequence>",
                    methods=["POST"])
def piece(attempt_id: int, deliverable_id: str, number: int, sequence: int):
    attempt, _ = _attempt_and_item(attempt_id, deliverable_id)
    take = _take_or_404(attempt, deliverable_id, number)
    try:
        stored = services.add_piece(attempt, take, sequence=sequence, data=request.get_data(), now=utcnow())
    except ExamError as exc:
        return _refused(exc)
    db.session.commit()  # acknowledged only once committed
    return jsonify(stored=stored, sequence=sequence)


@candidate_bp.route("/attempts/<int:attempt_id>/recordings/<deliverable_id>/takes/<int:number>/end",
                    methods=["POST"])
def end(attempt_id: int, deliverable_id: str, number: int):
    attempt, item = _attempt_and_item(attempt_id, deliverable_id)
    take = _take_or_404(attempt, deliverable_id, number)
    try:
        seconds = float(request.form.get("seconds", "0") or 0)
    except ValueError:
        seconds = 0.0
    services.end_take(attempt, take, seconds=seconds, now=utcnow())
    db.session.commit()
    return slot(attempt, item)


@candidate_bp.route("/attempts/<int:attempt_id>/recordings/<deliverable_id>/unavailable", methods=["POST"])
def unavailable(attempt_id: int, deliverable_id: str):
    attempt, item = _attempt_and_item(attempt_id, deliverable_id)
    try:
        services.unavailable(attempt, deliverable_id, problem=request.form.get("problem", "other"), now=utcnow())
    except ExamError as exc:
        db.session.rollback()
        return slot(attempt, item, error=exc.text, status=409)
    db.session.commit()
    return slot(attempt, item)


@candidate_bp.route("/attempts/<int:attempt_id>/recordings/<deliverable_id>/takes/<int:number>")
def playback(attempt_id: int, deliverable_id: str, number: int):
    attempt, _ = _attempt_and_item(attempt_id, deliverable_id)
    take = _take_or_404(attempt, deliverable_id, number)
    if not take.pieces:
        abort(404)
    return send_file(BytesIO(services.media(take)), mimetype=take.media_type, conditional=True,
                     download_name=f"{deliverable_id}-{number}.{take.media_type.split('/')[-1]}")


@jury_bp.route("/gradings/<int:assignment_id>/recordings/<deliverable_id>")
def handed(assignment_id: int, deliverable_id: str):
    """The take of the snapshot, under a neutral name."""
    seat = grading_queries.own_assignment_or_404(assignment_id, current_user)
    entry = seat.production.hand_in.snapshot.get("recordings", {}).get(deliverable_id)
    take = None
    if entry and entry.get("status") == "complete":
        attempt = seat.production.attempt
        take = services.take_of(attempt, deliverable_id, entry["take"])
    if take is None:
        abort(404)
    return send_file(BytesIO(services.media(take)), mimetype=take.media_type, conditional=True,
                     download_name=f"{seat.production.code}-{deliverable_id}.{take.media_type.split('/')[-1]}")
