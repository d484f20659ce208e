"""Printable documents (certificate, jury minutes) as PDF, and tables as CSV or XLSX.

Pure Python, no Flask: every label arrives already translated in the data classes.
The PDF uses the core font Helvetica (no font file), so text goes through `_printable`.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font


@dataclass(frozen=True)
class Line:
    code: str
    text: str
    decision: str
    note: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    role: str
    signed: str = ""


@dataclass(frozen=True)
class Document:
    title: str
    reference: str
    heading: list[tuple[str, str]]
    lines_title: str
    columns: tuple[str, str, str, str]
    lines: list[Line]
    people_title: str = ""
    people: list[Person] = ()  # type: ignore[assignment]
    footer: str = ""


# None: fpdf2 stamps the current time. A fixed datetime makes the bytes reproducible.
_CREATION_DATE: datetime | None = None

_MAX_ROW_LINES = 40  # 5 mm each: a row stays well under a page

_REPLACEMENTS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2039": "'", "\u203a": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u0153": "oe", "\u0152": "OE",
    "\u2026": "...", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2022": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u20ac": "EUR",
})


def _printable(text: str) -> str:
    """Return `text` in latin-1, with close equivalents for what latin-1 lacks."""
    out = []
    for char in unicodedata.normalize("NFC", str(text)).translate(_REPLACEMENTS):
        if ord(char) < 256:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    return "".join(out)


class _PDF(FPDF):
    reference = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, _printable(self.reference), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"p. {self.page_no()}/{{nb}}", align="R")


def _para(doc: FPDF, text: str, size: float = 10, style: str = "", height: float = 5.5) -> None:
    doc.set_font("Helvetica", style=style, size=size)
    doc.multi_cell(0, height, _printable(text), new_x="LMARGIN", new_y="NEXT")


def _section(doc: FPDF, title: str) -> None:
    doc.ln(4)
    if title:
        _para(doc, title, 12, "B", 7)
        doc.ln(1)


def _rows(doc: FPDF, widths: tuple[float, ...], line: Line) -> list[list[str]]:
    """Cut `line` into table rows that each fit on a page: fpdf2 raises on a taller row."""
    cells = [
        doc.multi_cell(w - doc.line_width, 5, _printable(v), dry_run=True, output="LINES") or [""]
        for w, v in zip(widths, (line.code, line.text, line.decision, line.note))
    ]
    count = max(len(c) for c in cells)
    return [["\n".join(c[i:i + _MAX_ROW_LINES]) for c in cells]
            for i in range(0, count, _MAX_ROW_LINES)]


def pdf(document: Document) -> bytes:
    """Render `document` as an A4 portrait PDF; reference and "p. N/M" on every page."""
    doc = _PDF(orientation="P", unit="mm", format="A4")
    doc.reference = document.reference
    doc.alias_nb_pages()
    doc.set_auto_page_break(auto=True, margin=18)
    doc.set_title(document.title)  # metadata is stored as UTF-16: no need for _printable
    doc.set_creator("RNCP simulator")
    if _CREATION_DATE is not None:
        doc.set_creation_date(_CREATION_DATE)
    doc.add_page()
    _para(doc, document.title, 16, "B", 8)
    doc.ln(3)
    for label, value in document.heading:
        _para(doc, f"{label} : {value}")
    _section(doc, document.lines_title)
    doc.set_font("Helvetica", size=9)
    widths = (18, doc.epw - 18 - 30 - 40, 30, 40)
    with doc.table(
        col_widths=widths, width=doc.epw, text_align="LEFT", line_height=5,
        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 230, 230)),
    ) as table:
        table.row([_printable(c) for c in document.columns])
        for line in document.lines:
            for row in _rows(doc, widths, line):
                table.row(row)
    if document.people:
        _section(doc, document.people_title)
        for person in document.people:
            _para(doc, person.name, style="B")
            _para(doc, " - ".join(p for p in (person.role, person.signed) if p))
            doc.ln(1.5)
    if document.footer:
        doc.ln(4)
        _para(doc, document.footer, 9, "I", 5)
    return bytes(doc.output())


def _cell(value: object) -> object:
    """Neutralise formula injection; leave non-strings alone."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _xlsx_cell(value: object) -> object:
    """Also: no control characters, no time zones (Excel refuses both), unknown types as text."""
    value = _cell(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, (datetime, time)):
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, Decimal, date, timedelta)):
        return value
    return _cell(str(value))


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(_cell(value))


def table_csv(header: list[str], rows: list[list[object]]) -> bytes:
    """UTF-8 with BOM, ';'-separated: what French Excel opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([_csv_text(v) for v in header])
    writer.writerows([_csv_text(v) for v in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(sheet_title: str, header: list[str], rows: list[list[object]]) -> bytes:
    """One sheet, bold frozen header, columns sized to their content (at most 60)."""
    book = Workbook()
    sheet = book.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "", sheet_title)[:31].strip("' ") or "Sheet1"
    sheet.append([_xlsx_cell(v) for v in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max((len(str(c.value)) for c in column if c.value is not None), default=0)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
