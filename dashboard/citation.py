"""How one record is cited: its permalink, a plain-text citation and a BibTeX @misc entry. Pure text, no Dash."""

from __future__ import annotations

import re
from urllib.parse import quote

PROJECT = "MeToo Atlas"
AUTHOR = "MeToo Atlas contributors"
# BibTeX's special characters, written so that LaTeX prints them as they are.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(ch) for ch in _BIBTEX_ESCAPES))
_SPACE = re.compile(r"\s+")


def permalink_path(record_id: str) -> str:
    """The record's address without its origin; the browser puts the page's own origin in front."""
    return "/?record=" + quote(record_id, safe="-")


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: braces balanced, LaTeX's special characters printed as themselves."""
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_ESCAPES[match.group(0)], _one_line(text))


def citation_text(record: dict, permalink: str) -> str:
    """'MeToo Atlas contributors. "Title." MeToo Atlas, record id. URL. Checked against its sources on date.'"""
    title = _one_line(record["title"]).rstrip(".")
    parts = [f'{AUTHOR}. "{title}." {PROJECT}, record {record["id"]}. {permalink}.']
    if record.get("checked_on"):
        parts.append(f"Checked against its sources on {record['checked_on']}.")
    return " ".join(parts)


def citation_bibtex(record: dict, permalink: str) -> str:
    """A BibTeX @misc entry for the record; the key is `metoo-atlas:<id>`."""
    checked = record.get("checked_on") or ""
    fields = [
        ("title", "{" + bibtex_escape(record["title"]) + "}"),
        ("author", "{" + AUTHOR + "}"),
        ("howpublished", f"{PROJECT}, record {bibtex_escape(record['id'])}"),
        ("url", permalink.replace("{", "%7B").replace("}", "%7D")),
    ]
    if checked:
        fields += [("year", checked[:4]), ("note", f"Checked against its sources on {checked}")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{metoo-atlas:{record['id']},\n{body}\n}}"
