"""Who may reach a page: roles are checked before any handler runs."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user


def roles_required(*roles: str) -> Callable:
    """Anonymous users go to the login page; other roles get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                from simulator.extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        guarded.allowed_roles = roles
        return guarded

    return decorator


def guard_blueprint(blueprint, *roles: str) -> None:
    """Every route of the blueprint requires one of the roles."""

    @blueprint.before_request
    @roles_required(*roles)
    def _check_role():
        return None
