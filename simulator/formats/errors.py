"""Problems found in a file, each naming where it is and what was expected."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileProblem:
    path: str
    line: int | None
    field: str
    found: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: found {self.found}; expected {self.expected}"


class FormatError(Exception):
    """Raised with every problem found, never just the first one."""

    def __init__(self, problems: list[FileProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
