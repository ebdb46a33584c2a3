"""Typed readers for settings from environment variables.

Each helper fails loudly with :class:`ImproperlyConfigured` on a value it cannot read, naming the
variable and what it expected: a typo in a deployment must stop the start, not be ignored.
Secrets can come from a file (``NAME_FILE``), as container orchestrators mount them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


class Env:
    """Reads typed values from a mapping of environment variables (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ

    def get_str(self, name: str, default: str | None = None) -> str:
        value = self.environ.get(name)
        if value is None:
            if default is None:
                raise ImproperlyConfigured(f"{name} must be set.")
            return default
        return value

    def get_bool(self, name: str, default: bool) -> bool:
        value = self.environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a boolean; use one of true/false, yes/no, on/off, 1/0."
        )

    def get_int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self.environ.get(name)
        if value is None:
            return default
        try:
            number = int(value.strip())
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
        return number

    def get_list(self, name: str, default: list[str]) -> list[str]:
        value = self.environ.get(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def secret(self, name: str, default: str | None = None) -> str:
        """Reads ``NAME``, or the file named by ``NAME_FILE`` (without its trailing newline)."""
        file_name = self.environ.get(f"{name}_FILE")
        if file_name:
            if name in self.environ:
                raise ImproperlyConfigured(f"Set either {name} or {name}_FILE, not both.")
            path = Path(file_name)
            try:
                return path.read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as error:
                raise ImproperlyConfigured(
                    f"{name}_FILE={file_name!r} cannot be read: {error.strerror}."
                ) from None
        return self.get_str(name, default)

    def database(self, name: str, default: str) -> dict[str, Any]:
        """Parses a database URL (``sqlite:///path`` or ``postgres://user:pw@host:port/db``)."""
        url = self.environ.get(name) or default
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme not in SUPPORTED_DATABASE_SCHEMES:
            raise ImproperlyConfigured(
                f"{name} must start with sqlite:// or postgres://; got {_redact(url)!r}."
            )
        try:
            config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
        except ValueError as error:
            raise ImproperlyConfigured(f"{name} cannot be parsed: {error}") from None
        if scheme != "sqlite" and not config.get("NAME"):
            raise ImproperlyConfigured(f"{name} names no database (…/database_name at the end).")
        return config


def _redact(url: str) -> str:
    """Hides a password in a URL before it appears in an error message."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
