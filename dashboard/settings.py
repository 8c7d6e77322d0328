"""Settings from the environment and CLI flags, in one object (12-factor)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = PACKAGE_DIR.parent / "data"
TRUE_WORDS = {"1", "true", "yes", "on"}
ALLOW_ALL_ROBOTS = "User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class Settings:
    """How the dashboard runs. Production-safe defaults: debug off."""

    data_dir: Path = DEFAULT_DATA_DIR
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    # CSP frame-ancestors: which sites may embed the map in a frame.
    frame_ancestors: str = "'self'"
    max_body_bytes: int = 1_000_000
    # Where a record card's "Report an error" points; {id} becomes the record's id.
    # Empty: the About section's "Report an error" paragraph.
    corrections_url: str = ""
    # The body of /robots.txt.
    robots: str = ALLOW_ALL_ROBOTS

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read DASHBOARD_* variables (and PORT, as platforms set it)."""
        env = os.environ if env is None else env
        settings = cls()
        values: dict = {}
        if env.get("DASHBOARD_DATA_DIR"):
            values["data_dir"] = Path(env["DASHBOARD_DATA_DIR"])
        if env.get("DASHBOARD_HOST"):
            values["host"] = env["DASHBOARD_HOST"]
        port = env.get("DASHBOARD_PORT") or env.get("PORT")
        if port:
            values["port"] = _int("DASHBOARD_PORT/PORT", port)
        if env.get("DASHBOARD_DEBUG"):
            values["debug"] = env["DASHBOARD_DEBUG"].strip().lower() in TRUE_WORDS
        if env.get("DASHBOARD_FRAME_ANCESTORS"):
            values["frame_ancestors"] = env["DASHBOARD_FRAME_ANCESTORS"]
        if env.get("DASHBOARD_CORRECTIONS_URL"):
            values["corrections_url"] = env["DASHBOARD_CORRECTIONS_URL"]
        if env.get("DASHBOARD_ROBOTS"):
            # One line per rule; "\n" in the value also breaks a line (env files hold one line).
            values["robots"] = env["DASHBOARD_ROBOTS"].replace("\\n", "\n").rstrip("\n") + "\n"
        if env.get("DASHBOARD_MAX_BODY_BYTES"):
            values["max_body_bytes"] = _int("DASHBOARD_MAX_BODY_BYTES", env["DASHBOARD_MAX_BODY_BYTES"])
        return replace(settings, **values)

    def with_overrides(self, **values: object) -> Settings:
        """A copy with the CLI flags that were given (None means 'not given')."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _int(name: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a whole number") from None
    if value < 0:
        raise ValueError(f"{name}: {text!r} must not be negative")
    return value
