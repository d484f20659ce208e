"""What can go wrong in an exam, each with a message a candidate or trainer understands."""
from flask_babel import lazy_gettext as _l


class ExamError(Exception):
    """Base: the message is shown as is to the user."""

    message = _l("This action is not possible now.")

    def __init__(self, message=None, **params):
        self.text = str(message or self.message) % params if params else str(message or self.message)
        super().__init__(self.text)


class NotOpen(ExamError):
    message = _l("This exam is not open: it opens at %(opens)s.")


class AlreadyClosed(ExamError):
    message = _l("This exam is closed.")


class SwornStatementMissing(ExamError):
    message = _l("Tick the sworn statement to start.")


class AlreadyHandedIn(ExamError):
    message = _l("This exam has already been handed in; nothing more can be saved.")


class SaveRefused(ExamError):
    message = _l("The time is over: this save arrived after the deadline and its grace period. It is kept as evidence but not counted.")


class TooLong(ExamError):
    message = _l("Your answer has %(found)s characters; the limit is %(limit)s. Shorten it before it can be saved.")


class UnreadableSave(ExamError):
    message = _l("This save could not be read: the server expected the text of the answer and the number of the "
                 "revision it started from (a whole number). Nothing was changed; reload the page to save again.")


class UnknownDeliverable(ExamError):
    message = _l("This answer slot does not exist in the exam.")


class UploadRefused(ExamError):
    message = _l("This file was refused: %(reason)s")


class ScheduleError(ExamError):
    message = _l("The session could not be scheduled: %(reason)s")


UPLOAD_REASONS = {
    "name": _l("its name is empty, hidden or too long. Rename the file and send it again."),
    "type": _l("“.%(ext)s” files are not accepted here. Accepted: %(allowed)s."),
    "empty": _l("the file is empty (was the upload interrupted?). Send it again."),
    "size": _l("it weighs %(size)s MB; the limit is %(limit)s MB."),
    "content": _l("its content is not a real .%(ext)s file: its name says .%(ext)s, its content does not."),
}


class SaveConflict(ExamError):
    """The answer changed since the text being saved was loaded: both texts are kept, the author chooses."""

    message = _l("This part was saved meanwhile, by you in another window or by a member of your group. Both texts are kept: yours stays in the box, the other one is shown below. Merge what you need, then choose which text continues.")

    def __init__(self, head, **params):
        self.head = head
        super().__init__(**params)


class GroupError(ExamError):
    message = _l("The groups cannot be changed that way: %(reason)s")


class ReopenRefused(ExamError):
    message = _l("This attempt cannot be reopened: %(reason)s")
