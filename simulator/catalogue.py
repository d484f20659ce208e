"""Load a whole tree of files: référentiels first, then scenarios. Flushes only."""
from __future__ import annotations

from simulator.formats import LoadedFile
from simulator.referentiels.services import load_referentiel
from simulator.scenarios.services import load_scenario


def load_files(files: list[LoadedFile]) -> list[tuple[str, str, str]]:
    """Returns (kind, id, status) for each file."""
    report = []
    for loaded in sorted(files, key=lambda f: f.kind != "referentiel"):
        if loaded.kind == "referentiel":
            status = load_referentiel(loaded)
        else:
            status, version = load_scenario(loaded)
            if status != "unchanged":
                status = f"{status} (v{version.number})"
        report.append((loaded.kind, loaded.model.id, status))
    return report
