"""PDF, CSV and XLSX rendering of the grading documents (no app needed)."""
from __future__ import annotations

import csv
import enum
import io
import re
import zlib
from datetime import datetime, timezone

import openpyxl
import pytest

from simulator.grading import documents
from simulator.grading.documents import Document, Line, Person, _printable, pdf, table_csv, table_xlsx

REFERENCE = "CERT-2026-000042"


def _content(data: bytes) -> bytes:
    """The page streams, decompressed (fpdf2 deflates them), joined."""
    parts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            parts.append(stream)
    return b"\n".join(parts)


def _pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))  # \b leaves out "/Type /Pages"


def _document(**changes: object) -> Document:
    fields: dict[str, object] = dict(
        title="Certificat de bloc de compétences",
        reference=REFERENCE,
        heading=[("Candidat", "Zoé L’Hôpital"), ("Certification", "Manager « opérationnel » – œuvre"),
                 ("Frais", "1 200 €")],
        lines_title="Compétences validées",
        columns=("Code", "Compétence", "Décision", "Note"),
        lines=[Line(f"C{i}.2", "Élaborer une stratégie commerciale adaptée au marché. " * (i % 6 + 1),
                    "Acquise" if i % 2 else "Non acquise", "15/06/2026" if i % 3 else "")
               for i in range(40)],
        people_title="Jury",
        people=[Person("Jean Dupont", "Président du jury", "Confirmé le 15/06/2026 à 10:02"),
                Person("Anne Martin", "Intervenant du bloc")],
        footer="Document généré le 15/06/2026 par le simulateur RNCP.",
    )
    fields.update(changes)
    return Document(**fields)  # type: ignore[arg-type]


def test_pdf_of_a_long_french_document() -> None:
    data = pdf(_document())
    assert data.startswith(b"%PDF")
    pages = _pages(data)
    assert pages > 1
    assert f"/Count {pages}".encode() in data
    content = _content(data)
    assert content.count(REFERENCE.encode()) == pages  # footer on every page
    assert b"(p. 1/) Tj (%d) Tj" % pages in content  # fpdf2 writes the {nb} alias as its own Tj
    for text in (b"Comp\xe9tences valid\xe9es", b"Zo\xe9 L'H\xf4pital", b"\xab op\xe9rationnel \xbb - oeuvre",
                 b"1 200 EUR", b"Jean Dupont", b"Confirm\xe9 le 15/06/2026 \xe0 10:02", b"C39.2",
                 b"par le simulateur RNCP."):
        assert text in content


def test_pdf_without_people_nor_footer() -> None:
    data = pdf(_document(people=[], people_title="Jury", footer="", lines=[Line("C1", "x", "Acquise")]))
    content = _content(data)
    assert _pages(data) == 1
    assert b"(Jury)" not in content and b"C1" in content


def test_pdf_row_taller_than_a_page_is_split_not_lost() -> None:
    words = " ".join(f"w{i}" for i in range(3000))
    data = pdf(_document(lines=[Line("C1", words, "Acquise", "justification " * 300 + "FIN")]))
    content = _content(data)
    assert {int(n) for n in re.findall(rb"w(\d+)", content)} == set(range(3000))
    assert b"FIN" in content and _pages(data) > 3


def test_pdf_never_raises_on_unicode() -> None:
    line = Line("C1 😀", "Ελληνικά 中文 → ﬁn", "✓", "ő\u202f!")
    assert pdf(_document(title="Titre 😀", lines=[line])).startswith(b"%PDF")


def test_pdf_is_reproducible_with_a_fixed_creation_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(documents, "_CREATION_DATE", datetime(2026, 6, 15, tzinfo=timezone.utc))
    assert pdf(_document()) == pdf(_document())


def test_printable_maps_what_latin1_lacks_and_keeps_accents() -> None:
    assert _printable("œuvre Œil l’été … — – € «\u00a0à\u00a0»") == "oeuvre OEil l'été ... - - EUR « à »"
    assert _printable("éèàçôîùÉÀ") == "éèàçôîùÉÀ"
    assert _printable("e\u0301") == "é"  # decomposed accent
    assert _printable("→ 😀") == "? ?"
    _printable("".join(map(chr, range(0x20, 0x3000)))).encode("latin-1")


def test_csv_for_french_excel() -> None:
    data = table_csv(["Candidat", "Note", "Lien", "Vide"],
                     [["Zoé Müller; «test»", 2.0, "=HYPERLINK(\"http://x\")", None],
                      ["-1+1", 2.5, -3, "@SUM(A1)"]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Candidat;Note;Lien;Vide"
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[1] == ["Zoé Müller; «test»", "2", "'=HYPERLINK(\"http://x\")", ""]
    assert rows[2] == ["'-1+1", "2.5", "-3", "'@SUM(A1)"]  # a negative number is not a formula


def test_xlsx_round_trip() -> None:
    class Colour(enum.Enum):
        RED = 1

    when = datetime(2026, 6, 15, 10, 2, tzinfo=timezone.utc)
    data = table_xlsx("Résultats: B1/2026 [session*?] très longue",
                      ["Candidat", "Note", "Lien", "Quand"],
                      [["Zoé", 2, "=HYPERLINK(\"http://x\")", when], ["a\x00b", 12.5, Colour.RED, None]])
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    assert len(book.sheetnames) == 1
    assert len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")
    assert sheet.title.startswith("Résultats B12026")
    assert all(cell.font.bold for cell in sheet[1])
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[2]] == ["Zoé", 2, "'=HYPERLINK(\"http://x\")", datetime(2026, 6, 15, 10, 2)]
    assert [c.value for c in sheet[3]] == ["ab", 12.5, "Colour.RED", None]
    assert isinstance(sheet["B2"].value, int) and isinstance(sheet["B3"].value, float)
    assert sheet["C2"].data_type == "s"
    assert 8 <= sheet.column_dimensions["C"].width <= 60
