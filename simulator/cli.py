"""Commands an operator scripts: flask --app simulator <command>."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from simulator.extensions import db

DEMO_USERS = (
    ("admin@exemple.fr", "Alice Admin", "admin", "admin-demo-2026"),
    ("formateur@exemple.fr", "Fabrice Formateur", "trainer", "formateur-demo-2026"),
    ("evaluateur@exemple.fr", "Eva Évaluatrice", "evaluator", "evaluateur-demo-2026"),
    ("professionnel@exemple.fr", "Paul Professionnel", "evaluator", "professionnel-demo-2026"),
    ("candidat@exemple.fr", "Camille Candidat", "candidate", "candidat-demo-2026"),
    ("binome@exemple.fr", "Bastien Binôme", "candidate", "binome-demo-2026"),  # to try group and pair work
    ("equipiere@exemple.fr", "Élise Équipière", "candidate", "equipiere-demo-2026"),
)


def _print_problems(exc) -> None:
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(exc.problems)} problem(s) found; nothing was loaded.", err=True)


def _scenarios_dir() -> Path:
    return Path(current_app.config["SCENARIOS_DIR"])


@click.command("validate")
@with_appcontext
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def validate_command(paths: tuple[Path, ...]) -> None:
    """Check référentiel and scenario files without loading them."""
    from simulator.formats import FormatError, load_tree, validate_paths

    try:
        files = validate_paths(list(paths), _scenarios_dir()) if paths else load_tree(_scenarios_dir())
    except FormatError as exc:
        _print_problems(exc)
        sys.exit(1)
    for loaded in files:
        click.echo(f"ok  {loaded.kind:<11} {loaded.model.id:<45} {loaded.display}")
    click.echo(f"{len(files)} file(s) valid.")


@click.command("load")
@with_appcontext
@click.argument("root", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def load_command(root: Path | None) -> None:
    """Load every référentiel and scenario under ROOT (default: scenarios/). Idempotent."""
    from simulator.catalogue import load_files
    from simulator.formats import FormatError, load_tree

    try:
        files = load_tree(root or _scenarios_dir())
    except FormatError as exc:
        _print_problems(exc)
        sys.exit(1)
    report = load_files(files)
    db.session.commit()
    for kind, ident, status in report:
        click.echo(f"{status:<18} {kind:<11} {ident}")
    changed = sum(1 for *_, status in report if status != "unchanged")
    click.echo(f"{len(report)} file(s) read, {changed} change(s) stored.")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["candidate", "trainer", "evaluator", "admin"]))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email: str, name: str, role: str, password: str) -> None:
    """Create an account."""
    from simulator.auth.services import AccountError, create_user

    try:
        user = create_user(email=email, name=name, role=role, password=password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create the demo accounts listed in the README, if they are missing."""
    from simulator.auth.services import create_user, find_user

    for email, name, role, password in DEMO_USERS:
        if find_user(email) is None:
            create_user(email=email, name=name, role=role, password=password)
            click.echo(f"created {role:<10} {email}")
        else:
            click.echo(f"kept    {role:<10} {email}")
    _seed_jury()
    db.session.commit()


def _seed_jury() -> None:
    """A jury of two for the demo: Eva as intervenant, Paul as professional, for every référentiel loaded."""
    from simulator.auth.services import find_user
    from simulator.grading import profiles
    from simulator.referentiels.models import Certification

    everything = [f"{c.id}:*" for c in db.session.scalars(select(Certification))]
    for email, role in (("evaluateur@exemple.fr", "intervenant"), ("professionnel@exemple.fr", "professionnel")):
        person = find_user(email)
        if person is not None and profiles.profile_of(person) is None:
            profiles.save(person, roles=[role], active=True, qualifications=everything, candidates=[], cohorts=[])
            click.echo(f"jury    {role:<13} {email}")


@click.command("show")
@with_appcontext
def show_command() -> None:
    """What is loaded: référentiels, their scenarios and versions, accounts."""
    from simulator.auth.models import User
    from simulator.referentiels.models import Certification

    for cert in db.session.scalars(select(Certification).order_by(Certification.slug)):
        competences = sum(len(b.competences) for b in cert.blocs)
        criteria = sum(len(m.criteria) for m in cert.modalities)
        click.echo(f"{cert.slug}: {cert.title} — {len(cert.blocs)} blocs, {competences} compétences, "
                   f"{len(cert.modalities)} modalités, {criteria} critères")
        from simulator.scenarios.models import Scenario

        for scenario in db.session.scalars(select(Scenario).where(Scenario.certification_id == cert.id).order_by(Scenario.slug)):
            click.echo(f"    {scenario.slug} v{scenario.latest.number} — {scenario.latest.title}")
    for user in db.session.scalars(select(User).order_by(User.role, User.email)):
        click.echo(f"user {user.role:<10} {user.email}")


@click.command("coverage")
@with_appcontext
@click.argument("referentiel")
def coverage_command(referentiel: str) -> None:
    """Compétences × scenarios for one référentiel; lists what no scenario assesses."""
    from simulator.referentiels.coverage import compute_coverage
    from simulator.referentiels.services import get_certification
    from simulator.scenarios.services import summaries

    cert = get_certification(referentiel)
    if cert is None:
        raise click.ClickException(f"no référentiel {referentiel!r} is loaded (see `flask show`)")
    result = compute_coverage(cert.document, summaries(cert.id))
    for row in result.rows:
        click.echo(f"{row.code:<10} {len(row.scenarios)} scenario(s)  {', '.join(row.scenarios) or '— NONE'}")
    click.echo(f"{len(result.uncovered)} compétence(s) without a scenario: {', '.join(r.code for r in result.uncovered) or 'none'}")
    click.echo(f"{len(result.unused_criteria)} critère(s) used by no scenario: "
               f"{', '.join(k['id'] for k in result.unused_criteria) or 'none'}")
    click.echo(f"{len(result.modalities_without_scenario)} modality(ies) without a scenario: "
               f"{', '.join(m['id'] for m in result.modalities_without_scenario) or 'none'}")
    if result.uncovered:
        sys.exit(1)


@click.command("close-expired")
@with_appcontext
def close_expired_command() -> None:
    """Hand in every attempt past its deadline and grace (run it from cron every minute)."""
    from simulator.core.types import utcnow
    from simulator.exams.services import finalise_expired

    count = finalise_expired(utcnow())
    click.echo(f"{count} attempt(s) handed in automatically.")


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path, dir_okay=False))
@with_appcontext
def backup_command(target: Path) -> None:
    """Write a consistent copy of the database to TARGET, while the application runs (exams included)."""
    from simulator.core.backup import BackupError, backup

    try:
        backup(current_app.config["SQLALCHEMY_DATABASE_URI"], target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written to {target} ({target.stat().st_size} bytes)")


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.confirmation_option(prompt="This replaces the whole database with the backup. Is the application stopped?")
@with_appcontext
def restore_command(source: Path) -> None:
    """Replace the database with the backup in SOURCE (stop the application first)."""
    from simulator.core.backup import BackupError, restore

    db.engine.dispose()
    try:
        restore(current_app.config["SQLALCHEMY_DATABASE_URI"], source)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"database restored from {source}")


def register(app: Flask) -> None:
    for command in (validate_command, load_command, create_user_command, seed_demo_command, show_command,
                    coverage_command, close_expired_command, backup_command, restore_command):
        app.cli.add_command(command)
