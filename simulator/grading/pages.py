"""What the grading, reconciliation and procès-verbal pages show, gathered once per request."""
from __future__ import annotations

from flask_babel import format_date, format_datetime, get_locale, gettext as _
from sqlalchemy import select

from simulator.auth.models import User
from simulator.core.labels import labels
from simulator.extensions import db
from simulator.grading import documents, queries, services
from simulator.grading.models import Assignment, Production
from simulator.referentiels.models import Bloc, Competence


def competence_texts(production: Production) -> dict[str, str]:
    version = production.session.version
    certification_id = version.scenario.certification_id
    rows = db.session.execute(select(Competence.code, Competence.text).join(Bloc)
                              .where(Bloc.certification_id == certification_id,
                                     Competence.code.in_(version.competence_codes))).all()
    return dict(rows)


def grid_sections(document: dict) -> list[dict]:
    """The criteria grouped by compétence, each with its scale's levels."""
    scales = {s["id"]: s["levels"] for s in document["scales"]}
    sections = {code: [] for code in document["competences"]}
    for item in document["grid"]:
        sections.setdefault(item["competence"], []).append({**item, "levels": scales[item["scale"]]})
    return [{"code": code, "criteria": items} for code, items in sections.items()]


def production_view(production: Production) -> dict:
    snapshot = production.hand_in.snapshot
    files = {}
    for deliverable_id in snapshot.get("files", {}):
        upload = queries.handed_file(production, deliverable_id)
        files[deliverable_id] = {"size": upload.size, "preview": queries.table_preview(upload),
                                 "extension": upload.filename.rsplit(".", 1)[-1].lower()}
    from simulator.recording.services import PROBLEMS

    return {"texts": snapshot.get("texts", {}), "files": files, "transcripts": snapshot.get("transcripts", {}),
            "recordings": snapshot.get("recordings", {}), "recording_problems": PROBLEMS,
            "oral_notes": (snapshot.get("oral") or {}).get("notes", ""),
            "oral_messages": (snapshot.get("oral") or {}).get("messages", []),
            "oral_criterion_notes": (snapshot.get("oral") or {}).get("criterion_notes", {})}


def transcript_hints(snapshot: dict) -> dict[str, list[dict]]:
    """For each grid criterion, the candidate's replies the engine tagged as possible evidence of it."""
    hints: dict[str, list[dict]] = {}
    for deliverable_id, transcript in sorted(snapshot.get("transcripts", {}).items()):
        for exchange in transcript["exchanges"]:
            for criterion in sorted({e for move in exchange["moves"] for e in move.get("evidence", [])}):
                hints.setdefault(criterion, []).append({"deliverable": deliverable_id, "number": exchange["number"]})
    return hints


def group_view(production: Production, seat: Assignment) -> dict | None:
    """The group's work as the jury reads it: each member under their anonymous code (their name in a live oral),
    what they wrote and uploaded in each part and when (in tenths of the group's time), and who wrote what of
    the handed-in texts."""
    from simulator.exams.models import Attempt
    from simulator.groups import authorship

    group = production.hand_in.snapshot.get("group")
    if not group:
        return None
    ids = [int(i) for i in group["members"]]
    found = db.session.execute(select(Production.attempt_id, Production.code, Attempt.group_role)
                               .join(Attempt, Attempt.id == Production.attempt_id)
                               .where(Production.attempt_id.in_(ids))).all()
    codes = {attempt_id: code for attempt_id, code, _role in found}
    names = {}
    if production.live:
        names = dict(db.session.execute(select(Attempt.id, User.name).join(User, User.id == Attempt.candidate_id)
                                        .where(Attempt.id.in_(ids))).all())
    order = sorted(ids, key=lambda i: (i != production.attempt_id, codes.get(i, "")))
    index = {attempt_id: n for n, attempt_id in enumerate(order)}
    members = [{"attempt": i, "code": codes.get(i, "—"), "name": names.get(i), "me": i == production.attempt_id,
                "style": f"by-{index[i]}", **group["members"][str(i)]} for i in order]
    texts = production.hand_in.snapshot.get("texts", {})
    written = {}
    for deliverable_id, runs in group.get("authorship", {}).items():
        text = texts.get(deliverable_id, "")
        total = max(1, len(text))
        written[deliverable_id] = {
            "segments": [(f"by-{index[a]}" if a in index else "by-none", codes.get(a, "—"), piece)
                         for a, piece in authorship.segments(text, runs)],
            "shares": {codes.get(a, "—"): round(100 * n / total) for a, n in authorship.shares(runs).items()}}
    titles = {d["id"]: d["title"] for d in production.session.version.document["deliverables"]}
    return {"number": group["number"], "members": members, "written": written, "titles": titles,
            "codes": {i: names.get(i) or codes.get(i, "—") for i in ids},
            "absent": len(group.get("absent", [])), "seats": services.group_seats(seat)}


def grading_page(seat: Assignment) -> dict:
    production = seat.production
    document = production.session.version.document
    return {"seat": seat, "production": production, "document": document, "sections": grid_sections(document),
            "ratings": {r.criterion_id: r for r in seat.ratings}, "verdicts": {v.competence: v for v in seat.verdicts},
            "missing": services.missing(seat), "competence_texts": competence_texts(production),
            "candidate_name": production.attempt.candidate.name if production.live else None,
            "hints": transcript_hints(production.hand_in.snapshot),
            "criterion_texts": {g["id"]: g["text"] for g in document["grid"]},
            "group": group_view(production, seat), **production_view(production)}


def reconciliation_rows(production: Production) -> dict:
    document = production.session.version.document
    members = production.assignments
    rows = []
    for section in grid_sections(document):
        verdicts = [next((v.acquired for v in m.verdicts if v.competence == section["code"]), None) for m in members]
        criteria = []
        for item in section["criteria"]:
            marks = [next((r for r in m.ratings if r.criterion_id == item["id"]), None) for m in members]
            criteria.append({**item, "marks": marks, "differs": len({m.value if m else None for m in marks}) > 1})
        rows.append({**section, "criteria": criteria, "verdicts": verdicts, "differs": len(set(verdicts)) > 1})
    decided = {d.competence: d for d in production.decisions}
    return {"production": production, "document": document, "members": members, "rows": rows, "decided": decided,
            "open_codes": services.differing(production), "competence_texts": competence_texts(production)}


def decision_label(acquired: bool) -> str:
    return _("Acquired") if acquired else _("Not acquired")


def pv_document(production: Production, *, show_name: bool) -> documents.Document:
    """Procès-verbal: the jury, the decision per compétence, the date; names of the jury, never of an
    accommodation. The candidate appears by code unless the exam was live before the jury."""
    role_labels = labels(str(get_locale()))["jury_role"]
    texts = competence_texts(production)
    version = production.session.version
    heading = [(_("Scenario"), version.title), (_("Session"), production.session.title),
               (_("Candidate code"), production.code)]
    if show_name:
        heading.append((_("Candidate"), production.attempt.candidate.name))
    if production.finalised_at:
        heading.append((_("Date"), format_date(production.finalised_at, "long")))
    lines = [documents.Line(d.competence, texts.get(d.competence, ""), decision_label(d.acquired), d.justification)
             for d in sorted(production.decisions, key=lambda d: version.competence_codes.index(d.competence)
                             if d.competence in version.competence_codes else 999)]
    signed = {s.evaluator_id: s.signed_at for s in production.signatures}
    people = [documents.Person(a.evaluator.name if a.evaluator else "—", role_labels[a.role],
                               _("Confirmed on %(when)s", when=format_datetime(signed[a.evaluator_id], "short"))
                               if a.evaluator_id in signed else _("Not confirmed yet"))
              for a in production.assignments]
    return documents.Document(
        title=_("Procès-verbal of the jury"), reference=f"PV-{production.code}", heading=heading,
        lines_title=_("Decisions per compétence"),
        columns=(_("Code"), _("Compétence"), _("Decision"), _("Justification")), lines=lines,
        people_title=_("Jury"), people=people,
        footer=_("Final: confirmed by every member of the jury.") if production.status == "final"
        else _("Draft: not yet confirmed by every member of the jury."))
