"""Trainers write a scenario in the browser: from a modality or from a version, checked as they type with the
command line's messages, previewed as a candidate sees it, published as a version. A draft is its author's."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from simulator.core.access import guard_blueprint
from simulator.core.types import utcnow
from simulator.extensions import db, htmx
from simulator.formats import FormatError
from simulator.formats.durations import parse_duration
from simulator.referentiels.models import Certification
from simulator.scenarios import drafts
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
    return {"draft": draft, "problems": problems, "valid": loaded is not None, "existing": existing}


def _editor(draft: ScenarioDraft, status: int = 200, form_error: str | None = None):
    return render_template("scenarios/draft.html", form=DraftForm(text=draft.text), file_form=DraftFileForm(),
                           form_error=form_error, **_check_context(draft)), status


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


@bp.route("/<int:draft_id>/preview")
def preview(draft_id: int):
    draft = _draft_or_404(draft_id)
    loaded, problems = drafts.check(draft)
    if loaded is None:
        return _editor(draft, 422, _("The preview needs a scenario without problems: see the list beside the text."))
    doc = loaded.content()
    return render_template("scenarios/draft_preview.html", draft=draft, doc=doc,
                           duration=parse_duration(doc["duration"]))


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
