"""What a callback request may be: its body read strictly, its shape equal to a registered server-side callback's.

Dash trusts the body of POST /_dash-update-component: a missing `outputs`, an
unknown id or a lone surrogate surfaces as a KeyError or an encoding error
deep inside it, that is a 500. Everything a browser running this page can
send is checked here, once, against `app.callback_map`; the values
themselves are left to the callbacks' input parsing (inputs.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

# What the renderer sends (dash-renderer `handleServerside`); `state` only when the callback has State.
REQUIRED_FIELDS = ("output", "outputs", "inputs", "changedPropIds")
OPTIONAL_FIELDS = ("state", "parsedChangedPropsIds")
# Deeper than any value a control of this page holds; deep enough for a figure's data.
MAX_DEPTH = 32
MULTI_WILDCARDS = (["ALL"], ["ALLSMALLER"])
WILDCARDS = (*MULTI_WILDCARDS, ["MATCH"])
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadCallbackRequest(ValueError):
    """A body that no page of this app sends; the message says why, briefly."""


def read_body(raw: bytes) -> object:
    """The JSON of a request body: strict UTF-8, no lone surrogate, at most MAX_DEPTH levels deep."""
    try:
        text = raw.decode("utf-8")  # strict: no invalid bytes, no UTF-8-encoded surrogates
    except UnicodeDecodeError:
        raise BadCallbackRequest("body is not valid UTF-8") from None
    try:
        body = json.loads(text)
    except RecursionError:
        raise BadCallbackRequest(f"body is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError:  # also integers too long to convert
        raise BadCallbackRequest("body is not JSON") from None
    _check_values(body)
    return body


def _check_values(body: object) -> None:
    """Reject lone surrogates (from \\ud800 escapes) and nesting beyond MAX_DEPTH, without recursion."""
    stack: list[tuple[object, int]] = [(body, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise BadCallbackRequest("body holds a lone surrogate (not Unicode text)")
        elif isinstance(value, (list, dict)):
            if depth > MAX_DEPTH:
                raise BadCallbackRequest(f"body is nested deeper than {MAX_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
            for key, item in items:
                if key is not None and _SURROGATE.search(key):
                    raise BadCallbackRequest("body holds a lone surrogate (not Unicode text)")
                stack.append((item, depth + 1))


def _pattern(component_id: object) -> str | dict:
    """A registered id as Dash lists it: a string, or a pattern-matching dict given as JSON text."""
    if isinstance(component_id, dict):
        return component_id
    text = str(component_id)
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return text
        return parsed if isinstance(parsed, dict) else text
    return text


def _is_multi(pattern: str | dict) -> bool:
    return isinstance(pattern, dict) and any(v in MULTI_WILDCARDS for v in pattern.values())


def _same(a: object, b: object) -> bool:
    """Equal and of the same JSON type (True is not 1, 1.0 is not 1)."""
    return type(a) is type(b) and a == b


def _id_matches(value: object, pattern: str | dict) -> bool:
    if isinstance(pattern, str):
        return _same(value, pattern)
    if not isinstance(value, dict) or set(value) != set(pattern):
        return False
    for key, wanted in pattern.items():
        got = value[key]
        if wanted in WILDCARDS:
            if not isinstance(got, (str, int, float, bool)):
                return False
        elif not _same(got, wanted):
            return False
    return True


def _clean(prop: str) -> str:
    """A property without allow_duplicate's `@hash` suffix."""
    return prop.split("@")[0]


def _entry_problem(entry: object, dep: Mapping, pattern: str | dict, with_value: bool) -> str | None:
    if not isinstance(entry, dict):
        return "is not an object"
    # The renderer copies a missing optional input's spec (`allow_optional`) into the entry.
    extra = [k for k in entry if k not in ("id", "property", "value") and not (k in dep and _same(entry[k], dep[k]))]
    if extra or ("value" in entry and not with_value):
        return f"has unknown key(s) {', '.join(sorted(map(repr, extra or ['value'])))[:80]}"
    if "id" not in entry or not _id_matches(entry["id"], pattern):
        return "id is not the callback's"
    got = entry.get("property")
    if not isinstance(got, str) or _clean(got) != _clean(dep["property"]):
        return "property is not the callback's"
    return None


def _deps_problem(field: str, items: object, deps: list[dict], with_value: bool) -> str | None:
    """Items that name exactly the callback's dependencies, in order."""
    if not isinstance(items, list):
        return f"{field} is not a list"
    if len(items) != len(deps):
        return f"{field} has {len(items)} item(s), the callback has {len(deps)}"
    for n, (item, dep) in enumerate(zip(items, deps)):
        pattern = _pattern(dep["id"])
        if _is_multi(pattern):
            if not isinstance(item, list):
                return f"{field}[{n}] is not a list (pattern-matching ALL)"
            entries = item
        else:
            entries = [item]
        for entry in entries:
            problem = _entry_problem(entry, dep, pattern, with_value)
            if problem:
                return f"{field}[{n}] {problem}"
    return None


def _output_deps(spec: Mapping) -> tuple[list[dict], bool]:
    """The callback's outputs as {id, property}, and whether the body lists them (multi-output)."""
    outputs = spec.get("output")
    multi = isinstance(outputs, (list, tuple))
    listed = outputs if multi else [outputs]
    return [{"id": o.component_id_str(), "property": o.component_property} for o in listed], multi


def _prop_id(entry: dict) -> tuple[str, str]:
    return json.dumps(entry["id"], sort_keys=True), entry["property"]


def _parse_prop_id(text: str) -> tuple[str, str] | None:
    """`id.property` as the renderer writes it (a pattern id is JSON), canonicalised; None if malformed."""
    if text.startswith("{"):
        end = text.rfind("}")
        try:
            component = json.loads(text[: end + 1])
        except ValueError:
            return None
        if not isinstance(component, dict) or text[end + 1: end + 2] != ".":
            return None
        return json.dumps(component, sort_keys=True), text[end + 2:]
    component, dot, prop = text.rpartition(".")
    return (json.dumps(component), prop) if dot else None


def _changed_problem(body: dict) -> str | None:
    changed = body["changedPropIds"]
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "changedPropIds is not a list of strings"
    entries = [e for item in body["inputs"] for e in (item if isinstance(item, list) else [item])]
    known = {_prop_id(e) for e in entries}
    if len(changed) > len(entries) or len(set(changed)) != len(changed):
        return "changedPropIds lists more than the callback's inputs"
    if any(_parse_prop_id(c) not in known for c in changed):
        return "changedPropIds names a property that is not an input of the callback"
    parsed = body.get("parsedChangedPropsIds")
    if parsed is None and "parsedChangedPropsIds" not in body:
        return None
    if not isinstance(parsed, list) or len(parsed) != len(changed):
        return "parsedChangedPropsIds does not match changedPropIds"
    for text, short in zip(changed, parsed):
        expected = json.loads(text[: text.rfind("}") + 1]) if text.startswith("{") else text
        if not _same(short, expected):
            return "parsedChangedPropsIds does not match changedPropIds"
    return None


def callback_shape_problem(callback_map: Mapping[str, Mapping], body: object) -> str | None:
    """Why `body` cannot be a request for one of the server-side callbacks in `callback_map`, or None."""
    if not isinstance(body, dict):
        return "body is not a JSON object"
    extra = set(body) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)
    if extra:
        return f"unknown field(s) {', '.join(sorted(map(repr, extra)))[:80]}"
    output = body.get("output")
    spec = callback_map.get(output) if isinstance(output, str) else None
    if spec is None or "callback" not in spec:  # clientside callbacks have no server function
        return "unknown output" if "output" in body else "missing output"
    # A callback without outputs is sent `outputs: []` or none at all.
    required = [f for f in REQUIRED_FIELDS if f != "outputs" or not spec.get("no_output")]
    missing = [f for f in required if f not in body]
    if missing:
        return f"missing {', '.join(missing)}"
    if spec.get("no_output"):
        if body.get("outputs", []) != []:
            return "outputs must be empty for a callback without outputs"
    else:
        deps, multi = _output_deps(spec)
        outputs = body["outputs"] if multi else [body["outputs"]]
        if not multi and isinstance(body["outputs"], list) and not _is_multi(_pattern(deps[0]["id"])):
            return "outputs is a list, the callback has one output"
        if problem := _deps_problem("outputs", outputs, deps, with_value=False):
            return problem
    if problem := _deps_problem("inputs", body["inputs"], spec.get("inputs", []), with_value=True):
        return problem
    state = spec.get("state", [])
    if "state" in body or state:
        if problem := _deps_problem("state", body.get("state"), state, with_value=True):
            return problem
    return _changed_problem(body)
