"""A backup taken while candidates save, then restored after a disaster: every save acknowledged before the
backup began is there, and nothing that was never acknowledged."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, select

from simulator.core.backup import BackupError, backup, restore
from simulator.exams import services
from simulator.exams.models import Attempt, DraftSave
from simulator.extensions import db
from tests.exam_helpers import T0, schedule


@pytest.fixture
def attempt_id(app, users, loaded):
    with app.app_context():
        attempt = schedule().attempts[0]
        services.start_attempt(attempt, sworn=True, now=T0)
        db.session.commit()
        return attempt.id


def test_a_backup_during_live_saves_restores_every_acknowledged_save(app, attempt_id, tmp_path):
    acknowledged, stop = [], threading.Event()

    def candidate():
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            number = 0
            while not stop.is_set():
                number += 1
                text = f"version {number}"
                services.save_text(attempt, deliverable_id="analyse", content=text, author=attempt.candidate,
                                   now=T0 + timedelta(seconds=number))
                db.session.commit()
                acknowledged.append(text)  # the candidate's page would now say "saved"
            db.session.remove()

    writer = threading.Thread(target=candidate)
    writer.start()
    while len(acknowledged) < 20:
        stop.wait(0.01)
    before = list(acknowledged)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    target = backup(url, tmp_path / "exam.backup")
    while len(acknowledged) < len(before) + 20:  # the exam goes on after the backup
        stop.wait(0.01)
    stop.set()
    writer.join(30)
    with app.app_context():
        db.session.execute(delete(DraftSave))  # the disaster
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
        restore(url, target)
        restored = set(db.session.scalars(select(DraftSave.content)))
        db.session.remove()
    assert set(before) <= restored <= set(acknowledged)
    with pytest.raises(BackupError, match="already exists"):
        backup(url, target)  # a backup is never overwritten


def test_the_commands_say_what_went_wrong(app, tmp_path):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", str(tmp_path / "copy.backup")])
    assert made.exit_code == 0 and "backup written to" in made.output
    again = runner.invoke(args=["backup", str(tmp_path / "copy.backup")])
    assert again.exit_code != 0 and "already exists" in again.output
    (tmp_path / "not-a-backup").write_text("bonjour")
    refused = runner.invoke(args=["restore", "--yes", str(tmp_path / "not-a-backup")])
    assert refused.exit_code != 0
    assert "nothing was restored" in refused.output or "not a pg_dump backup" in refused.output
