"""python -m simulator.formats [FILES...]: validate without an application or database."""
from __future__ import annotations

import sys
from pathlib import Path

from simulator.formats.errors import FormatError
from simulator.formats.loading import load_tree, validate_paths


def main(argv: list[str]) -> int:
    root = Path("scenarios")
    try:
        files = validate_paths([Path(a) for a in argv], root) if argv else load_tree(root)
    except FormatError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing loaded.", file=sys.stderr)
        return 1
    for loaded in files:
        print(f"ok  {loaded.kind:<11} {loaded.model.id:<40} {loaded.display}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
