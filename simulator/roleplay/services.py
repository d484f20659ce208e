"""Conversations with the simulated interlocutor. Functions take the time and flush; callers commit.

An exchange is shown to the candidate only once committed: what they read is what the jury will read.
Each exchange carries its number; a retried send (same number, same text) is stored once, and a send from
a window that missed an exchange is refused instead of answered out of order.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from simulator.auth.models import User
from simulator.dialogue import Engine, Run
from simulator.exams import audit
from simulator.core.database import insert_ignoring_duplicates
from simulator.exams import services as exams
from simulator.exams.errors import AlreadyHandedIn, ExamError, SaveRefused
from simulator.exams.models import Attempt
from simulator.extensions import db
from simulator.roleplay.models import Conversation, Exchange
from simulator.scenarios.models import ScenarioDraft, ScenarioVersion

MAX_REPLY_CHARS = 3000
TRY_OUT = "essai"  # the deliverable id of a trainer's try-out


class EmptyReply(ExamError):
    message = _l("Write your reply before sending it.")


class ReplyTooLong(ExamError):
    message = _l("Your reply has %(found)s characters; a reply holds at most %(limit)s. Split it in two.")


class OutOfStep(ExamError):
    message = _l("The conversation went on in another window or tab. Reload the page to see it; your reply is still in the box.")


class ConversationEnded(ExamError):
    message = _l("The conversation is over: nothing more can be said. Hand in your work when you are ready.")


class NoInterlocutor(ExamError):
    message = _l("This scenario has no simulated interlocutor.")


_ENGINES: dict[str, Engine] = {}


def engine_for(version: ScenarioVersion) -> Engine:
    """One engine per version digest: the same digest is the same dialogue, so each worker may keep it."""
    return _engine(version.digest, version.document)


def engine_of(conversation: Conversation) -> Engine:
    """The engine of the version the conversation runs, or of the draft as it was when its try-out began."""
    return _engine(conversation.scenario_digest, conversation.scenario)


def _engine(digest: str, document: dict) -> Engine:
    found = _ENGINES.get(digest)
    if found is None:
        interlocutor = document.get("interlocutor")
        if not interlocutor:
            raise NoInterlocutor()
        if len(_ENGINES) > 256:
            _ENGINES.clear()
        found = _ENGINES[digest] = Engine(interlocutor)
    return found


def has_dialogue(document: dict) -> bool:
    return bool((document.get("interlocutor") or {}).get("dialogue"))


def dialogue_deliverable(document: dict) -> str | None:
    """The transcript the candidate writes with the simulated interlocutor: the scenario's first transcript."""
    if not has_dialogue(document):
        return None
    return next((d["id"] for d in document["deliverables"] if d["kind"] == "transcript"), None)


# -- finding and opening -------------------------------------------------------------------------

def keeper(attempt: Attempt) -> int:
    """The attempt a conversation is kept under: a pair or a group talks to the interlocutor together, in one
    conversation kept under its first member's attempt; each exchange records who spoke."""
    return attempt.group.members[0].id if attempt.group is not None else attempt.id


def of_attempt(attempt: Attempt, deliverable_id: str) -> Conversation | None:
    return db.session.scalar(select(Conversation).where(Conversation.attempt_id == keeper(attempt),
                                                        Conversation.deliverable_id == deliverable_id))


def _opening_exchange(conversation_id: int, engine: Engine, now: datetime) -> Exchange:
    opening = engine.begin()
    return Exchange(conversation_id=conversation_id, number=0, said=None, answer=opening.text, moves=[],
                    state=opening.run.state, at=now)


def open_for_attempt(attempt: Attempt, deliverable_id: str, now: datetime) -> Conversation:
    exams.deliverable(attempt, deliverable_id, "transcript")
    if deliverable_id != dialogue_deliverable(attempt.session.version.document):
        raise NoInterlocutor()
    found = of_attempt(attempt, deliverable_id)
    if found is not None:
        return found
    engine = engine_for(attempt.session.version)
    created = db.session.scalar(insert_ignoring_duplicates(Conversation).values(
        attempt_id=keeper(attempt), deliverable_id=deliverable_id, user_id=attempt.candidate_id,
        version_id=attempt.session.version_id, run=engine.begin().run.to_dict(), last_number=0, created_at=now)
        .returning(Conversation.id))
    conversation = of_attempt(attempt, deliverable_id)
    if created is not None:  # ours: the opening line goes with it, in the same transaction
        db.session.add(_opening_exchange(conversation.id, engine, now))
        db.session.flush()
        db.session.expire(conversation, ["exchanges"])
    return conversation


def start_try_out(version: ScenarioVersion, user: User, now: datetime) -> Conversation:
    return _try_out(Conversation(version=version), user, now)


def start_draft_try_out(draft: ScenarioDraft, document: dict, user: User, now: datetime) -> Conversation:
    """`document`: the draft's scenario, checked; the try-out keeps it while the trainer goes on typing."""
    if not has_dialogue(document):
        raise NoInterlocutor()
    return _try_out(Conversation(draft=draft, document=document), user, now)


def _try_out(conversation: Conversation, user: User, now: datetime) -> Conversation:
    engine = engine_of(conversation)
    conversation.attempt_id, conversation.deliverable_id, conversation.user = None, TRY_OUT, user
    conversation.run, conversation.last_number, conversation.created_at = engine.begin().run.to_dict(), 0, now
    db.session.add(conversation)
    db.session.flush()
    db.session.add(_opening_exchange(conversation.id, engine, now))
    db.session.flush()
    return conversation


# -- talking -------------------------------------------------------------------------------------

def _stored(conversation: Conversation, number: int) -> Exchange | None:
    return db.session.scalar(select(Exchange).where(Exchange.conversation_id == conversation.id,
                                                    Exchange.number == number))


def say(conversation: Conversation, *, number: int, text: str, now: datetime,
        attempt: Attempt | None = None, author: User | None = None) -> Exchange:
    text = (text or "").strip()
    if not text:
        raise EmptyReply()
    if len(text) > MAX_REPLY_CHARS:
        raise ReplyTooLong(found=len(text), limit=MAX_REPLY_CHARS)
    if number == conversation.last_number:
        last = _stored(conversation, number)
        if last is not None and last.said == text:
            return last  # the same send, retried: already stored and answered
    if number != conversation.last_number + 1:
        raise OutOfStep()
    run = Run.from_dict(conversation.run)
    if run.ended:
        raise ConversationEnded()
    timing = "on_time"
    if attempt is not None:
        if attempt.status != "in_progress":
            raise AlreadyHandedIn()
        timing = exams.timing_of_save(attempt, now).value
        if timing == "late":
            audit.record("late_reply_refused", actor_id=author.id if author else None, attempt_id=attempt.id,
                         at=now, deliverable=conversation.deliverable_id, text=text)
            db.session.flush()
            raise SaveRefused()
    turn = engine_of(conversation).reply(run, text)
    moved = db.session.execute(
        update(Conversation).where(Conversation.id == conversation.id, Conversation.last_number == number - 1)
        .values(last_number=number, run=turn.run.to_dict(), ended_at=now if turn.run.ended else None)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:  # another request answered this number first
        db.session.expire(conversation)
        other = _stored(conversation, number)
        if other is not None and other.said == text:
            return other
        raise OutOfStep()
    exchange = Exchange(conversation_id=conversation.id, number=number, said=text, answer=turn.text,
                        moves=[m.to_dict() for m in turn.moves], state=turn.run.state, at=now, timing=timing,
                        author_id=author.id if author else None)
    db.session.add(exchange)
    if attempt is not None:
        attempt.last_saved_at = now
    db.session.flush()
    db.session.expire(conversation)
    return exchange


# -- what is handed in and shown -----------------------------------------------------------------

def transcript(conversation: Conversation, speakers: dict[int, int] | None = None) -> dict:
    """`speakers`: for a group, each member's user id to their attempt id, which the jury's page turns into
    anonymous codes."""
    engine = engine_of(conversation)
    run = Run.from_dict(conversation.run)
    return {
        "interlocutor": engine.persona.name,
        "exchanges": [{"number": e.number, "said": e.said, "answer": e.answer, "moves": e.moves,
                       "at": e.at.isoformat(),
                       **({"speaker": speakers.get(e.author_id)} if speakers and e.said else {})}
                      for e in conversation.exchanges],
        "ended": run.ended,
        "outcome": run.outcome,
        "terms": engine.terms(run),
    }


@exams.snapshot_part("transcripts")
def _transcripts(attempt: Attempt) -> dict:
    conversations = db.session.scalars(select(Conversation).where(Conversation.attempt_id == keeper(attempt))
                                       .order_by(Conversation.deliverable_id))
    speakers = {m.candidate_id: m.id for m in attempt.group.members} if attempt.group is not None else None
    return {c.deliverable_id: transcript(c, speakers) for c in conversations}
