"""Which scenarios assess which compétences: pure data in, pure data out."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScenarioSummary:
    slug: str
    title: str
    modality: str
    competences: tuple[str, ...]
    criteria: tuple[str, ...]  # critère ids of the référentiel used by the grid


@dataclass
class CoverageRow:
    bloc: str
    code: str
    text: str
    scenarios: list[str] = field(default_factory=list)


@dataclass
class Coverage:
    rows: list[CoverageRow]
    scenarios: list[ScenarioSummary]
    unused_criteria: list[dict]
    modalities_without_scenario: list[dict]

    @property
    def uncovered(self) -> list[CoverageRow]:
        return [row for row in self.rows if not row.scenarios]


def compute_coverage(referentiel: dict, scenarios: list[ScenarioSummary]) -> Coverage:
    """referentiel is a référentiel document as stored (ReferentielFile dumped as JSON)."""
    rows = [CoverageRow(bloc["code"], c["code"], c["text"]) for bloc in referentiel["blocs"] for c in bloc["competences"]]
    by_code = {row.code: row for row in rows}
    for scenario in scenarios:
        for code in scenario.competences:
            if code in by_code:
                by_code[code].scenarios.append(scenario.slug)
    used = {criterion for s in scenarios for criterion in s.criteria}
    unused = [{"id": k["id"], "competence": k["competence"], "modality": m["id"], "text": k["text"]}
              for m in referentiel["modalities"] for k in m.get("criteria", []) if k["id"] not in used]
    run = {s.modality for s in scenarios}
    orphans = [{"id": m["id"], "title": m["title"]} for m in referentiel["modalities"] if m["id"] not in run]
    return Coverage(rows=rows, scenarios=scenarios, unused_criteria=unused, modalities_without_scenario=orphans)
