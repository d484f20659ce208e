"""What changed between two versions of a scenario: the parts of the format, and the lines of the file."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT = 3


@dataclass(frozen=True)
class Line:
    kind: str  # same, removed, added, gap
    old: int | None
    new: int | None
    text: str


def changed_parts(old: dict, new: dict) -> list[str]:
    """The top-level parts (candidate_brief, grid, interlocutor…) whose content differs."""
    keys = list(new) + [k for k in old if k not in new]
    return [k for k in keys if old.get(k) != new.get(k)]


def changed_lines(old_text: str, new_text: str) -> list[Line]:
    """The file's changed lines with three lines of context around each change."""
    old, new = old_text.splitlines(), new_text.splitlines()
    lines: list[Line] = []
    for group in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_grouped_opcodes(CONTEXT):
        if lines:
            lines.append(Line("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [Line("same", i1 + k + 1, j1 + k + 1, old[i1 + k]) for k in range(i2 - i1)]
                continue
            lines += [Line("removed", i + 1, None, old[i]) for i in range(i1, i2)]
            lines += [Line("added", None, j + 1, new[j]) for j in range(j1, j2)]
    return lines
