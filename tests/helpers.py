"""Test helpers: the doc's examples as a scenario tree, and a CSRF-aware client."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "file-formats.md"

PASSWORDS = {
    "admin": ("admin@test.fr", "admin-password-1"),
    "trainer": ("trainer@test.fr", "trainer-password-1"),
    "evaluator": ("evaluator@test.fr", "evaluator-password-1"),
    "candidate": ("candidate@test.fr", "candidate-password-1"),
}


def doc_examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def write_example_tree(root: Path) -> Path:
    """scenarios/ with the référentiel and the two scenarios of docs/file-formats.md."""
    referentiel, written, role_play = doc_examples()
    (root / "referentiels").mkdir(parents=True, exist_ok=True)
    (root / "demo" / "files").mkdir(parents=True, exist_ok=True)
    (root / "demo" / "files" / "tarifs.csv").write_text("reference;prix\nLUM-01;120\n", encoding="utf-8")
    (root / "referentiels" / "demo.yaml").write_text(referentiel, encoding="utf-8")
    (root / "demo" / "demo-b1-etude-de-cas.yaml").write_text(written, encoding="utf-8")
    (root / "demo" / "demo-b1-jeu-de-role.yaml").write_text(role_play, encoding="utf-8")
    return root


def csrf_from(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


class Session:
    """A browser-like client: it reads the CSRF token from the last page, as the real forms do."""

    def __init__(self, client):
        self.client = client
        self.token: str | None = None

    def get(self, url: str, **kwargs):
        response = self.client.get(url, **kwargs)
        if response.mimetype == "text/html":
            match = re.search(r'<meta name="csrf-token" content="([^"]+)"', response.get_data(as_text=True))
            if match:
                self.token = match.group(1)
        return response

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            if self.token is None:
                self.get("/login")
            data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kwargs)

    def login(self, role: str):
        email, password = PASSWORDS[role]
        self.get("/login")
        return self.post("/login", {"email": email, "password": password})


def xlsx_bytes(rows: int = 0) -> bytes:
    """A real workbook; `rows` lines of figures that do not compress make it larger."""
    import io
    import random

    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Chiffrage"
    draw = random.Random(rows)
    for row in range(2, rows + 2):
        book.active.append([f"Poste {row}", draw.random(), draw.getrandbits(64)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
