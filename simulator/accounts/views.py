"""Admins list and create accounts."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from simulator.auth import services
from simulator.auth.forms import UserForm
from simulator.auth.models import User
from simulator.core.access import guard_blueprint
from simulator.extensions import db

bp = Blueprint("accounts", __name__)
guard_blueprint(bp, "admin")


@bp.route("/", methods=["GET", "POST"])
def index():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(email=form.email.data, name=form.name.data, role=form.role.data,
                                        password=form.password.data)
        except services.AccountError as exc:
            form.email.errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for("accounts.index"))
    users = db.session.scalars(select(User).order_by(User.role, User.name)).all()
    status = 400 if form.errors else 200
    return render_template("accounts/index.html", users=users, form=form), status
