from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

JURY_ROLES = ("intervenant", "professionnel", "tuteur", "formateur", "membre")


class ProfileForm(FlaskForm):
    roles = SelectMultipleField(_l("Jury roles this evaluator can hold"), validators=[Optional()],
                                widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    active = BooleanField(_l("Available: takes new productions"))
    qualifications = SelectMultipleField(_l("May grade (a whole certification, or some of its blocs)"),
                                         validators=[Optional()], widget=ListWidget(prefix_label=False),
                                         option_widget=CheckboxInput())
    conflict_candidates = SelectMultipleField(_l("Must not grade these candidates"), coerce=int, validators=[Optional()])
    conflict_cohorts = SelectMultipleField(_l("Must not grade these cohorts"), coerce=int, validators=[Optional()])


class ReassignForm(FlaskForm):
    evaluator = SelectField(_l("New evaluator"), coerce=int, validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class SignForm(FlaskForm):
    confirm = BooleanField(_l("I confirm this procès-verbal."), validators=[DataRequired()])
