from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import Length, Optional, Regexp


class MoveForm(FlaskForm):
    """Also the empty form (CSRF only) of the 'form the groups' button."""

    attempt = IntegerField(validators=[Optional()])
    group = StringField(_l("Group"), validators=[Optional(), Regexp(r"^(none|new|\d{1,3})$")])

    def target(self) -> int | None:
        """0 for a new group, None for no group, else the group's number."""
        value = self.group.data or "none"
        return None if value == "none" else 0 if value == "new" else int(value)


class RoleForm(FlaskForm):
    role = StringField(_l("My role in the group"), validators=[Length(max=120)])


class PresenceForm(FlaskForm):
    working_on = HiddenField(validators=[Optional(), Length(max=80)])
