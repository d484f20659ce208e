from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class StartForm(FlaskForm):
    sworn = BooleanField(_l("I certify on my honour that I will do this exam alone, with only the allowed documents and tools."))


class AnswerForm(FlaskForm):
    """One autosave: sent as JSON by the workspace (see workspace.html), as a form without JavaScript."""

    class Meta:
        csrf = False  # CSRFProtect has checked the request's token already; a second check cost every autosave

    content = TextAreaField(_l("Your answer"), validators=[Length(max=500_000)])
    base = IntegerField(validators=[Optional(), NumberRange(min=0)])  # the revision the text started from


def answer_form() -> AnswerForm | None:
    """The autosave as sent: JSON from the workspace (decoding 20 KB of a form's percent-encoding took a seventh
    of a save's CPU), a form from a browser without JavaScript. None: JSON that is not an object of texts."""
    if not request.is_json:
        return AnswerForm()
    sent = request.get_json(silent=True)
    if not isinstance(sent, dict):
        return None
    fields = {name: sent[name] for name in ("content", "base") if sent.get(name) is not None}
    if not isinstance(fields.get("content", ""), str) or isinstance(fields.get("base", 0), (bool, list, dict)):
        return None
    return AnswerForm(formdata=MultiDict({name: str(value) for name, value in fields.items()}))


class HandInForm(FlaskForm):
    confirm = BooleanField(_l("I hand in my work now. I will not be able to change it afterwards."),
                           validators=[DataRequired()])


class ScheduleForm(FlaskForm):
    scenario = SelectField(_l("Scenario"), validators=[DataRequired()])
    title = StringField(_l("Title of the session"), validators=[Length(max=300)])
    opens_at = DateTimeLocalField(_l("Opens (Paris time)"), validators=[InputRequired()], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField(_l("Closes (Paris time)"), validators=[InputRequired()], format="%Y-%m-%dT%H:%M")
    start_mode = SelectField(_l("Start"), choices=[SelectChoice("self", _l("Each candidate starts within the window")),
                                                    SelectChoice("together", _l("All together, when I open the session"))])
    candidates = SelectMultipleField(_l("Candidates"), coerce=int, validators=[Optional()])
    cohort = SelectField(_l("Or a whole cohort"), coerce=int, validators=[Optional()])


class GrantForm(FlaskForm):
    minutes = IntegerField(_l("Minutes"), validators=[InputRequired(), NumberRange(min=1, max=600)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class AccommodationForm(FlaskForm):
    fraction = StringField(_l("Extra time as a fraction (1/3 for a tiers-temps)"), validators=[Length(max=10)])
    minutes = IntegerField(_l("Extra minutes"), default=0, validators=[Optional(), NumberRange(min=0, max=600)])
    textual_oral = BooleanField(_l("Orals as a written exchange with the jury, in the app (textual modality)"))
    note = TextAreaField(_l("Note (admins only)"), validators=[Length(max=2000)])


class PauseForm(FlaskForm):
    reason = StringField(_l("Incident"), validators=[Length(max=500)])


class OralNotesForm(FlaskForm):
    notes = TextAreaField(_l("Notes taken during the oral"), validators=[Length(max=50_000)])


class OralMessageForm(FlaskForm):
    text = TextAreaField(_l("Your message"), validators=[Length(max=20_000)])  # the service says what is too long
