"""The tables and certificates a trainer or candidate downloads."""
from __future__ import annotations

from flask_babel import format_date, gettext as _

from simulator.auth.models import User
from simulator.exams.models import Cohort, ExamSession
from simulator.grading import documents, results, rules
from simulator.grading.models import Production
from simulator.grading.pages import decision_label
from simulator.referentiels.models import Bloc


def session_table(session: ExamSession, productions: dict[int, Production]) -> tuple[list[str], list[list]]:
    """One line per candidate: their code, the state of the grading and the final decision per compétence."""
    codes = list(session.version.competence_codes)
    header = [_("Candidate"), _("Email"), _("Candidate number"), _("Candidate code"), _("Result"), *codes]
    rows = []
    for attempt in session.attempts:
        production = productions.get(attempt.id)
        final = {d.competence: d.acquired for d in production.decisions} if production and production.status == "final" else {}
        state = (_("Final") if production and production.status == "final" else _("Being graded") if production
                 else _("Not handed in"))
        rows.append([attempt.candidate.name, attempt.candidate.email, attempt.candidate.candidate_number or "",
                     production.code if production else "", state,
                     *[decision_label(final[c]) if c in final else "" for c in codes]])
    return header, rows


def cohort_table(cohort: Cohort) -> tuple[list[str], list[list]]:
    """One line per member: each bloc of each certification they sat, validated or how far along."""
    members = [m.user for m in sorted(cohort.members, key=lambda m: m.user.name)]
    progress = {m.id: {c: results.progress(c, m.id, released_only=False) for c in results.certifications_of(m.id)}
                for m in members}
    certifications = sorted({c for per in progress.values() for c in per}, key=lambda c: c.title)
    blocs = [(c, b) for c in certifications for b in c.blocs]
    header = [_("Candidate"), _("Email"), _("Candidate number"), *[f"{c.slug} {b.printed_code or b.code}" for c, b in blocs],
              _("Certification")]
    rows = []
    for member in members:
        cells = []
        for certification, bloc in blocs:
            found = next((p for p in progress[member.id].get(certification, []) if p.code == bloc.code), None)
            cells.append("" if found is None else _("Validated") if found.validated
                         else f"{found.count}/{len(found.competences)}")
        done = [rules.certified(p) for p in progress[member.id].values()]
        rows.append([member.name, member.email, member.candidate_number or "", *cells, _("Certified") if done and all(done) else ""])
    return header, rows


def certificate(candidate: User, bloc: Bloc) -> documents.Document | None:
    """The certificate of a validated bloc, or None while it is not validated."""
    certification = bloc.certification
    acquired = results.acquisitions(candidate.id, certification.id, released_only=True)
    codes = [c.code for c in bloc.competences]
    if not codes or any(code not in acquired for code in codes):
        return None
    validated_on = max(acquired[code].decided_at for code in codes)
    heading = [(_("Candidate"), candidate.name), (_("Certification"), certification.title),
               (_("RNCP code"), certification.rncp_code or "—"), (_("Awarded by"), certification.organisme),
               (_("Bloc"), f"{bloc.printed_code or bloc.code} — {bloc.title}"),
               (_("Validated on"), format_date(validated_on, "long"))]
    lines = [documents.Line(c.printed_code or c.code, c.text, _("Acquired"),
                            format_date(acquired[c.code].decided_at, "short")) for c in bloc.competences]
    return documents.Document(
        title=_("Certificate of a bloc de compétences"),
        reference=f"CERT-{certification.slug}-{bloc.code}-{candidate.id:06d}", heading=heading,
        lines_title=_("Compétences validated"), columns=(_("Code"), _("Compétence"), _("Decision"), _("Date")),
        lines=lines, footer=_("Every compétence of this bloc was validated by a jury of the certification."))
