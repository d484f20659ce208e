"""python -m simulator.secret PATH: create a secret key file once (kept on later runs)."""
from __future__ import annotations

import secrets
import sys
from pathlib import Path


def ensure_secret(path: Path) -> bool:
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_urlsafe(48))
    path.chmod(0o600)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "instance/secret_key")
    print(("created " if ensure_secret(target) else "kept ") + str(target))
