"""Read side: what each person may see of productions and gradings. Every object fetched by id is checked."""
from __future__ import annotations

import csv
import io

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from simulator.auth.models import User
from simulator.exams.models import Upload
from simulator.extensions import db
from simulator.grading.models import Assignment, Production

PREVIEW_ROWS, PREVIEW_COLUMNS = 200, 30


def own_assignment_or_404(assignment_id: int, user: User) -> Assignment:
    """An evaluator reaches only the seats routed to them; anything else looks like nothing."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.evaluator_id != user.id:
        abort(404)
    return assignment


def jury_production_or_404(production_id: int, user: User) -> Production:
    production = db.session.get(Production, production_id, options=[selectinload(Production.assignments)])
    if production is None or all(a.evaluator_id != user.id for a in production.assignments):
        abort(404)
    return production


def production_or_404(production_id: int) -> Production:
    production = db.session.get(Production, production_id)
    if production is None:
        abort(404)
    return production


def seat_or_404(assignment_id: int) -> Assignment:
    seat = db.session.get(Assignment, assignment_id)
    if seat is None:
        abort(404)
    return seat


def queue(user: User) -> dict[str, list[Assignment]]:
    seats = db.session.scalars(select(Assignment).where(Assignment.evaluator_id == user.id)
                               .options(selectinload(Assignment.production)).order_by(Assignment.due_at, Assignment.id))
    groups: dict[str, list[Assignment]] = {"to_grade": [], "jury": [], "done": []}
    for seat in seats:
        if seat.status != "submitted":
            groups["to_grade"].append(seat)
        elif seat.production.status in ("reconciliation", "signing"):
            groups["jury"].append(seat)
        else:
            groups["done"].append(seat)
    return groups


def handed_file(production: Production, deliverable_id: str) -> Upload:
    """A file of the snapshot (never a later upload), or 404."""
    entry = production.hand_in.snapshot.get("files", {}).get(deliverable_id)
    upload = db.session.get(Upload, entry["upload"]) if entry else None
    shared = upload is not None and upload.group_id is not None and upload.group_id == production.attempt.group_id
    if upload is None or (upload.attempt_id != production.attempt_id and not shared):
        abort(404)
    return upload


def table_preview(upload: Upload) -> list[list[str]] | None:
    """Spreadsheets and CSV shown as a table in the grading page (the first sheet, first rows)."""
    name = upload.filename.lower()
    try:
        if name.endswith(".csv"):
            text = upload.content.decode("utf-8-sig", errors="replace")
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t") if text.strip() else csv.excel
            rows = list(csv.reader(io.StringIO(text), dialect))[:PREVIEW_ROWS]
        elif name.endswith(".xlsx"):
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(upload.content), read_only=True, data_only=True).worksheets[0]
            rows = [["" if v is None else str(v) for v in row]
                    for row in sheet.iter_rows(max_row=PREVIEW_ROWS, max_col=PREVIEW_COLUMNS, values_only=True)]
        else:
            return None
    except Exception:  # noqa: BLE001 - a broken file is still downloadable; the preview just says so
        return []
    return [row[:PREVIEW_COLUMNS] for row in rows]
