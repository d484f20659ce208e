"""Sign in, sign out, choose the language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from simulator.auth import links, services
from simulator.auth.forms import ForgotForm, LanguageForm, LoginForm, NewPasswordForm
from simulator.extensions import db, limiter

bp = Blueprint("auth", __name__)

HOME_ENDPOINTS = {
    "candidate": "candidate.dashboard",
    "trainer": "home.trainer",
    "evaluator": "grading.queue",
    "admin": "home.admin",
}


def home_url(user) -> str:
    return url_for(HOME_ENDPOINTS[user.role])


def safe_next(target: str | None) -> str | None:
    """Only a local path; never another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_failed(response) -> bool:
    return response.status_code != 302


def _account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


def _login_limit() -> str:
    return ";".join(current_app.config["LOGIN_LIMITS"])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_login_failed, key_func=_account_key, scope="login-account")
def login():
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            return _sign_in(user, safe_next(form.next.data))
        flash(_("Wrong email or password."), "error")
    return render_template("auth/login.html", form=form), 200 if request.method == "GET" else 400


def _sign_in(user, next_url: str | None):
    language = session.get("language")
    session.clear()  # a new session at every login: no fixation
    services.open_session(user, request.user_agent.string)
    if language and not user.locale:
        user.locale = language
    db.session.commit()
    login_user(user)
    return redirect(next_url or home_url(user))


@bp.route("/logout", methods=["POST"])
def logout():
    services.close_session(current_user.get_id() if current_user.is_authenticated else None)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["language"] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
            db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("home.index"))


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Where an invitation or a reset link leads: the person chooses their password."""
    user = links.user_of(token)
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        links.set_password(user, form.password.data)
        db.session.commit()
        flash(_("Your password is set. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user), 400 if form.errors else 200


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot():
    """Never says whether an address has an account; sends the link only where SMTP is configured."""
    form = ForgotForm()
    sent = False
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.active and links.mail_configured():
            links.send(user, links.link_for(user))
        sent = True
    return render_template("auth/forgot.html", form=form, sent=sent, mail=links.mail_configured())
