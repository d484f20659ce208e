"""Reading a cohort's roster from CSV: name, email, candidate number. Plain Python: no Flask, no database."""
from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

HEADERS = {
    "name": {"name", "nom", "nom complet", "full name", "candidat", "candidate"},
    "email": {"email", "e-mail", "courriel", "mail", "adresse email", "adresse e-mail"},
    "number": {"candidate number", "numero", "numero candidat", "numero de candidat", "n candidat", "number"},
}
MAX_LINES = 5000


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    number: str


@dataclass(frozen=True)
class Rejected:
    line: int
    reason: str  # a key of REASONS in the views, formatted with detail
    detail: str = ""


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().lower().replace("°", ""))
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).replace("_", " ").split())


def _columns(header: list[str]) -> dict[str, int] | None:
    found = {}
    for index, title in enumerate(header):
        for key, names in HEADERS.items():
            if _plain(title) in names and key not in found:
                found[key] = index
    return found if {"name", "email"} <= found.keys() else None


def parse(data: bytes) -> tuple[list[Row], list[Rejected]]:
    """Every line is either a Row or a Rejected with its reason; the header names the columns (French or
    English, any order, ';' or ',' or tab)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # what French Excel writes when not told otherwise
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [Rejected(1, "no_header")]
    dialect = csv.Sniffer().sniff(lines[0], delimiters=";,\t") if any(c in lines[0] for c in ";,\t") else csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    columns = _columns(next(reader))
    if columns is None:
        return [], [Rejected(1, "no_header")]
    rows, rejected, seen = [], [], {}
    for line, cells in enumerate(reader, start=2):
        if line > MAX_LINES + 1:
            rejected.append(Rejected(line, "too_many", str(MAX_LINES)))
            break
        if not any(c.strip() for c in cells):
            continue
        cell = lambda key: cells[columns[key]].strip() if key in columns and columns[key] < len(cells) else ""  # noqa: E731
        name, email, number = cell("name"), cell("email"), cell("number")
        if not name:
            rejected.append(Rejected(line, "no_name"))
            continue
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            rejected.append(Rejected(line, "bad_email", email))
            continue
        if email in seen:
            rejected.append(Rejected(line, "duplicate", str(seen[email])))
            continue
        seen[email] = line
        rows.append(Row(line, name[:200], email, number[:40]))
    return rows, rejected
