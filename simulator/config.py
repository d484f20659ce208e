"""Settings read once from the environment into a frozen dataclass."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

# A candidate's longest exam is 5 h; with a tiers-temps and incident time it can
# pass 7 h. Tokens and sessions must outlive it with a wide margin.
EXAM_SAFE_LIFETIME = timedelta(hours=14)


@dataclass(frozen=True)
class Settings:
    instance_path: Path
    database_url: str
    secret_key: str
    redis_url: str | None = None
    secure_cookies: bool = False
    scenarios_dir: Path = Path("scenarios")
    max_upload_bytes: int = 50 * 1024 * 1024
    login_limits: tuple[str, ...] = ("10 per minute", "50 per hour")
    extra: dict = field(default_factory=dict)

    def flask_config(self) -> dict:
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(self.database_url),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "SESSION_COOKIE_NAME": "simulator_session",
            "PERMANENT_SESSION_LIFETIME": EXAM_SAFE_LIFETIME,
            "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
            "WTF_CSRF_TIME_LIMIT": int(EXAM_SAFE_LIFETIME.total_seconds()),
            "WTF_CSRF_SSL_STRICT": self.secure_cookies,
            "MAX_CONTENT_LENGTH": self.max_upload_bytes,
            "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
            "BABEL_DEFAULT_LOCALE": "fr",
            "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
            "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
            "RATELIMIT_STORAGE_URI": self.redis_url or "memory://",
            "RATELIMIT_HEADERS_ENABLED": False,
            "SCENARIOS_DIR": str(self.scenarios_dir),
            "LOGIN_LIMITS": self.login_limits,
            **self.extra,
        }


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        # Wait up to 30 s for a writer instead of sqlite3's 5 s default.
        return {"connect_args": {"timeout": 30}}
    return {}  # a connection that sat idle is pinged before use: simulator.core.database


def _secret_key(instance_path: Path) -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    key_file = instance_path / "secret_key"
    if key_file.is_file():
        return key_file.read_text().strip()
    raise RuntimeError(
        "No secret key: set SECRET_KEY, or run `flask --app simulator init-secret` "
        f"to create {key_file} (make run does it for you)."
    )


def from_environment(instance_path: Path) -> Settings:
    default_db = f"sqlite:///{instance_path / 'simulator.db'}"
    return Settings(
        instance_path=instance_path,
        database_url=os.environ.get("DATABASE_URL", default_db),
        secret_key=_secret_key(instance_path),
        redis_url=os.environ.get("REDIS_URL") or None,
        secure_cookies=os.environ.get("SECURE_COOKIES", "0") == "1",
        scenarios_dir=Path(os.environ.get("SCENARIOS_DIR", "scenarios")),
        extra={"SHOW_JURY_NAMES": os.environ.get("SHOW_JURY_NAMES", "0") == "1",
               "SMTP_HOST": os.environ.get("SMTP_HOST"), "SMTP_PORT": os.environ.get("SMTP_PORT", "25"),
               "MAIL_FROM": os.environ.get("MAIL_FROM")},
    )
