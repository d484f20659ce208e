"""The operator's commands: validate, load, show, coverage, create-user, seed-demo."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from simulator.auth.models import User
from simulator.cli import DEMO_USERS
from simulator.extensions import db
from simulator.scenarios.models import ScenarioVersion
from tests.helpers import write_example_tree


@pytest.fixture
def tree(tmp_path) -> Path:
    return write_example_tree(tmp_path / "scenarios")


def test_validate_prints_each_problem_and_exits_non_zero(app, tree):
    path = tree / "demo" / "demo-b1-etude-de-cas.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: written_case_study", "kind: quiz"), encoding="utf-8")
    saved, app.config["SCENARIOS_DIR"] = app.config["SCENARIOS_DIR"], str(tree)
    try:
        result = app.test_cli_runner().invoke(args=["validate"])
    finally:
        app.config["SCENARIOS_DIR"] = saved
    assert result.exit_code == 1
    assert "demo-b1-etude-de-cas.yaml:7 [kind]: found 'quiz'; expected one of 'written_case_study'" in result.output
    assert "1 problem(s) found; nothing was loaded." in result.output


def test_validate_a_single_file(app, tree):
    result = app.test_cli_runner().invoke(args=["validate", str(tree / "demo" / "demo-b1-jeu-de-role.yaml")])
    assert result.exit_code == 0, result.output
    assert "1 file(s) valid." in result.output


def test_load_then_load_again(app, tree):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["load", str(tree)])
    assert first.exit_code == 0, first.output
    assert "3 file(s) read, 3 change(s) stored." in first.output
    second = runner.invoke(args=["load", str(tree)])
    assert "3 file(s) read, 0 change(s) stored." in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == 2


def test_load_refuses_a_broken_tree_and_loads_nothing(app, tree):
    (tree / "demo" / "extra.yaml").write_text("format: scenario/1\nid: x\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["load", str(tree)])
    assert result.exit_code == 1 and "nothing was loaded" in result.output
    assert "[title]: found nothing; expected a value for 'title' (required)" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ScenarioVersion)) == 0


def test_show_and_coverage(app, tree):
    runner = app.test_cli_runner()
    runner.invoke(args=["load", str(tree)])
    shown = runner.invoke(args=["show"])
    assert "demo: Chargé de clientèle (exemple) — 1 blocs, 3 compétences, 2 modalités, 3 critères" in shown.output
    assert "demo-b1-etude-de-cas v1" in shown.output
    coverage = runner.invoke(args=["coverage", "demo"])
    assert coverage.exit_code == 0
    assert "0 compétence(s) without a scenario: none" in coverage.output
    assert runner.invoke(args=["coverage", "nope"]).exit_code != 0


def test_seed_demo_is_idempotent_and_create_user_refuses_duplicates(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"]).output
    assert "created admin" in first and "jury    intervenant" in first and "jury    professionnel" in first
    again = runner.invoke(args=["seed-demo"]).output
    assert "kept    admin" in again and "jury" not in again
    result = runner.invoke(args=["create-user", "--email", "admin@exemple.fr", "--name", "A", "--role", "admin",
                                 "--password", "long-enough-pw"])
    assert result.exit_code != 0 and "already exists" in result.output
    result = runner.invoke(args=["create-user", "--email", "new@exemple.fr", "--name", "N", "--role", "trainer",
                                 "--password", "long-enough-pw"])
    assert result.exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == len(DEMO_USERS) + 1
