"""The migrations build exactly the models' schema, and go down and up again."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from simulator.extensions import db


def test_migration_head_matches_the_models(app):
    with app.app_context():
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_every_migration_goes_down_and_up(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables


def test_altering_a_table_keeps_the_rows_that_reference_it(app, users, loaded):
    """SQLite alters a table by copying it and dropping the old one: with foreign keys on, that drop would delete
    every row pointing at it (ON DELETE CASCADE). A try-out's exchanges survive the conversations table going
    down a revision and up again."""
    from simulator.roleplay import services
    from simulator.roleplay.models import Exchange
    from simulator.scenarios.models import Scenario
    from sqlalchemy import func, select
    from tests.exam_helpers import T0, user

    with app.app_context():
        version = db.session.scalar(select(Scenario).where(Scenario.slug == "demo-b1-jeu-de-role")).latest
        conversation = services.start_try_out(version, user("trainer@test.fr"), T0)
        services.say(conversation, number=1, text="Quels sont vos besoins ?", now=T0)
        db.session.commit()
        db.session.remove()
        downgrade(revision="534e70753838")  # before conversations.draft_id
        upgrade()
        assert db.session.scalar(select(func.count()).select_from(Exchange)) == 2
