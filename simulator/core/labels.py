"""Translated labels for the vocabulary of the file formats."""
from __future__ import annotations

from functools import lru_cache

from flask_babel import lazy_gettext as _l

_LABELS = {
    "kind": {
        "written_case_study": _l("Written case study"),
        "written_dossier": _l("Written dossier"),
        "role_play": _l("Role play"),
        "pitch": _l("Pitch"),
        "oral_defence": _l("Oral defence"),
        "group_case_study": _l("Group case study"),
        "professional_situation": _l("Professional situation"),
        "tutor_assessment": _l("Tutor assessment"),
        "vae_jury": _l("VAE jury"),
    },
    "organisation": {"individual": _l("Individual"), "pair": _l("Pair"), "group": _l("Group")},
    "mode": {"written": _l("Written"), "oral": _l("Oral"), "written_and_oral": _l("Written and oral")},
    "role": {"candidate": _l("Candidate"), "trainer": _l("Trainer"), "evaluator": _l("Evaluator"), "admin": _l("Administrator")},
    "deliverable": {"text": _l("Written answer"), "file": _l("File to upload"), "recording": _l("Recording"),
                    "transcript": _l("Conversation transcript")},
    "jury_role": {"intervenant": _l("Intervenant of the bloc"), "professionnel": _l("Professional"),
                  "tuteur": _l("Tutor"), "formateur": _l("Trainer"), "membre": _l("Jury member")},
    "grading_status": {"unassigned": _l("Waiting for an evaluator"), "assigned": _l("To grade"),
                       "in_progress": _l("Grading in progress"), "submitted": _l("Submitted")},
    "production_status": {"grading": _l("Being graded"), "reconciliation": _l("Jury reconciling"),
                          "signing": _l("Procès-verbal to confirm"), "final": _l("Final")},
    "move_kind": {"reply": _l("Recognised"), "question": _l("Question"), "offer": _l("Offer"),
                  "blocked": _l("Too early: terms still open"), "fallback": _l("Not recognised"),
                  "walkout": _l("The interlocutor ends the interview")},
    "offer_verdict": {"accepted": _l("accepted"), "countered": _l("countered"), "held": _l("held"),
                      "refused": _l("refused, beyond the limit"), "confirmed": _l("confirmed")},
}


class _Lookup(dict):
    def __missing__(self, key):
        return key


@lru_cache(maxsize=8)
def labels(locale: str) -> dict[str, _Lookup]:
    """Translated once per language (the catalogue does not change while the process runs)."""
    return {group: _Lookup({k: str(v) for k, v in values.items()}) for group, values in _LABELS.items()}
