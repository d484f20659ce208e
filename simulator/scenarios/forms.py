from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length


class ImportForm(FlaskForm):
    scenario = FileField(_l("Scenario file (.yaml)"))
    attachments = MultipleFileField(_l("Its attachments, if it has any (the files its documents name)"))


class DraftForm(FlaskForm):
    text = TextAreaField(_l("The scenario file (YAML)"), validators=[Length(max=2_100_000)])


class DraftFileForm(FlaskForm):
    file = FileField(_l("A file candidates will download (named as in documents[].file)"))


class NewDraftForm(FlaskForm):
    referentiel = HiddenField()
    modality = HiddenField()


class ReferentielImportForm(FlaskForm):
    referentiel = FileField(_l("Référentiel file (.yaml)"))
