from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length


class ReplyForm(FlaskForm):
    number = HiddenField()
    said = TextAreaField(_l("Your reply"), validators=[Length(max=20_000)])  # the service says what is too long
