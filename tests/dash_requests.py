"""Callback requests shaped as the browser sends them (for tests and bench/)."""

from __future__ import annotations


def outputs_for(key: str):
    """The `outputs` field the browser sends for a callback's output key."""
    def one(text: str) -> dict:
        component, prop = text.rsplit(".", 1)
        return {"id": component, "property": prop.split("@")[0]}

    if key.startswith(".."):
        return [one(part) for part in key[2:-2].split("...")]
    return one(key)


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
