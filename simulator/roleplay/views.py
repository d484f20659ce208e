"""The conversation in the candidate's workspace, and the trainers' try-out of a dialogue."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.dialogue import Run
from simulator.exams import audit
from simulator.exams.candidate_views import own_attempt
from simulator.exams import services as exams
from simulator.exams.errors import ExamError, SaveRefused
from simulator.extensions import db, htmx
from simulator.roleplay import services
from simulator.roleplay.forms import ReplyForm
from simulator.roleplay.models import Conversation
from simulator.scenarios.models import Scenario

candidate_bp = Blueprint("roleplay", __name__)
guard_blueprint(candidate_bp, "candidate")
tryout_bp = Blueprint("tryout", __name__)
guard_blueprint(tryout_bp, "trainer", "admin")


def _chat(*, exchanges, run: Run, engine, post_url: str, title: str, chat_id: str, error: str | None = None,
          pending: str = "", status: int = 200, show_moves: bool = False, page: str = "roleplay/chat.html",
          **context):
    """The conversation: its fragment for htmx, inside its page otherwise. `pending` is a refused reply, kept."""
    values = dict(exchanges=exchanges, run=run, persona=engine.persona, terms=engine.terms(run), post_url=post_url,
                  title=title, chat_id=chat_id, error=error, pending=pending, form=ReplyForm(), show_moves=show_moves,
                  next_number=exchanges[-1]["number"] + 1, **context)
    template = "roleplay/_chat.html" if htmx else page
    return render_template(template, **values), status


# -- candidates ----------------------------------------------------------------------------------

def _candidate_chat(attempt, deliverable_id: str, **extra):
    if deliverable_id != services.dialogue_deliverable(attempt.session.version.document):
        abort(404)
    item = exams.deliverable(attempt, deliverable_id, "transcript")
    conversation = services.of_attempt(attempt, deliverable_id)
    engine = services.engine_for(attempt.session.version)
    if conversation is None:  # nothing stored before the first reply: a GET changes nothing
        opening = engine.begin()
        exchanges, run = [{"number": 0, "said": None, "answer": opening.text}], opening.run
    else:
        speakers = None
        if attempt.group is not None:  # a pair talks together: each line says who said it
            speakers = {m.candidate_id: _("You") if m.id == attempt.id else m.candidate.name
                        for m in attempt.group.members}
        data = services.transcript(conversation, speakers)
        exchanges, run = data["exchanges"], Run.from_dict(conversation.run)
    return _chat(exchanges=exchanges, run=run, engine=engine, title=item["title"], attempt=attempt,
                 chat_id=f"chat-{deliverable_id}", open=attempt.status == "in_progress",
                 post_url=url_for("roleplay.say", attempt_id=attempt.id, deliverable_id=deliverable_id), **extra)


@candidate_bp.route("/attempts/<int:attempt_id>/conversations/<deliverable_id>")
def conversation(attempt_id: int, deliverable_id: str):
    attempt = own_attempt(attempt_id)
    if attempt.status == "scheduled":
        abort(404)
    return _candidate_chat(attempt, deliverable_id)


@candidate_bp.route("/attempts/<int:attempt_id>/conversations/<deliverable_id>", methods=["POST"])
def say(attempt_id: int, deliverable_id: str):
    attempt = own_attempt(attempt_id)
    form = ReplyForm()
    if not form.validate_on_submit() or not (form.number.data or "").isdigit():
        abort(400)
    now = utcnow()
    try:
        if attempt.status != "in_progress":  # handed in meanwhile: the reply is kept as evidence, not counted
            audit.record("late_reply_refused", actor_id=current_user.id, attempt_id=attempt.id, at=now,
                         deliverable=deliverable_id, text=(form.said.data or "")[:services.MAX_REPLY_CHARS])
            raise SaveRefused()
        conversation = services.open_for_attempt(attempt, deliverable_id, now)
        services.say(conversation, number=int(form.number.data), text=form.said.data, now=now, attempt=attempt,
                     author=current_user)
    except ExamError as exc:
        if isinstance(exc, SaveRefused):
            db.session.commit()  # the late reply is kept in the audit log as evidence
        else:
            db.session.rollback()
        status = 422 if isinstance(exc, (services.EmptyReply, services.ReplyTooLong)) else 409
        return _candidate_chat(attempt, deliverable_id, error=exc.text, pending=form.said.data or "", status=status)
    db.session.commit()  # shown only once committed
    if not htmx:
        return redirect(url_for("roleplay.conversation", attempt_id=attempt.id, deliverable_id=deliverable_id)
                        + f"#chat-{deliverable_id}-form")
    return _candidate_chat(attempt, deliverable_id)


# -- trainers' try-out ---------------------------------------------------------------------------

def _own_try_out(conversation_id: int) -> Conversation:
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or conversation.attempt_id is not None or conversation.user_id != current_user.id:
        abort(404)
    return conversation


def _try_out_chat(conversation: Conversation, **extra):
    data = services.transcript(conversation)
    document, version = conversation.scenario, conversation.version
    if version is not None:
        back = url_for("scenarios.show", slug=version.scenario.slug, number=version.number)
        again = url_for("tryout.start", slug=version.scenario.slug, number=version.number)
    else:
        back = url_for("drafts.edit", draft_id=conversation.draft_id)
        again = url_for("drafts.try_out", draft_id=conversation.draft_id)
    return _chat(exchanges=data["exchanges"], run=Run.from_dict(conversation.run),
                 engine=services.engine_of(conversation), title=document["title"], chat_id="chat-essai",
                 show_moves=True, open=True, criterion_texts={g["id"]: g["text"] for g in document["grid"]},
                 conversation=conversation, back_url=back, again_url=again,
                 post_url=url_for("tryout.say", conversation_id=conversation.id), page="roleplay/try_out.html",
                 **extra)


@tryout_bp.route("/<slug>/v<int:number>", methods=["POST"])
def start(slug: str, number: int):
    scenario = db.session.scalar(select(Scenario).where(Scenario.slug == slug))
    version = next((v for v in scenario.versions if v.number == number), None) if scenario else None
    if version is None or not services.has_dialogue(version.document):
        abort(404)
    if not ReplyForm().validate_on_submit():
        abort(400)
    conversation = services.start_try_out(version, current_user, utcnow())
    db.session.commit()
    return redirect(url_for("tryout.show", conversation_id=conversation.id))


@tryout_bp.route("/<int:conversation_id>")
def show(conversation_id: int):
    return _try_out_chat(_own_try_out(conversation_id))


@tryout_bp.route("/<int:conversation_id>", methods=["POST"], endpoint="say")
def say_in_try_out(conversation_id: int):
    conversation = _own_try_out(conversation_id)
    form = ReplyForm()
    if not form.validate_on_submit() or not (form.number.data or "").isdigit():
        abort(400)
    try:
        services.say(conversation, number=int(form.number.data), text=form.said.data, now=utcnow())
    except ExamError as exc:
        db.session.rollback()
        status = 422 if isinstance(exc, (services.EmptyReply, services.ReplyTooLong)) else 409
        return _try_out_chat(conversation, error=exc.text, pending=form.said.data or "", status=status)
    db.session.commit()
    if not htmx:
        return redirect(url_for("tryout.show", conversation_id=conversation.id) + "#chat-essai-form")
    return _try_out_chat(conversation)
