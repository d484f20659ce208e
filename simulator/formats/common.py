"""Vocabulary shared by référentiel and scenario files."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from simulator.formats.durations import parse_duration

ExerciseKind = Literal[
    "written_case_study",   # étude de cas écrite en temps limité, sur PC
    "written_dossier",      # dossier écrit, souvent en phases
    "role_play",            # jeu de rôle, entretien de vente, négociation
    "pitch",                # pitch enregistré, moins de 2 minutes
    "oral_defence",         # soutenance orale devant un jury
    "group_case_study",     # étude de cas en groupe, évaluation individualisée
    "professional_situation",  # mise en situation professionnelle réelle ou reconstituée
    "tutor_assessment",     # grille tuteur d'une période en entreprise
    "vae_jury",             # dossier de VAE et entretien avec un jury
]
EXERCISE_KINDS: tuple[str, ...] = ExerciseKind.__args__  # type: ignore[attr-defined]

Organisation = Literal["individual", "pair", "group"]
Mode = Literal["written", "oral", "written_and_oral"]

Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
JuryRoleName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z_]*$", max_length=40)]


def _check_duration(value: str) -> str:
    parse_duration(value)
    return value


Duration = Annotated[str, AfterValidator(_check_duration)]


def normalise_code(printed: str) -> str:
    """'C.1.1.' -> 'C1.1', 'C 11' -> 'C11', 'Cl1.4' -> 'C1.4'."""
    code = printed.strip().upper().replace(" ", "")
    code = re.sub(r"^CL(?=\d)", "C", code)
    code = re.sub(r"^([A-Z]+)\.", r"\1", code)
    return code.rstrip(".")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class GroupSize(Strict):
    min: int = Field(ge=1, le=20)
    max: int = Field(ge=1, le=20)


class JuryMember(Strict):
    role: JuryRoleName
    count: int = Field(default=1, ge=1, le=5)
    description: str | None = None
