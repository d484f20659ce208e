from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField


class ImportForm(FlaskForm):
    scenario = FileField(_l("Scenario file (.yaml)"))
    attachments = MultipleFileField(_l("Its attachments, if it has any (the files its documents name)"))
