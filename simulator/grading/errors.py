"""What can go wrong while routing and grading, each with a message an evaluator or trainer understands."""
from flask_babel import lazy_gettext as _l

from simulator.exams.errors import ExamError

REASONS = {
    "no_role": _l("no active evaluator holds this jury role"),
    "not_qualified": _l("no evaluator holding this role is qualified for this bloc"),
    "inactive": _l("the qualified evaluators are all marked unavailable"),
    "conflict": _l("every available qualified evaluator has a conflict with this candidate or their cohort"),
    "too_few": _l("not enough distinct qualified evaluators for every seat of the jury"),
    "reason": _l("a reason is required"),
    "submitted": _l("this grading is already submitted"),
}


class GradingError(ExamError):
    message = _l("This is not possible: %(reason)s.")

    def __init__(self, *, reason: str, **params):
        super().__init__(reason=str(REASONS.get(reason, reason)) % params if params else str(REASONS.get(reason, reason)))


class NotAllowed(GradingError):
    message = _l("This evaluator cannot take this seat: %(reason)s.")


class OutOfScale(ExamError):
    message = _l("%(value)s is not a level of this criterion's scale; choose one of: %(levels)s.")


class AlreadySubmitted(ExamError):
    message = _l("This grading was submitted on %(when)s and can no longer be changed.")


class Incomplete(ExamError):
    message = _l("The grading is incomplete: %(what)s.")


class JustificationMissing(ExamError):
    message = _l("A justification is required for the final decision on %(competence)s, where the jury differed.")


class NotReady(ExamError):
    message = _l("This step is not open yet: %(reason)s.")
