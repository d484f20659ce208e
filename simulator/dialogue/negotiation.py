"""Offers on the terms at stake, read from the candidate's text and answered the same way every time.

In the interlocutor's eyes a term has an opening position, a target (what it hopes to keep) and a limit
(the most it will ever grant). Offers at least as good as its position are accepted; offers beyond the limit
are refused; in between, it meets the candidate halfway but stays at its target unless the candidate gives
something in return (a counterpart: "en contrepartie", "si vous vous engagez…"), which is the concession and
counterpart logic the référentiels grade. Nothing it accepts is ever beyond its limit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.dialogue import lexicon
from simulator.dialogue.text import Lexicon, Phrase, Token, found_in, negated, says

_EPSILON = 1e-9


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    unit: str
    opening: float
    target: float
    limit: float
    sign: int  # +1: the interlocutor wants it higher; -1: lower
    step: float
    keywords: tuple[Phrase, ...]
    unit_words: tuple[Token, ...]

    @classmethod
    def compile(cls, spec, lex: Lexicon) -> Term:
        figures = [spec.opening, spec.limit] + ([spec.target] if spec.target is not None else [])
        step = spec.step or (1.0 if all(float(f).is_integer() for f in figures) else 0.5)
        target = spec.target if spec.target is not None else (spec.opening + spec.limit) / 2
        words = spec.match or [w for w in spec.label.split() if len(w) > 3]
        return cls(id=spec.id, label=spec.label, unit=spec.unit or "", opening=spec.opening, target=target,
                   limit=spec.limit, sign=1 if spec.better == "higher" else -1, step=step,
                   keywords=tuple(Phrase(w, lex) for w in words), unit_words=tuple(lex.tokens(spec.unit or "")))

    def plausible(self, value: float) -> bool:
        """A figure ten times beyond the term's range is something else: a year, euros for k€."""
        low, high = min(self.opening, self.limit), max(self.opening, self.limit)
        return (low <= 0 or value >= low / 10) and value <= max(high, 1) * 10 and (value >= 0 or low < 0)

    def gain(self, value: float) -> float:
        return self.sign * value

    def value(self, gain: float) -> float:
        return round(self.sign * gain, 6)

    def show(self, value: float) -> str:
        number = f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
        return f"{number} {self.unit}".strip()

    @property
    def symbol_unit(self) -> bool:
        return len(self.unit_words) == 1 and self.unit_words[0].word in ("%", "€")


def _refused_after(clause: list[Token], index: int) -> bool:
    """"90 jours, ce n'est pas possible" refuses the figure; "10 %, je ne peux pas faire mieux" does not."""
    return says([clause[index + 1:index + 1 + lexicon.REFUSAL_REACH]], lexicon.REFUSED_AFTER)


@dataclass(frozen=True)
class Offer:
    term: str
    value: float


@dataclass(frozen=True)
class Answer:
    term: str
    offered: float
    verdict: str  # accepted, countered, held, refused, confirmed
    position: float
    line: str


class Negotiation:
    def __init__(self, specs, lex: Lexicon):
        self.terms = {spec.id: Term.compile(spec, lex) for spec in specs}
        self._acceptances = [Phrase(p, lex) for p in lexicon.ACCEPTANCES]

    def openings(self) -> dict[str, float]:
        return {t.id: t.opening for t in self.terms.values()}

    # -- reading ---------------------------------------------------------------------------------

    def offers(self, clauses: list[list[Token]], countered: tuple[str, float] | None = None) -> list[Offer]:
        """One offer per term at most: the figure most closely tied to it (the later one on a tie). A figure
        that names no term but repeats the counter-offer the interlocutor just made ("d'accord pour 60 jours")
        is about that term."""
        found: dict[str, tuple[float, float]] = {}
        for clause in clauses:
            if not self.terms or says([clause], lexicon.REPORTED) or any(t.word in lexicon.REFUSALS for t in clause):
                continue
            for index, token in enumerate(clause):
                if token.number is None or _refused_after(clause, index) or negated(
                        clause, index, lexicon.FIGURE_NEGATION_WINDOW, lexicon.FIGURE_NEGATIONS):
                    continue
                term, distance = self._term_of(clause, index)
                if term is None and countered and abs(countered[1] - token.number) < _EPSILON:
                    term, distance = self.terms[countered[0]], 50.0
                if term is not None and term.plausible(token.number) and distance <= found.get(term.id, (math.inf,))[0]:
                    found[term.id] = (distance, token.number)
        return [Offer(term_id, value) for term_id, (_, value) in found.items()]

    def _term_of(self, clause: list[Token], index: int) -> tuple[Term | None, float]:
        """The term a figure is about, and how closely: named by a word near it, or by its unit when that
        says it alone."""
        number = clause[index].number
        before = clause[index - 1] if index > 0 else None
        after = clause[index + 1] if index + 1 < len(clause) else None
        if after is not None and after.word in lexicon.MONTHS:
            return None, math.inf  # a date
        if any(token.number == number for t in self.terms.values() for token in t.unit_words):
            return None, math.inf  # the figure belongs to a unit ("semaine 2027")
        by_unit = []
        for near in (after, before):  # "12 %" before "semaine 6"
            by_unit = [t for t in self.terms.values()
                       if near is not None and t.unit_words and near.stem == t.unit_words[0].stem]
            if by_unit:
                break
        best, best_distance = None, math.inf
        for term in self.terms.values():
            for keyword in term.keywords:
                start = keyword.find(clause)
                if start is None:
                    continue
                low, high = sorted((start, index))
                words = 1 + sum(1 for t in clause[low + 1:high] if t.meaningful)
                if words > lexicon.OFFER_REACH:
                    continue
                distance = words + (0.5 if start > index else 0) - (10 if term in by_unit else 0)
                if distance < best_distance:
                    best, best_distance = term, distance
        if best is None and len(by_unit) == 1 and by_unit[0].symbol_unit:
            return by_unit[0], 0.0  # "12 %" needs no word when only one term is in %
        return best, best_distance

    def accepting(self, clauses: list[list[Token]]) -> bool:
        return found_in(self._acceptances, clauses) is not None

    def counterpart(self, clauses: list[list[Token]]) -> bool:
        return says(clauses, lexicon.COUNTERPARTS)

    # -- answering -------------------------------------------------------------------------------

    def answer(self, offer: Offer, position: float, agreed: float | None, counterpart: bool) -> Answer:
        term = self.terms[offer.term]
        offered, shown = offer.value, term.show(offer.value)
        if agreed is not None:
            if term.gain(offered) >= term.gain(agreed) - _EPSILON:
                verdict = "confirmed" if abs(offered - agreed) < _EPSILON else "accepted"
                return Answer(term.id, offered, verdict, offered,
                              f"{term.label} : {shown}, c'est noté." if verdict == "confirmed"
                              else f"{term.label} : {shown}, j'accepte volontiers.")
            return Answer(term.id, offered, "held", agreed,
                          f"{term.label} : nous étions d'accord sur {term.show(agreed)}, je ne reviens pas dessus.")
        g_offer, g_position, g_limit = term.gain(offered), term.gain(position), term.gain(term.limit)
        if g_offer >= g_position - _EPSILON:
            return Answer(term.id, offered, "accepted", offered, f"{term.label} : {shown}, c'est d'accord.")
        if g_offer < g_limit - _EPSILON:
            return Answer(term.id, offered, "refused", position,
                          f"{term.label} à {shown}, ce n'est pas envisageable pour nous. "
                          f"Je reste à {term.show(position)}.")
        if counterpart:
            return Answer(term.id, offered, "accepted", offered,
                          f"{term.label} : avec cette contrepartie, {shown}, c'est d'accord.")
        g_floor = max(g_offer, min(term.gain(term.target), g_position))
        if g_position <= g_floor + _EPSILON:
            return Answer(term.id, offered, "held", position,
                          f"{term.label} : je suis à {term.show(position)} et je ne peux pas aller plus loin "
                          "sans contrepartie de votre part.")
        g_new = math.ceil(((g_position + g_floor) / 2) / term.step - _EPSILON) * term.step
        g_new = min(max(g_new, g_floor), g_position)
        if g_new >= g_position - _EPSILON:
            g_new = g_floor
        if g_new <= g_offer + _EPSILON:
            return Answer(term.id, offered, "accepted", offered, f"{term.label} : bon, va pour {shown}.")
        new = term.value(g_new)
        return Answer(term.id, offered, "countered", new,
                      f"{term.label} : {shown}, je ne peux pas l'accepter en l'état. "
                      f"Je peux faire un effort : {term.show(new)}.")
