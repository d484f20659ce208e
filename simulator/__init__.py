"""RNCP exam simulator: the application factory."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app. No side effect: no table is created, nothing is written."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    _configure(app, overrides or {})
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _configure(app: Flask, overrides: dict) -> None:
    from simulator import config

    if "SECRET_KEY" in overrides and "SQLALCHEMY_DATABASE_URI" in overrides:
        settings = config.Settings(instance_path=Path(app.instance_path),
                                   database_url=overrides["SQLALCHEMY_DATABASE_URI"],
                                   secret_key=overrides["SECRET_KEY"])
    else:
        settings = config.from_environment(Path(app.instance_path))
    app.config.update(settings.flask_config())
    app.config.update(overrides)


def _init_extensions(app: Flask) -> None:
    from simulator import models  # noqa: F401  (the whole schema)
    from simulator.core import database
    from simulator.core import errors, headers, i18n, templating
    from simulator.core.i18n import select_locale
    from simulator.extensions import babel, csrf, db, htmx, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        database.ping_idle_connections(db.engine)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    i18n.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    # Flask-Limiter also checks every request before its view, for application-wide and default limits. There are
    # none: the limits are on the sign-in views, whose decorators check them. That check was a twentieth of an
    # autosave's CPU. (If Flask-Limiter renames it, this line fails at start-up rather than silently.)
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    login_manager.session_protection = None  # sessions are server-side rows; see docs/decisions
    login_manager.user_loader(_load_user)
    headers.init_app(app)
    errors.init_app(app)
    templating.init_app(app)


def _load_user(token: str):
    from simulator.auth.services import load_session_user
    from simulator.extensions import db

    user = load_session_user(token)
    if user is not None and db.session.dirty:
        db.session.commit()
    return user


def _register_blueprints(app: Flask) -> None:
    from simulator.auth.views import bp as auth_bp
    from simulator.home.views import bp as home_bp
    from simulator.referentiels.views import bp as referentiels_bp
    from simulator.scenarios.draft_views import bp as drafts_bp
    from simulator.scenarios.views import bp as scenarios_bp
    from simulator.accounts.views import bp as accounts_bp
    from simulator.exams.admin_views import bp as accommodations_bp
    from simulator.exams.candidate_views import bp as candidate_bp
    from simulator.exams.trainer_views import bp as sessions_bp
    from simulator.cohorts import views as cohort_views
    from simulator.grading import admin_views, candidate_views, evaluator_views, routing, trainer_views
    from simulator.groups import views as group_views
    from simulator.recording import views as recording_views
    from simulator.roleplay import views as roleplay_views

    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(referentiels_bp, url_prefix="/trainer/referentiels")
    app.register_blueprint(scenarios_bp, url_prefix="/trainer/scenarios")
    app.register_blueprint(drafts_bp, url_prefix="/trainer/drafts")
    app.register_blueprint(accounts_bp, url_prefix="/admin/users")
    app.register_blueprint(candidate_bp, url_prefix="/candidate")
    app.register_blueprint(sessions_bp, url_prefix="/trainer/sessions")
    app.register_blueprint(accommodations_bp, url_prefix="/admin/accommodations")
    app.register_blueprint(evaluator_views.bp, url_prefix="/evaluator")
    app.register_blueprint(trainer_views.bp, url_prefix="/trainer/grading")
    app.register_blueprint(admin_views.bp, url_prefix="/admin/evaluators")
    app.register_blueprint(candidate_views.bp, url_prefix="/candidate/results")
    app.register_blueprint(cohort_views.bp, url_prefix="/trainer/cohorts")
    app.register_blueprint(roleplay_views.candidate_bp, url_prefix="/candidate")
    app.register_blueprint(roleplay_views.tryout_bp, url_prefix="/trainer/try-outs")
    app.register_blueprint(recording_views.candidate_bp, url_prefix="/candidate")
    app.register_blueprint(recording_views.jury_bp, url_prefix="/evaluator")
    app.register_blueprint(group_views.trainer_bp, url_prefix="/trainer/sessions")
    app.register_blueprint(group_views.candidate_bp, url_prefix="/candidate")
    routing.listen()


def _register_cli(app: Flask) -> None:
    from simulator.cli import register

    register(app)
