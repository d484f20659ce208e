"""French is the interface's first language: every message of the code has its translation."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "simulator" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def test_every_message_in_the_code_is_in_the_french_catalogue(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                   check=True, cwd=ROOT, capture_output=True)
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalogue = {m.id: m for m in read_po(f) if m.id}
    missing = sorted(str(m) for m in wanted if m not in catalogue or not catalogue[m].string)
    assert missing == [], "run `make extract` and translate these messages"


def test_no_translation_is_fuzzy():
    with PO.open("rb") as f:
        fuzzy = [m.id for m in read_po(f) if m.id and m.fuzzy]
    assert fuzzy == []
