from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional


class CohortForm(FlaskForm):
    name = StringField(_l("Name of the cohort"), validators=[DataRequired(), Length(max=200)])


class RosterForm(FlaskForm):
    roster = FileField(_l("CSV file: name, email, candidate number (one candidate per line, a header line first)"),
                       validators=[FileRequired()])


class MembersForm(FlaskForm):
    candidates = SelectMultipleField(_l("Add existing candidates"), coerce=int, validators=[Optional()])
