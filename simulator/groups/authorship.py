"""Who wrote what in a shared answer: pure functions over texts, no Flask, no database.

Each accepted save is compared with the revision it replaces. The changed span is found by trimming the common
beginning and end (linear time, exact for the single-place edits autosave sends every few seconds, and an upper
bound when one save changes several places). The text's authorship is kept as runs, [[author, length], …],
carried from revision to revision: what a save keeps keeps its author, what it inserts is its author's.
"""
from __future__ import annotations

from dataclasses import dataclass

Runs = list[list[int]]  # [[author id, number of characters], …], covering the text exactly


@dataclass(frozen=True)
class Edit:
    start: int  # characters kept at the beginning
    removed: int
    added: int


def edit_between(old: str, new: str) -> Edit:
    limit = min(len(old), len(new))
    start = _common_length(old, new, limit, lambda text, a, b: text[a:b])
    end = _common_length(old, new, limit - start,
                         lambda text, a, b: text[len(text) - b:len(text) - a])
    return Edit(start=start, removed=len(old) - start - end, added=len(new) - start - end)


def _common_length(old: str, new: str, limit: int, piece) -> int:
    """How many characters both texts share, up to `limit`, reading pieces [a, b) from one end.

    A binary search over slices: the comparisons run in C, so a 20 KB answer costs a few dozen steps instead
    of 20,000 character comparisons in Python (this runs on every autosave)."""
    low, high = 0, limit  # the first `low` characters match; none beyond `high` do
    while low < high:
        middle = (low + high + 1) // 2
        if piece(old, low, middle) == piece(new, low, middle):
            low = middle
        else:
            high = middle - 1
    return low


def _slice(runs: Runs, begin: int, end: int) -> Runs:
    """The runs covering characters [begin, end) of the text."""
    kept, position = [], 0
    for author, length in runs:
        low, high = max(begin, position), min(end, position + length)
        if high > low:
            kept.append([author, high - low])
        position += length
    return kept


def _merge(runs: Runs) -> Runs:
    merged: Runs = []
    for author, length in runs:
        if length <= 0:
            continue
        if merged and merged[-1][0] == author:
            merged[-1][1] += length
        else:
            merged.append([author, length])
    return merged


def carry(runs: Runs | None, old: str, edit: Edit, author: int, *, previous_author: int | None = None) -> Runs:
    """The authorship of the new text: `runs` describe `old` (None: all of it by `previous_author`)."""
    if runs is None:
        runs = [[previous_author if previous_author is not None else author, len(old)]] if old else []
    tail = len(old) - edit.start - edit.removed
    return _merge(_slice(runs, 0, edit.start) + [[author, edit.added]] + _slice(runs, len(old) - tail, len(old)))


def segments(text: str, runs: Runs | None) -> list[tuple[int | None, str]]:
    """The text cut along its runs, for display; characters the runs do not cover are unattributed."""
    cut, position = [], 0
    for author, length in runs or []:
        piece = text[position:position + length]
        if piece:
            cut.append((author, piece))
        position += length
    if position < len(text):
        cut.append((None, text[position:]))
    return cut


def shares(runs: Runs | None) -> dict[int, int]:
    """Characters of the text per author."""
    found: dict[int, int] = {}
    for author, length in runs or []:
        found[author] = found.get(author, 0) + length
    return found


def tenth(moment: float, start: float, end: float) -> int:
    """In which tenth (0–9) of the group's own time a moment falls: the group's pace without its clock, so that
    nobody can read from it how long the group had."""
    if end <= start:
        return 0
    return min(9, max(0, int((moment - start) * 10 // (end - start))))
