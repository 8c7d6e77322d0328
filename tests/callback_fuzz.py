"""Hostile callback requests generated from a live app's /_dash-dependencies and /_dash-layout.

Nothing here names a callback, an id or a property: every body starts as a
valid request for a server-side callback the app lists, then a few mutations
are applied. Each mutation knows whether it keeps the shape valid (only
values change: the request must reach the callback and answer 200/204) or
breaks it (the request must be refused with 400).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from dashboard.callback_requests import MAX_DEPTH

from .dash_requests import body_for, concrete_ids, is_multi, parse_id, prop_id

CALLBACK_URL = "/_dash-update-component"
MAX_BODY = 1_000_000
# Strings that trip number and text parsing; the rest come from the app's own layout.
TRICKY = ["", " ", "-", "--1", "+5", "²", "١٢", "1e3", "2018.0", " 2018 ", "0x10", "nan", "Infinity", "None",
          "\x00", "\u202e", "🙂", "<script>alert(1)</script>", "=1+1", "../../etc/passwd", "%00", "?a=1&a=2",
          "?year=--1&from=²&to=1e9&cat=,,&q=%ff&country=%00", "\\", '"', "'", "\n\r\t"]
RESERVED = {"output", "outputs", "inputs", "state", "changedPropIds", "parsedChangedPropsIds"}


def harvest_strings(tree: object, found: set[str]) -> set[str]:
    """Every short string and dict key in a JSON tree (the layout's ids, option values, store keys)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and len(node) <= 40:
            found.add(node)
        elif isinstance(node, dict):
            found.update(k for k in node if len(k) <= 40)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def layout_props(layout: object) -> list[tuple[object, str, object]]:
    """(id, property, value) of every component in a /_dash-layout tree."""
    found: list[tuple[object, str, object]] = []
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and isinstance(node.get("props"), dict):
            for prop, value in node["props"].items():
                found.append((node["props"].get("id"), prop, value))
                stack.append(value)
    return found


@dataclass
class Fuzzer:
    dependencies: list[dict]  # the server-side callbacks, as /_dash-dependencies lists them
    seeds: list[str]
    rng: random.Random
    # Values seen for each `id.property` and each property name, in the layout and in callback answers:
    # real shapes to mutate.
    observed: dict[str, list] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_app(cls, client, seed: int) -> Fuzzer:
        dependencies = client.get("/_dash-dependencies").get_json()
        layout = client.get("/_dash-layout").get_json()
        seeds = harvest_strings(layout, harvest_strings(dependencies, set(TRICKY)))
        server_side = [d for d in dependencies if not d.get("clientside_function")]
        fuzzer = cls(server_side, sorted(seeds), random.Random(seed))
        for component, prop, value in layout_props(layout):
            fuzzer.remember(component, prop, value)
        return fuzzer

    def remember(self, component: object, prop: str, value: object) -> None:
        if len(json.dumps(value, default=str)) > 20_000:
            return
        for key in (prop_id(component, prop), prop):
            seen = self.observed.setdefault(key, [])
            if value not in seen:
                seen.append(value)
                del seen[:-8]

    def observe(self, answer: object) -> None:
        """Learn the values a callback answered with (another callback may take them as input)."""
        if isinstance(answer, dict) and isinstance(answer.get("response"), dict):
            for component, props in answer["response"].items():
                for prop, value in props.items() if isinstance(props, dict) else ():
                    self.remember(component, prop, value)

    # --- values of every JSON type -------------------------------------------------------------
    def scalar(self) -> object:
        rng = self.rng
        kind = rng.randrange(5)
        if kind == 0:
            return rng.choice([None, True, False])
        if kind == 1:
            return rng.choice([0, -1, 1, 1899, 2018, 2100, 10_001, -(10**18), 2**63, 10**300, rng.getrandbits(64)])
        if kind == 2:
            return rng.choice([0.5, -0.0, 2018.0, 2018.5, 1e308, -1e308, 5e-324, float("nan"), float("inf"),
                               float("-inf")])
        if kind == 3:
            return rng.choice(TRICKY if rng.random() < 0.5 else self.seeds)
        return rng.choice([rng.choice(self.seeds) * rng.randrange(2, 3000), "x" * 50_000,
                           "".join(rng.choice(self.seeds) for _ in range(rng.randrange(1, 6)))])

    def value(self, depth: int = 0) -> object:
        """Any JSON value this page's body may carry: nested, long, huge or odd, within MAX_DEPTH."""
        rng = self.rng
        if depth > 3 or rng.random() < 0.55:
            return self.scalar()
        kind = rng.randrange(4 if depth == 0 else 3)
        if kind == 0:
            return [self.value(depth + 1) for _ in range(rng.randrange(6))]
        if kind == 1:
            return {rng.choice(self.seeds): self.value(depth + 1) for _ in range(rng.randrange(5))}
        if kind == 2:
            return [{"id": rng.choice(self.seeds), "value": self.scalar()} for _ in range(rng.randrange(1, 4))]
        value: object = self.scalar()  # nested as deep as a valid body may be
        for _ in range(rng.randrange(MAX_DEPTH - 8, MAX_DEPTH - 6)):
            value = [value] if rng.random() < 0.5 else {"a": value}
        return value

    def mutated(self, value: object) -> object:
        """A real value with one part replaced: a leaf by an odd scalar, or a branch by any value."""
        value = copy.deepcopy(value)
        holder, key = None, None
        node = value
        while isinstance(node, (list, dict)) and node and self.rng.random() < 0.8:
            keys = list(node) if isinstance(node, dict) else range(len(node))
            holder, key = node, self.rng.choice(list(keys))
            node = holder[key]
        replacement = self.scalar() if self.rng.random() < 0.7 else self.value(depth=2)
        if holder is None:
            return replacement
        holder[key] = replacement
        return value

    def value_for(self, entry: dict) -> object:
        """A value for an input or state: often a real one for its property, mutated; else anything."""
        own = self.observed.get(prop_id(entry.get("id"), entry.get("property")))
        seen = own if own and self.rng.random() < 0.7 else self.observed.get(str(entry.get("property")), [])
        if seen and self.rng.random() < 0.5:
            return self.mutated(self.rng.choice(seen))
        return self.value()

    def other_type(self, original: object) -> object:
        """A value whose JSON type differs from the original's."""
        while True:
            candidate = self.value()
            if type(candidate) is not type(original) and not (
                    isinstance(original, (int, float)) and isinstance(candidate, (int, float))):
                return candidate

    # --- building and mutating bodies ----------------------------------------------------------
    def entries(self, body: dict, fields: tuple[str, ...]) -> list[dict]:
        found = []
        for name in fields:
            items = body.get(name)
            items = items if isinstance(items, list) else [items]
            for item in items:
                for entry in item if isinstance(item, list) else [item]:
                    if isinstance(entry, dict):
                        found.append(entry)
        return found

    def keep_shape(self, body: dict, dependency: dict) -> None:
        """A mutation after which the body is still a valid request for the callback."""
        rng = self.rng
        kind = rng.randrange(5)
        self.kinds[f"value-{kind}"] = self.kinds.get(f"value-{kind}", 0) + 1
        entries = self.entries(body, ("inputs", "state"))
        if kind <= 1 and entries:
            entry = rng.choice(entries)
            entry["value"] = self.value_for(entry)
        elif kind == 2 and entries:
            rng.choice(entries).pop("value", None)
        elif kind == 3:
            inputs = self.entries(body, ("inputs",))
            chosen = rng.sample(inputs, rng.randrange(len(inputs) + 1))
            body["changedPropIds"] = [prop_id(e["id"], e["property"]) for e in chosen]
            body["parsedChangedPropsIds"] = [e["id"] if isinstance(e["id"], dict) else prop_id(e["id"], e["property"])
                                             for e in chosen]
        elif kind == 4:
            body.pop("parsedChangedPropsIds", None)
        for n, dep in enumerate(dependency["inputs"]):  # pattern ALL: any number of matching entries
            pattern = parse_id(dep["id"])
            if is_multi(pattern) and rng.random() < 0.3:
                ids = concrete_ids(pattern, rng.randrange(4))
                body["inputs"][n] = [{"id": i, "property": dep["property"], "value": self.value()} for i in ids]
                body["changedPropIds"], body["parsedChangedPropsIds"] = [], []

    def break_shape(self, body: dict, dependency: dict, kind: str) -> bool:
        """A mutation after which no page sends this body; False when it does not apply."""
        rng = self.rng
        present = [k for k in ("output", "outputs", "inputs", "state", "changedPropIds") if k in body]
        if kind == "drop-field":
            required = [k for k in present if k != "state" or dependency.get("state")]
            body.pop(rng.choice(required))
        elif kind == "add-field":
            name = rng.choice([s for s in self.seeds if s not in RESERVED])
            body[name] = self.value()
        elif kind == "retype-field":
            name = rng.choice([*present, "state"])
            body[name] = self.other_type(body.get(name, []))
        elif kind == "other-output":
            body["output"] = rng.choice([s for s in self.seeds if s != body.get("output")])
        elif kind == "resize":
            lists = [k for k in ("outputs", "inputs", "state") if isinstance(body.get(k), list)]
            if not lists:
                return False
            items = body[rng.choice(lists)]
            if items and rng.random() < 0.5:
                items.pop(rng.randrange(len(items)))
            else:
                items.append(copy.copy(rng.choice(items)) if items else {"id": "x", "property": "y"})
        elif kind == "entry":
            entries = self.entries(body, ("outputs", "inputs", "state"))
            if not entries:
                return False
            entry = rng.choice(entries)
            change = rng.randrange(5)
            if change == 0:
                entry["id"] = rng.choice([s for s in self.seeds if s != entry.get("id")] + [self.other_type("")])
            elif change == 1:
                old = str(entry.get("property", "")).split("@")[0]
                entry["property"] = rng.choice([s for s in self.seeds if s.split("@")[0] != old])
            elif change == 2:
                entry.pop(rng.choice(["id", "property"]), None)
            elif change == 3:
                entry[rng.choice([s for s in self.seeds if s not in ("id", "property", "value")])] = self.value()
            else:
                entry.clear()
                entry["id"], entry["property"] = {"not": "this"}, "nope"
        elif kind == "changed":
            known = {prop_id(e.get("id"), e.get("property")) for e in self.entries(body, ("inputs",))}
            bad = rng.choice([f"{rng.choice(self.seeds)}.{rng.choice(self.seeds)}", self.scalar()])
            if bad in known:
                return False
            if isinstance(body.get("changedPropIds"), list):
                body["changedPropIds"].append(bad)
            else:
                body["changedPropIds"] = [bad]
        elif kind == "too-deep":
            entries = self.entries(body, ("inputs", "state"))
            if not entries:
                return False
            value: object = 0
            for _ in range(MAX_DEPTH + rng.randrange(1, 500)):
                value = [value]
            rng.choice(entries)["value"] = value
        elif kind == "surrogate":
            entries = self.entries(body, ("inputs", "state"))
            if not entries:
                return False
            rng.choice(entries)["value"] = rng.choice(self.seeds) + chr(rng.randrange(0xD800, 0xE000))
        return True

    BREAKING = ("drop-field", "add-field", "retype-field", "other-output", "resize", "entry", "changed",
                "too-deep", "surrogate")

    def corrupt_bytes(self, data: bytes) -> bytes:
        rng = self.rng
        kind = rng.randrange(4)
        self.kinds[f"bytes-{kind}"] = self.kinds.get(f"bytes-{kind}", 0) + 1
        at = rng.randrange(len(data) + 1)
        if kind == 0:
            return data[:at] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]) + data[at:]
        if kind == 1:
            return data[: min(at, len(data) - 1)]
        if kind == 2:
            return b"[" * rng.randrange(1000, 200_000) + data
        return data.replace(b'"', b'"\xed\xb2\x80', 1)  # a UTF-8-encoded lone surrogate

    def request(self) -> tuple[bytes, set[int], str]:
        """A body, the statuses it may answer, and what was done to it."""
        rng = self.rng
        dependency = rng.choice(self.dependencies)
        body = body_for(dependency, self.value_for)
        for _ in range(rng.randrange(4)):
            self.keep_shape(body, dependency)
        done = []
        for kind in rng.sample(self.BREAKING, rng.choice([0, 0, 1, 1, 2, 3])):
            if self.break_shape(body, dependency, kind):
                done.append(kind)
                self.kinds[kind] = self.kinds.get(kind, 0) + 1
        data = json.dumps(body, ensure_ascii=rng.random() < 0.5, allow_nan=True).encode("utf-8", "surrogatepass")
        if rng.random() < 0.1:
            data = self.corrupt_bytes(data)
            done.append("bytes")
        if len(data) > MAX_BODY:
            return data, {413}, "too large"
        return data, ({400} if done else {200, 204}), "+".join(done) or "values only"


def run(client, fuzzer: Fuzzer, count: int, on_answer: Callable[[int, bytes, set[int], str, bytes], None]) -> None:
    """Send `count` generated requests; on_answer(status, data, expected, what, body) sees each answer."""
    for _ in range(count):
        data, expected, what = fuzzer.request()
        response = client.post(CALLBACK_URL, data=data, content_type="application/json")
        if response.status_code == 200 and response.is_json:
            fuzzer.observe(response.get_json())
        on_answer(response.status_code, response.data, expected, what, data)
