"""Admins list and create accounts."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select

from simulator.auth import links, services
from simulator.auth.forms import UserForm
from simulator.auth.models import User
from simulator.core.access import guard_blueprint
from simulator.extensions import db

bp = Blueprint("accounts", __name__)
guard_blueprint(bp, "admin")


class LinkForm(FlaskForm):
    """Its CSRF token is all it carries."""


@bp.route("/", methods=["GET", "POST"])
def index():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(email=form.email.data, name=form.name.data, role=form.role.data,
                                        password=form.password.data or None)
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.index"))
    return _page(form)


def _page(form: UserForm, **extra):
    users = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    status = 400 if form.errors else 200
    return render_template("accounts/index.html", users=users, form=form, link_form=LinkForm(), **extra), status


@bp.route("/<int:user_id>/link", methods=["POST"])
def link(user_id: int):
    """An invitation (no password yet) or a reset link: sent by email where SMTP is configured, shown to copy."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if not LinkForm().validate_on_submit():
        abort(400)
    url = links.link_for(user)
    sent = False
    if links.mail_configured():
        try:
            links.send(user, url)
            sent = True
        except OSError as exc:
            flash(_("The email could not be sent (%(error)s): copy the link below and hand it over.", error=exc), "error")
    return _page(UserForm(formdata=None), link_user=user, link_url=url, link_sent=sent)
