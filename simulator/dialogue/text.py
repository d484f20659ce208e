"""French free text as the engine reads it: clauses of tokens, each folded (no accent, no case) and stemmed.

Authors' phrases go through the same steps, so "Délais", "delai" and "délai" are one word, "négocier" and
"négociation" are one word, and the synonyms of lexicon.SYNONYMS (and of the scenario) are one word too.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from simulator.dialogue import lexicon

_STEMMER = snowballstemmer.stemmer("french")
_STEMMER_LOCK = threading.Lock()  # a snowball stemmer keeps its word in itself while it works
_TOKEN = re.compile(r"(?:(?<=\s)|^)-\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|[a-z]+|%|€")
_CLAUSE_BREAK = re.compile(r"[!?;\n()]+|\.(?!\d)|\s[-–—]\s")
_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?!\d))")
_SHORTEST_PREFIX = 5  # "négoc" and "négoci" are one stem; "del" and "delta" are not
_LONGEST_EXTENSION = 2  # "récapitul" and "récapitulon" are one stem; "product" and "producteur" are not


def fold(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if not word.isalpha():
        return word
    with _STEMMER_LOCK:
        return _STEMMER.stemWord(word)


@dataclass(frozen=True, slots=True)
class Token:
    word: str             # folded, as typed
    stem: str             # canonical: synonyms share one
    number: float | None  # for a figure

    @property
    def meaningful(self) -> bool:
        return self.word not in lexicon.STOPWORDS


class Lexicon:
    """The synonyms in force for one dialogue: the built-in groups, then the scenario's."""

    def __init__(self, extra: dict[str, list[str]] | None = None):
        self._canonical: dict[str, str] = {}
        for group in lexicon.SYNONYMS:
            self._join(group)
        for head, words in (extra or {}).items():
            self._join((head, *words))

    def _join(self, words: tuple[str, ...]) -> None:
        stems = [stem(fold(w).strip()) for w in words if fold(w).strip()]
        head = self._canonical.get(stems[0], stems[0])
        for s in stems:
            previous = self._canonical.get(s)
            if previous is not None and previous != head:  # two groups share a word: merge them
                for key, value in list(self._canonical.items()):
                    if value == previous:
                        self._canonical[key] = head
            self._canonical[s] = head

    def canonical(self, word: str) -> str:
        s = stem(word)
        return self._canonical.get(s, s)

    def tokens(self, text: str) -> list[Token]:
        out = []
        for word in _TOKEN.findall(_THOUSANDS.sub("", fold(text))):
            number = float(word.replace(",", ".")) if word[-1].isdigit() else None
            out.append(Token(word, word if number is not None else self.canonical(word), number))
        return out

    def clauses(self, text: str) -> list[list[Token]]:
        return [tokens for part in _CLAUSE_BREAK.split(_THOUSANDS.sub("", fold(text)))
                if (tokens := self.tokens(part))]


@dataclass(frozen=True, slots=True)
class Pattern:
    stem: str
    prefix: bool = False
    number: float | None = None

    def matches(self, token: Token) -> bool:
        if self.number is not None or token.number is not None:
            return self.number == token.number
        if self.prefix:
            return token.word.startswith(self.stem)
        if token.stem == self.stem:
            return True
        short, long_ = sorted((token.stem, self.stem), key=len)
        return (len(short) >= _SHORTEST_PREFIX and long_.startswith(short)
                and len(long_) - len(short) <= _LONGEST_EXTENSION)


class Phrase:
    """An author's phrase: its meaningful words in order, each allowed one word of gap before the next.
    A word ending in * matches any word that begins with it."""

    def __init__(self, text: str, lex: Lexicon):
        self.text = text
        patterns = []
        for raw in _THOUSANDS.sub("", fold(text)).split():  # "9 000" as the candidate's text reads it
            prefix = raw.endswith("*")
            for token in lex.tokens(raw.rstrip("*")):
                if not token.meaningful:
                    continue
                patterns.append(Pattern(token.word, prefix=True) if prefix
                                else Pattern(token.stem, number=token.number))
        self.patterns = tuple(patterns)  # empty when every word is a stopword: checks refuse such a phrase

    def find(self, clause: list[Token]) -> int | None:
        """Index in the clause where the phrase starts, unless a negation comes just before it."""
        if not self.patterns:
            return None
        content = [(i, t) for i, t in enumerate(clause) if t.meaningful]
        for start in range(len(content)):
            if not self.patterns[0].matches(content[start][1]):
                continue
            position, ok = start, True
            for pattern in self.patterns[1:]:
                following = [k for k in range(position + 1, min(position + 3, len(content)))
                             if pattern.matches(content[k][1])]
                if not following:
                    ok = False
                    break
                position = following[0]
            if ok and not negated(clause, content[start][0]):
                return content[start][0]
        return None


def negated(clause: list[Token], index: int, window: int = lexicon.NEGATION_WINDOW,
            words: frozenset[str] = lexicon.NEGATIONS) -> bool:
    return any(t.word in words for t in clause[max(0, index - window):index])


def says(clauses: list[list[Token]], cues: tuple[tuple[str, ...], ...]) -> bool:
    """Whether some clause holds one of the cues: words in a row, as typed (folded)."""
    for clause in clauses:
        words = [t.word for t in clause]
        for cue in cues:
            if any(tuple(words[i:i + len(cue)]) == cue for i in range(len(words) - len(cue) + 1)):
                return True
    return False


def found_in(phrases: list[Phrase], clauses: list[list[Token]]) -> Phrase | None:
    for phrase in phrases:
        for clause in clauses:
            if phrase.find(clause) is not None:
                return phrase
    return None
