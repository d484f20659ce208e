"""A référentiel as a Moodle competency framework CSV, in the format of Moodle's own importer
(admin/tool/lpimportcsv: framework_importer and framework_exporter).

The framework row comes first; then each bloc (a top-level competency, taxonomy "domain"), its compétences
("competency") and their critères d'évaluation ("indicator"), each naming its parent by ID number. The
framework carries one scale, Non acquis / Acquis, with Acquis as the proficient value.
"""
from __future__ import annotations

import csv
import io
import json

from simulator.referentiels.models import Certification

HEADERS = (
    "Parent ID number", "ID number", "Short name", "Description", "Description format", "Scale values",
    "Scale configuration", "Rule type (optional)", "Rule outcome (optional)", "Rule config (optional)",
    "Cross-referenced competency ID numbers", "Exported ID (optional)", "Is framework", "Taxonomy",
)
FORMAT_PLAIN = 2  # Moodle's FORMAT_PLAIN
SCALE_VALUES = "Non acquis,Acquis"
# Moodle replaces the scaleid by the scale it finds or creates; one default value, at least one proficient.
SCALE_CONFIGURATION = json.dumps([{"scaleid": "0"}, {"id": 1, "scaledefault": 1, "proficient": 0},
                                  {"id": 2, "scaledefault": 0, "proficient": 1}], separators=(",", ":"))
TAXONOMIES = "domain,competency,indicator"
SHORT_NAME_LIMIT = 100  # Moodle shortens longer ones


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SHORT_NAME_LIMIT else text[:SHORT_NAME_LIMIT - 1].rstrip() + "…"


def _row(parent: str, idnumber: str, shortname: str, description: str) -> list[str]:
    return [parent, idnumber, _short(shortname), description, str(FORMAT_PLAIN), "", "", "", "", "null", "", "",
            "", ""]


def rows(cert: Certification) -> list[list[str]]:
    framework_id = cert.rncp_code or cert.slug
    description = f"{cert.title} — {cert.organisme}" + (f", niveau {cert.level}" if cert.level else "")
    found = [list(HEADERS),
             ["", framework_id, _short(cert.title), description, str(FORMAT_PLAIN), SCALE_VALUES,
              SCALE_CONFIGURATION, "", "", "", "", "", "1", TAXONOMIES]]
    criteria_of: dict[int, list] = {}
    for modality in cert.modalities:
        for criterion in modality.criteria:
            criteria_of.setdefault(criterion.competence_id, []).append((modality, criterion))
    for bloc in cert.blocs:
        bloc_id = bloc.printed_code or bloc.code
        found.append(_row("", bloc_id, f"{bloc_id} {bloc.title}", bloc.title))
        for competence in bloc.competences:
            found.append(_row(bloc_id, competence.code, f"{competence.code} {competence.text}", competence.text))
            for modality, criterion in criteria_of.get(competence.id, []):
                text = f"{criterion.heading} — {criterion.text}" if criterion.heading else criterion.text
                found.append(_row(competence.code, criterion.code, text,
                                  f"{criterion.text}\n({modality.code} : {modality.title})"))
    return found


def framework_csv(cert: Certification) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows(cert))
    return out.getvalue()
