"""A group version of the doc's written case study (groups of 2 to 3, one criterion graded per member), and
sessions of it with the clock passed in."""
from __future__ import annotations

from pathlib import Path

import yaml

from simulator.catalogue import load_files
from simulator.exams import services
from simulator.extensions import db
from simulator.formats import load_tree
from simulator.groups import services as groups
from tests.exam_helpers import T0, schedule, user
from tests.grading_helpers import candidate

SLUG = "demo-b1-groupe"
MEMBERS = ("alice@test.fr", "bruno@test.fr", "chloe@test.fr")


def write_group_tree(root: Path) -> Path:
    from tests.helpers import doc_examples

    referentiel, written, _role_play = doc_examples()
    document = yaml.safe_load(written)
    document.update(id=SLUG, title="Étude de cas en groupe", organisation="group", group_size={"min": 2, "max": 3})
    document["grid"][1]["per_member"] = True
    (root / "referentiels").mkdir(parents=True, exist_ok=True)
    (root / "demo" / "files").mkdir(parents=True, exist_ok=True)
    (root / "demo" / "files" / "tarifs.csv").write_text("reference;prix\nLUM-01;120\n", encoding="utf-8")
    (root / "referentiels" / "demo.yaml").write_text(referentiel, encoding="utf-8")
    (root / "demo" / f"{SLUG}.yaml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                                               encoding="utf-8")
    return root


def load_group_scenario(root: Path) -> None:
    load_files(load_tree(write_group_tree(root)))
    db.session.commit()


def group_session(*emails: str, opens=T0, hours: float = 8, password_hash: str | None = None):
    """A session of the group scenario for these candidates, formed into groups automatically."""
    for email in emails:
        candidate(email, password_hash=password_hash)
    session = schedule(SLUG, candidates=emails, opens=opens, hours=hours)
    groups.form_groups(session, by=user("trainer@test.fr"), now=opens)
    db.session.flush()
    return session


def start_all(session, at=T0) -> None:
    for attempt in session.attempts:
        services.start_attempt(attempt, sworn=True, now=at)
    db.session.flush()
