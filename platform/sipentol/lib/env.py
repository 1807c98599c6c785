"""Settings from the environment, with secrets also readable from `<NAME>_FILE`.

Only names declared in `envvars.ENV_VARS` may be read: that list is what the Helm chart and
docs/operations.md are checked against, so a setting cannot read a variable nobody provides.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

from .envvars import BY_NAME


def env(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (Kubernetes/Docker secrets)."""
    if name not in BY_NAME:
        raise ImproperlyConfigured(f"Environment variable {name} is not declared in sipentol/lib/envvars.py.")
    value = os.environ.get(name)
    if value is None and (path := os.environ.get(f"{name}_FILE")):
        try:
            with open(path, encoding="utf-8") as fh:
                value = fh.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to {path!r}, which cannot be read: {exc}") from exc
    if value in (None, ""):
        if required:
            raise ImproperlyConfigured(
                f"Environment variable {name} is required in production (set {name} or {name}_FILE)."
            )
        return default
    return value


def envbool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = env(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} must be a whole number, got {value!r}.") from exc


# Python's own level names, as LOGGING's "level" takes them (upper case only).
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def envloglevel(name: str, default: str = "INFO") -> str:
    """A logging level for LOGGING, in any case (`info` is `INFO`). Any other value stops startup
    with a message naming the variable and the allowed values, not logging's own traceback."""
    value = env(name)
    if value is None:
        return default
    level = value.strip().upper()
    if level not in LOG_LEVELS:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be one of {', '.join(LOG_LEVELS)} (any case), got {value!r}."
        )
    return level


def database_from_url(url: str) -> dict:
    """A DATABASES entry for django-tenants from a postgresql:// URL (host may be a socket dir)."""
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"DATABASE_URL must start with postgresql://, got {parsed.scheme}://")
    query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    host = query.pop("host", None) or parsed.hostname or ""
    options: dict[str, str] = {}
    if "sslmode" in query:
        options["sslmode"] = query.pop("sslmode")
    return {
        "ENGINE": "tenants.postgresql_backend",
        "NAME": unquote(parsed.path.lstrip("/")) or "sipentol",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
