"""The written exchange of a live oral (textual modality), as both sides see and post it."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import abort, render_template
from flask_login import current_user

from simulator.exams import orals
from simulator.exams.errors import ExamError
from simulator.exams.forms import OralMessageForm
from simulator.extensions import db


def render(attempt, *, side: str, thread_url: str, post_url: str, error: str | None = None, pending: str = "",
           status: int = 200, thread_only: bool = False):
    """The thread alone (what polling refreshes), or the thread with its form."""
    if not orals.textual(attempt):
        abort(404)
    context = dict(messages=orals.messages(attempt), side=side, error=error, pending=pending,
                   open=attempt.status == "in_progress" and orals.run_of(attempt) is not None,
                   thread_url=thread_url, post_url=post_url)
    return render_template("exams/_oral_thread.html" if thread_only else "exams/_oral_chat.html", **context), status


def post(attempt, *, side: str, now: datetime, show: Callable[..., tuple]) -> tuple | None:
    """Write the message of the form; None once committed, else the chat again with the refusal and the text."""
    form = OralMessageForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        orals.write(attempt, side=side, text=form.text.data, by=current_user, now=now)
    except ExamError as exc:
        db.session.rollback()
        return show(error=exc.text, pending=form.text.data or "", status=422)
    db.session.commit()
    return None
