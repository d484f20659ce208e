"""Cross-references that a schema alone cannot check."""
from __future__ import annotations

from collections.abc import Iterable

from simulator.dialogue.text import Lexicon, Phrase
from simulator.formats.errors import FileProblem
from simulator.formats.referentiel import ReferentielFile
from simulator.formats.scenario import ScenarioFile
from simulator.formats.yamlsource import SourceMap


class _Reporter:
    def __init__(self, display: str, source: SourceMap):
        self.display, self.source, self.problems = display, source, []

    def add(self, loc: tuple, found: object, expected: str) -> None:
        from simulator.formats.loading import field_path

        self.problems.append(FileProblem(self.display, self.source.line(loc), field_path(loc), repr(found), expected))

    def unique(self, loc: tuple, items: Iterable[tuple[int, str]], what: str) -> set[str]:
        seen: set[str] = set()
        for index, value in items:
            if value in seen:
                self.add(loc + (index,), value, f"a {what} that appears once (this one is a duplicate id)")
            seen.add(value)
        return seen


def _check_group(report: _Reporter, organisation: str, group_size, loc: tuple = ()) -> None:
    if organisation == "group" and group_size is None:
        report.add(loc + ("group_size",), None, "group_size with min and max for group work")
    if group_size is not None and group_size.min > group_size.max:
        report.add(loc + ("group_size",), f"{group_size.min}..{group_size.max}", "min not greater than max")


def check_referentiel(ref: ReferentielFile, display: str, source: SourceMap) -> list[FileProblem]:
    report = _Reporter(display, source)
    report.unique(("blocs",), ((i, b.code) for i, b in enumerate(ref.blocs)), "bloc code")
    bloc_of: dict[str, str] = {}
    for b, bloc in enumerate(ref.blocs):
        for c, comp in enumerate(bloc.competences):
            if comp.code in bloc_of:
                report.add(("blocs", b, "competences", c, "code"), comp.code,
                           f"a compétence code used once (already in bloc {bloc_of[comp.code]}; duplicate id)")
            bloc_of[comp.code] = bloc.code
    report.unique(("modalities",), ((i, m.id) for i, m in enumerate(ref.modalities)), "modality id")
    criterion_ids: set[str] = set()
    for m, modality in enumerate(ref.modalities):
        loc = ("modalities", m)
        if modality.bloc is not None and modality.bloc not in {b.code for b in ref.blocs}:
            report.add(loc + ("bloc",), modality.bloc, f"one of the blocs: {', '.join(b.code for b in ref.blocs)}")
        for c, code in enumerate(modality.competences):
            if code not in bloc_of:
                report.add(loc + ("competences", c), code, "a compétence of this référentiel")
            elif modality.bloc is not None and bloc_of[code] != modality.bloc:
                report.add(loc + ("competences", c), code, f"a compétence of bloc {modality.bloc} (it is in {bloc_of[code]})")
        _check_group(report, modality.organisation, modality.group_size, loc)
        for k, criterion in enumerate(modality.criteria):
            if criterion.id in criterion_ids:
                report.add(loc + ("criteria", k, "id"), criterion.id, "a critère id used once in the référentiel (duplicate id)")
            criterion_ids.add(criterion.id)
            if criterion.competence not in modality.competences:
                report.add(loc + ("criteria", k, "competence"), criterion.competence,
                           f"a compétence this modality covers: {', '.join(modality.competences)}")
    return report.problems


def check_scenario(scn: ScenarioFile, display: str, source: SourceMap,
                   referentiels: dict[str, ReferentielFile], scenario_ids: set[str]) -> list[FileProblem]:
    report = _Reporter(display, source)
    ref = referentiels.get(scn.referentiel)
    if ref is None:
        report.add(("referentiel",), scn.referentiel, f"the id of a loaded référentiel ({', '.join(sorted(referentiels)) or 'none loaded'})")
    else:
        _check_against_referentiel(report, scn, ref)
    _check_parts(report, scn)
    _check_interlocutor(report, scn)
    if scn.chain is not None and scn.chain.scenario not in scenario_ids:
        report.add(("chain", "scenario"), scn.chain.scenario, "the id of another scenario")
    return report.problems


def _check_against_referentiel(report: _Reporter, scn: ScenarioFile, ref: ReferentielFile) -> None:
    competences = ref.competence_codes()
    modalities = {m.id: m for m in ref.modalities}
    modality = modalities.get(scn.modality)
    if modality is None:
        report.add(("modality",), scn.modality, f"a modality of {ref.id}: {', '.join(modalities)}")
    if scn.bloc is not None and scn.bloc not in {b.code for b in ref.blocs}:
        report.add(("bloc",), scn.bloc, f"a bloc of {ref.id}: {', '.join(b.code for b in ref.blocs)}")
    elif modality is not None and scn.bloc != modality.bloc:
        report.add(("bloc",), scn.bloc, f"the bloc of modality {modality.id} ({modality.bloc})")
    for c, code in enumerate(scn.competences):
        if code not in competences:
            report.add(("competences", c), code, f"a compétence of the référentiel {ref.id}")
        elif modality is not None and code not in modality.competences:
            report.add(("competences", c), code, f"a compétence covered by modality {modality.id}: {', '.join(modality.competences)}")
    criteria = {k.id: k for m in ref.modalities for k in m.criteria}
    for g, item in enumerate(scn.grid):
        if item.competence not in competences:
            report.add(("grid", g, "competence"), item.competence, f"a compétence of the référentiel {ref.id}")
        elif item.competence not in scn.competences:
            report.add(("grid", g, "competence"), item.competence, "a compétence listed in this scenario's competences")
        if item.criterion is not None:
            source = criteria.get(item.criterion)
            if source is None:
                report.add(("grid", g, "criterion"), item.criterion, f"the id of a critère of {ref.id}")
            elif source.competence != item.competence:
                report.add(("grid", g, "criterion"), item.criterion, f"a critère of compétence {item.competence} (it belongs to {source.competence})")
    graded = {item.competence for item in scn.grid}
    for c, code in enumerate(scn.competences):
        if code in competences and code not in graded:
            report.add(("competences", c), code, "at least one grid criterion for each compétence assessed")


def _check_parts(report: _Reporter, scn: ScenarioFile) -> None:
    report.unique(("documents",), ((i, d.id) for i, d in enumerate(scn.documents)), "document id")
    report.unique(("phases",), ((i, p.id) for i, p in enumerate(scn.phases)), "phase id")
    report.unique(("scales",), ((i, s.id) for i, s in enumerate(scn.scales)), "scale id")
    report.unique(("grid",), ((i, g.id) for i, g in enumerate(scn.grid)), "grid criterion id")
    deliverables = report.unique(("deliverables",), ((i, d.id) for i, d in enumerate(scn.deliverables)), "deliverable id")
    _check_group(report, scn.organisation, scn.group_size)
    for d, document in enumerate(scn.documents):
        if bool(document.content) == bool(document.file):
            report.add(("documents", d), document.id, "either content (text) or file (an attachment), not both, not neither")
    task_ids: set[str] = set()
    for p, phase in enumerate(scn.phases):
        for t, task in enumerate(phase.tasks):
            if task.id in task_ids:
                report.add(("phases", p, "tasks", t, "id"), task.id, "a task id that appears once (duplicate id)")
            task_ids.add(task.id)
            for k, ref in enumerate(task.deliverables):
                if ref not in deliverables:
                    report.add(("phases", p, "tasks", t, "deliverables", k), ref, f"a deliverable id: {', '.join(sorted(deliverables))}")
    for d, item in enumerate(scn.deliverables):
        if item.kind == "file" and not item.allowed_types:
            report.add(("deliverables", d, "allowed_types"), [], "the file types a candidate may upload, e.g. [xlsx, pdf]")
        if item.kind == "recording" and item.max_seconds is None:
            report.add(("deliverables", d, "max_seconds"), None, "the longest recording allowed, in seconds")
    scales = {s.id for s in scn.scales}
    for g, item in enumerate(scn.grid):
        if item.scale not in scales:
            report.add(("grid", g, "scale"), item.scale, f"the id of a scale of this scenario: {', '.join(sorted(scales))}")


def _check_interlocutor(report: _Reporter, scn: ScenarioFile) -> None:
    if scn.kind == "role_play" and scn.interlocutor is None:
        report.add(("interlocutor",), None, "an interlocutor with a persona for a role play")
    if scn.interlocutor is None:
        return
    terms = {t.id for t in scn.interlocutor.negotiation}
    if scn.interlocutor.dialogue is not None:
        _check_dialogue(report, scn.interlocutor.dialogue, {g.id for g in scn.grid}, terms)
    report.unique(("interlocutor", "negotiation"), ((i, t.id) for i, t in enumerate(scn.interlocutor.negotiation)),
                  "term id")
    lex = Lexicon()
    for n, term in enumerate(scn.interlocutor.negotiation):
        loc = ("interlocutor", "negotiation", n)
        wants_lower = term.better == "lower"
        if (term.opening > term.limit) if wants_lower else (term.opening < term.limit):
            report.add(loc, term.id, "an opening position on the buyer's good side of the limit "
                                     f"(better={term.better}: opening {'<=' if wants_lower else '>='} limit)")
        elif term.target is not None and not min(term.opening, term.limit) <= term.target <= max(term.opening, term.limit):
            report.add(loc + ("target",), term.target, f"a target between the opening ({term.opening:g}) and the limit ({term.limit:g})")
        for k, phrase in enumerate(term.match):
            _check_phrase(report, loc + ("match", k), phrase, lex)


def _check_phrase(report: _Reporter, loc: tuple, phrase: str, lex: Lexicon) -> None:
    if not Phrase(phrase, lex).patterns:
        report.add(loc, phrase, "a phrase with at least one word that carries meaning (not only le, de, vous…)")


def _check_dialogue(report: _Reporter, dialogue, grid: set[str], terms: set[str]) -> None:
    loc = ("interlocutor", "dialogue")
    states = dialogue.states
    lex = Lexicon(dialogue.synonyms)
    if dialogue.start not in states:
        report.add(loc + ("start",), dialogue.start, "the name of a state of the dialogue")
    if (dialogue.patience is None) != (dialogue.walkout is None):
        report.add(loc + ("walkout" if dialogue.walkout is None else "patience",), None,
                   "patience and walkout together (how many replies not understood, and the state to go to)")
    if dialogue.walkout is not None and dialogue.walkout not in states:
        report.add(loc + ("walkout",), dialogue.walkout, "the name of a state of the dialogue")
    for head, words in dialogue.synonyms.items():
        for word in (head, *words):
            if len(word.split()) != 1:
                report.add(loc + ("synonyms", head), word, "single words (a phrase belongs in a reply's match)")
    for q, question in enumerate(dialogue.questions):
        for k, phrase in enumerate(question.match):
            _check_phrase(report, loc + ("questions", q, "match", k), phrase, lex)
        for e, evidence in enumerate(question.evidence):
            if evidence not in grid:
                report.add(loc + ("questions", q, "evidence", e), evidence, "the id of a grid criterion")
    for name, state in states.items():
        if not state.final and not state.replies:
            report.add(loc + ("states", name), name, "replies that lead on from this state, or final: true")
        for r, reply in enumerate(state.replies):
            where = loc + ("states", name, "replies", r)
            if reply.goto not in states:
                report.add(where + ("goto",), reply.goto, "the name of a state of the dialogue")
            for e, evidence in enumerate(reply.evidence):
                if evidence not in grid:
                    report.add(where + ("evidence", e), evidence, "the id of a grid criterion")
            for t, term in enumerate(reply.requires):
                if term not in terms:
                    report.add(where + ("requires", t), term,
                               f"the id of a negotiation term: {', '.join(sorted(terms)) or 'none is defined'}")
            for k, phrase in enumerate(reply.match):
                _check_phrase(report, where + ("match", k), phrase, lex)
    broken = any(r.goto not in states for s in states.values() for r in s.replies)
    if dialogue.start in states and not any(s.final for s in states.values()):
        report.add(loc + ("states",), sorted(states), "at least one state with final: true")
    elif dialogue.start in states and not broken:
        reachable, todo = set(), [dialogue.start]
        while todo:
            name = todo.pop()
            if name in reachable or name not in states:
                continue
            reachable.add(name)
            todo += [r.goto for r in states[name].replies]
        if not any(states[n].final for n in reachable):
            report.add(loc + ("start",), dialogue.start, "a start from which some final state can be reached")
