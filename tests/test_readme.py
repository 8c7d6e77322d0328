"""The README's quick start is what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_opens_with_two_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert "metoo-map serve" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quick_start_commands()[1] in ci


def test_procfile_uses_the_gunicorn_config_and_no_debug() -> None:
    procfile = (ROOT / "Procfile").read_text(encoding="utf-8")
    assert procfile.startswith("web: gunicorn -c python:dashboard.gunicorn_conf dashboard.wsgi:server")
    assert "debug" not in procfile.lower()
