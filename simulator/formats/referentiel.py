"""The référentiel file: certification, blocs, compétences, modalités, critères."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulator.formats.common import (
    Duration, ExerciseKind, GroupSize, Identifier, JuryMember, Mode, Organisation, Strict, Text,
)


class Certification(Strict):
    title: Text
    organisme: Text
    level: int | None = Field(default=None, ge=1, le=8)
    rncp_code: str | None = None
    source: str | None = None
    title_note: str | None = None


class ValidationRules(Strict):
    bloc_validated_independently: bool = True
    certificate_per_bloc: bool = True
    all_blocs_required: bool = True
    text: str | None = None
    access_routes: list[Text] = []


class Accommodations(Strict):
    extra_time: str | None = None
    text: list[Text] = []


class Competence(Strict):
    code: Identifier
    printed_code: str | None = None
    code_derived: bool = False
    text: Text


class Bloc(Strict):
    code: Identifier
    title: Text
    printed_code: str | None = None
    competences: list[Competence] = Field(min_length=1)


class Criterion(Strict):
    id: Identifier
    competence: Identifier
    heading: str | None = None
    text: Text


class Jury(Strict):
    members: list[JuryMember] = []
    text: str | None = None


class Modality(Strict):
    id: Identifier
    bloc: Identifier | None = None
    title: Text
    description: str | None = None
    kind: ExerciseKind
    organisation: Organisation = "individual"
    group_size: GroupSize | None = None
    individual_grading: bool = True
    mode: Mode = "written"
    duration: Duration | None = None
    jury: Jury | None = None
    competences: list[Identifier] = Field(min_length=1)
    criteria: list[Criterion] = []


class ReferentielFile(Strict):
    format: Literal["referentiel/1"]
    id: Identifier
    certification: Certification
    validation: ValidationRules = ValidationRules()
    accommodations: Accommodations = Accommodations()
    blocs: list[Bloc] = Field(min_length=1)
    modalities: list[Modality] = Field(min_length=1)
    notes: str | None = None

    def competence_codes(self) -> dict[str, str]:
        """Normalised compétence code -> bloc code."""
        return {c.code: bloc.code for bloc in self.blocs for c in bloc.competences}
