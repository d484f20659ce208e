"""Trainers write a scenario in the browser: from a modality or from a version, checked as they type with the
command line's messages, previewed as a candidate sees it, published as a version. A draft is its author's."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_time, gettext as _
from flask_login import current_user
from sqlalchemy import select

from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.extensions import db, htmx
from simulator.formats import FormatError
from simulator.formats.durations import parse_duration
from simulator.referentiels.models import Certification
from simulator.roleplay import services as roleplay
from simulator.scenarios import drafts, parts
from simulator.scenarios.forms import DraftFileForm, DraftForm, NewDraftForm
from simulator.scenarios.models import Scenario, ScenarioDraft

bp = Blueprint("drafts", __name__)
guard_blueprint(bp, "trainer", "admin")


def _draft_or_404(draft_id: int) -> ScenarioDraft:
    draft = db.session.get(ScenarioDraft, draft_id)
    if draft is None or draft.author_id != current_user.id:
        abort(404)
    return draft


def _check_context(draft: ScenarioDraft) -> dict:
    loaded, problems = drafts.check(draft)
    existing = db.session.scalar(select(Scenario).where(Scenario.slug == loaded.model.id)) if loaded else None
    return {"draft": draft, "problems": problems, "valid": loaded is not None, "existing": existing,
            "has_dialogue": loaded is not None and loaded.model.interlocutor is not None
            and loaded.model.interlocutor.dialogue is not None}


def _editor(draft: ScenarioDraft, status: int = 200, form_error: str | None = None):
    return render_template("scenarios/draft.html", form=DraftForm(text=draft.text), file_form=DraftFileForm(),
                           form_error=form_error, tabs=_tabs(draft, _document_or_none(draft)), part=None,
                           **_check_context(draft)), status


def _document_or_none(draft: ScenarioDraft) -> dict | None:
    try:
        return parts.load(draft.text)
    except parts.PartError:
        return None


@bp.route("/")
def index():
    mine = db.session.scalars(select(ScenarioDraft).where(ScenarioDraft.author_id == current_user.id)
                              .order_by(ScenarioDraft.updated_at.desc())).all()
    return render_template("scenarios/drafts.html", drafts=mine)


@bp.route("/new", methods=["POST"])
def new():
    form = NewDraftForm()
    certification = db.session.scalar(select(Certification).where(Certification.slug == form.referentiel.data))
    if not form.validate_on_submit() or certification is None:
        abort(400)
    try:
        draft = drafts.start_from_modality(certification, form.modality.data, by=current_user, now=utcnow())
    except LookupError:
        abort(404)
    db.session.commit()
    flash(_("A draft was started from modality %(m)s: the compétences, critères, duration, organisation and jury "
            "come from the référentiel. Write what is marked « À rédiger ».", m=form.modality.data), "success")
    return redirect(url_for("drafts.edit", draft_id=draft.id))


@bp.route("/<int:draft_id>")
def edit(draft_id: int):
    return _editor(_draft_or_404(draft_id))


@bp.route("/<int:draft_id>", methods=["POST"])
def save(draft_id: int):
    """Autosave as the trainer types (htmx), or the Save button without JavaScript: the text is kept whatever
    its problems, then checked."""
    draft = _draft_or_404(draft_id)
    form = DraftForm()
    if not form.validate_on_submit():
        return render_template("scenarios/_draft_check.html", save_error=_("The text is larger than 2 MB; it was not saved."),
                               **_check_context(draft)), 422
    try:
        drafts.save(draft, form.text.data or "", now=utcnow())
    except FormatError as exc:
        db.session.rollback()
        return render_template("scenarios/_draft_check.html", save_error=str(exc.problems[0]),
                               **_check_context(draft)), 422
    db.session.commit()
    if not htmx:
        return redirect(url_for("drafts.edit", draft_id=draft.id) + "#draft-check")
    return render_template("scenarios/_draft_check.html", saved_at=draft.updated_at, **_check_context(draft))


def _part_or_404(slug: str) -> parts.Part:
    part = parts.PARTS.get(slug)
    if part is None:
        abort(404)
    return part


def _choices(draft: ScenarioDraft, document: dict) -> dict[str, list[str]]:
    """The values a field may take, read from the scenario and its référentiel: offered, never imposed."""
    certification = db.session.scalar(select(Certification).where(Certification.slug == document.get("referentiel")))
    modality = next((m for m in (certification.document["modalities"] if certification else [])
                     if m["id"] == document.get("modality")), {})
    dialogue = (document.get("interlocutor") or {}).get("dialogue") or {}
    return {"competences": [str(c) for c in document.get("competences") or []],
            "criteria": [k["id"] for k in modality.get("criteria") or []],
            "scales": [str(s.get("id")) for s in document.get("scales") or [] if isinstance(s, dict)],
            "states": [str(name) for name in dialogue.get("states") or {}]}


def _part_page(draft: ScenarioDraft, part: parts.Part, key: str | None, *, saved: bool = False, document=None):
    try:
        document = document if document is not None else parts.load(draft.text)
        values = parts.rows(document, part, key)
        _, problems = drafts.check(draft)
        placed, elsewhere = parts.place(problems, document, part, key)
    except LookupError:
        abort(404)
    except parts.PartError as exc:
        return render_template("scenarios/part.html", draft=draft, part=part, key=key, unreadable=str(exc),
                               tabs=_tabs(draft)), 422
    context = dict(draft=draft, part=part, key=key, rows=values, placed=placed, elsewhere=elsewhere,
                   choices=_choices(draft, document), tabs=_tabs(draft, document), saved_at=draft.updated_at if saved
                   else None, child=parts.PARTS.get(part.child) if part.child else None,
                   parent=next((p for p in parts.PARTS.values() if p.child == part.slug), None), shown=parts.shown,
                   oob=False)
    if htmx and saved:  # the form stays as typed; only the messages beside the fields change
        return render_template("scenarios/_part_check.html", **context)
    return render_template("scenarios/part.html", **context)


def _tabs(draft: ScenarioDraft, document: dict | None = None) -> list[parts.Part]:
    """The parts a form edits: those of a role play only when the scenario has an interlocutor or is one."""
    role_play = document is None or document.get("kind") == "role_play" or bool(document.get("interlocutor"))
    return [p for p in parts.PARTS.values() if not p.nested and (role_play or not p.role_play)]


@bp.route("/<int:draft_id>/parts/<slug>")
@bp.route("/<int:draft_id>/parts/<slug>/<key>")
def part(draft_id: int, slug: str, key: str | None = None):
    return _part_page(_draft_or_404(draft_id), _part_or_404(slug), key)


@bp.route("/<int:draft_id>/parts/<slug>", methods=["POST"])
@bp.route("/<int:draft_id>/parts/<slug>/<key>", methods=["POST"])
def save_part(draft_id: int, slug: str, key: str | None = None):
    """The part as the form says, written into the draft's text and saved whatever its problems; the checks
    then run on the whole text, as for the Text tab."""
    draft, part = _draft_or_404(draft_id), _part_or_404(slug)
    if not NewDraftForm().validate_on_submit():
        abort(400)
    try:
        text, document = parts.apply(draft.text, part, key, request.form)
        drafts.save(draft, text, now=utcnow())
    except LookupError:
        abort(404)
    except (parts.PartError, FormatError) as exc:
        db.session.rollback()
        message = str(exc.problems[0]) if isinstance(exc, FormatError) else str(exc)
        return render_template("scenarios/part.html", draft=draft, part=part, key=key, unreadable=message,
                               tabs=_tabs(draft)), 422
    db.session.commit()
    if htmx:
        return _part_page(draft, part, key, saved=True, document=document)
    flash(_("Saved at %(t)s.", t=format_time(draft.updated_at, "medium")), "success")
    opened = (request.form.get(f"r{request.form.get('open')}-id") or "").strip()
    if part.child and opened:  # a row's own list (a state's replies), once the row is saved under its name
        return redirect(url_for("drafts.part", draft_id=draft.id, slug=part.child, key=opened))
    anchor = "#part-add" if "add" in request.form else ""
    return redirect(url_for("drafts.part", draft_id=draft.id, slug=slug, key=key) + anchor)


@bp.route("/<int:draft_id>/preview")
def preview(draft_id: int):
    draft = _draft_or_404(draft_id)
    loaded, problems = drafts.check(draft)
    if loaded is None:
        return _editor(draft, 422, _("The preview needs a scenario without problems: see the list beside the text."))
    doc = loaded.content()
    return render_template("scenarios/draft_preview.html", draft=draft, doc=doc,
                           duration=parse_duration(doc["duration"]))


@bp.route("/<int:draft_id>/try", methods=["POST"])
def try_out(draft_id: int):
    """Talk to the draft's interlocutor as a candidate would, before publishing: nothing counts, and the
    try-out keeps the draft as it is now while the trainer goes on typing."""
    draft = _draft_or_404(draft_id)
    if not NewDraftForm().validate_on_submit():
        abort(400)
    loaded, _problems = drafts.check(draft)
    if loaded is None:
        return _editor(draft, 422, _("The try-out needs a scenario without problems: see the list beside the text."))
    document = loaded.content()
    if not roleplay.has_dialogue(document):
        return _editor(draft, 422, _("This scenario has no dialogue to try: write interlocutor.dialogue "
                                     "(see docs/dialogue.md)."))
    conversation = roleplay.start_draft_try_out(draft, document, current_user, utcnow())
    db.session.commit()
    return redirect(url_for("tryout.show", conversation_id=conversation.id))


@bp.route("/<int:draft_id>/files", methods=["POST"])
def upload(draft_id: int):
    draft = _draft_or_404(draft_id)
    form = DraftFileForm()
    sent = form.file.data
    if not form.validate_on_submit() or not sent or not sent.filename:
        return _editor(draft, 422, _("Choose a file to upload."))
    try:
        name = drafts.add_file(draft, sent.filename, sent.read())
    except FormatError as exc:
        db.session.rollback()
        return _editor(draft, 422, str(exc.problems[0]))
    db.session.commit()
    flash(_("%(name)s is attached to the draft; name it in documents[].file.", name=name), "success")
    return redirect(url_for("drafts.edit", draft_id=draft.id))


@bp.route("/<int:draft_id>/publish", methods=["POST"])
def publish(draft_id: int):
    draft = _draft_or_404(draft_id)
    if not NewDraftForm().validate_on_submit():
        abort(400)
    try:
        ident, status, number = drafts.publish(draft)
    except FormatError:
        db.session.rollback()
        return _editor(draft, 422, _("The scenario still has problems: it was not published. Your text is kept."))
    db.session.commit()
    said = {"created": _("created, version %(n)s", n=number), "new_version": _("new version %(n)s", n=number),
            "unchanged": _("unchanged, still version %(n)s", n=number)}[status]
    flash(_("Scenario %(id)s: %(status)s.", id=ident, status=said), "success")
    return redirect(url_for("scenarios.show", slug=ident))


@bp.route("/<int:draft_id>/delete", methods=["POST"])
def delete(draft_id: int):
    draft = _draft_or_404(draft_id)
    if not NewDraftForm().validate_on_submit():
        abort(400)
    db.session.delete(draft)
    db.session.commit()
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("drafts.index"))
