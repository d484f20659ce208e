"""One request, one transaction: run a domain action, commit it, or roll back and tell the user why."""
from __future__ import annotations

from collections.abc import Callable

from flask import flash

from simulator.exams.errors import ExamError
from simulator.extensions import db


def commit_or_flash(action: Callable[[], object], success: str | None = None) -> bool:
    """True when the action ran and was committed (with the success message flashed); False when the domain
    refused it: nothing is kept and the refusal's own message is flashed."""
    try:
        action()
    except ExamError as exc:
        db.session.rollback()
        flash(exc.text, "error")
        return False
    db.session.commit()
    if success:
        flash(success, "success")
    return True
