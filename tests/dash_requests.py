"""Callback requests shaped as the browser sends them (for tests and bench/)."""

from __future__ import annotations

import json
from collections.abc import Callable

MULTI_WILDCARDS = (["ALL"], ["ALLSMALLER"])
WILDCARDS = (*MULTI_WILDCARDS, ["MATCH"])


def outputs_for(key: str):
    """The `outputs` field the browser sends for a callback's output key."""
    parts = [output_part(part) for part in key[2:-2].split("...")] if key.startswith("..") else [output_part(key)]
    return parts if key.startswith("..") else parts[0]


def output_part(text: str) -> dict:
    """One `id.property` of an output key; a pattern id stays JSON text, `@hash` is dropped."""
    if text.startswith("{"):
        end = text.rfind("}")
        component, prop = text[: end + 1], text[end + 2:]
    else:
        component, _, prop = text.rpartition(".")
    return {"id": component.replace("\\.", "."), "property": prop.split("@")[0]}


def request_body(spec: dict, output: str, values: list, state: list | None = None,
                 changed: list[str] | None = None) -> dict:
    """The JSON body of /_dash-update-component for a callback `spec` (its inputs and state)."""
    values = list(values) + [None] * (len(spec["inputs"]) - len(values))  # inputs not given are None
    inputs = [{"id": i["id"], "property": i["property"], "value": v} for i, v in zip(spec["inputs"], values)]
    states = spec.get("state", [])
    state_values = [{"id": s["id"], "property": s["property"], "value": v}
                    for s, v in zip(states, state or [None] * len(states))]
    return {"output": output, "outputs": outputs_for(output), "inputs": inputs, "state": state_values,
            "changedPropIds": changed or [f"{inputs[0]['id']}.{inputs[0]['property']}"]}


# --- any callback, from its /_dash-dependencies entry, pattern-matching ids included -------------

def parse_id(text: object) -> str | dict:
    """A dependency's id: a string, or a pattern dict (Dash lists those as JSON text)."""
    if isinstance(text, str) and text.startswith("{"):
        return json.loads(text)
    return text


def is_multi(component: str | dict) -> bool:
    return isinstance(component, dict) and any(v in MULTI_WILDCARDS for v in component.values())


def concrete_ids(component: str | dict, count: int = 2) -> list:
    """Ids a page could hold for a dependency: the id itself, or pattern ids with the wildcards filled in."""
    if not isinstance(component, dict):
        return [component]
    n = count if is_multi(component) else 1
    return [{k: (i if v in WILDCARDS else v) for k, v in component.items()} for i in range(n)]


def prop_id(component: str | dict, prop: str) -> str:
    """`id.property` as the renderer writes it in changedPropIds."""
    if isinstance(component, dict):
        return f'{json.dumps(component, sort_keys=True, separators=(",", ":"), ensure_ascii=False)}.{prop}'
    return f"{component}.{prop}"


def _entries(dep: dict, value: Callable[[dict], object] | None) -> object:
    component = parse_id(dep["id"])
    entries = [{"id": c, "property": dep["property"]} for c in concrete_ids(component)]
    if value is not None:
        for entry in entries:
            entry["value"] = value(entry)
    return entries if is_multi(component) else entries[0]


def body_for(dependency: dict, value: Callable[[dict], object]) -> dict:
    """A valid request body for a callback of /_dash-dependencies, each value drawn from `value({id, property})`."""
    key = dependency["output"]
    multi = key.startswith("..")
    outputs = [_entries(part, None) for part in (outputs_for(key) if multi else [outputs_for(key)])]
    inputs = [_entries(dep, value) for dep in dependency["inputs"]]
    flat = [e for item in inputs for e in (item if isinstance(item, list) else [item])]
    changed = [prop_id(flat[0]["id"], flat[0]["property"])] if flat else []
    body = {"output": key, "outputs": outputs if multi else outputs[0], "inputs": inputs,
            "changedPropIds": changed,
            "parsedChangedPropsIds": [e["id"] if isinstance(e["id"], dict) else prop_id(e["id"], e["property"])
                                      for e in flat[:1]]}
    if dependency.get("state"):
        body["state"] = [_entries(dep, value) for dep in dependency["state"]]
    return body
