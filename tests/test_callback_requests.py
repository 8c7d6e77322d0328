"""Callback requests: every body the page can send answers 200, every other body a short 400, never a 5xx.

The bodies are generated from the live app's /_dash-dependencies and /_dash-layout
(tests/callback_fuzz.py): nothing here lists a callback, an id or a property.
"""

from __future__ import annotations

import json
import logging

import pytest
from dash import ALL, MATCH, Dash, Input, Output, State, dcc, html

from dashboard.app import create_app
from dashboard.callback_requests import BadCallbackRequest, read_body
from dashboard.security import harden
from dashboard.settings import Settings

from .callback_fuzz import CALLBACK_URL, Fuzzer, run
from .conftest import DATA_DIR
from .dash_requests import body_for, prop_id

FUZZ_REQUESTS = 6000


@pytest.fixture(scope="module")
def app(atlas):
    return create_app(Settings(data_dir=DATA_DIR), atlas)


def fuzz(app, count: int, seed: int) -> tuple[list[tuple], dict[str, int]]:
    """Run the generator against an app; return the answers that broke a rule, and the mutations done."""
    client = app.server.test_client()
    fuzzer = Fuzzer.from_app(client, seed)
    wrong: list[tuple] = []

    def check(status: int, data: bytes, expected: set[int], what: str, body: bytes) -> None:
        if status not in expected or b"Traceback" in data or b'File "' in data:
            wrong.append((status, sorted(expected), what, body[:200], data[:200]))

    run(client, fuzzer, count, check)
    return wrong, fuzzer.kinds


def test_every_server_callback_answers_a_valid_request(app) -> None:
    """Each callback, with the values its inputs have when the page opens, answers 200 with its outputs."""
    client = app.server.test_client()
    fuzzer = Fuzzer.from_app(client, seed=0)
    assert fuzzer.dependencies, "the page has server-side callbacks"
    for dependency in fuzzer.dependencies:
        body = body_for(dependency, lambda entry: fuzzer.observed.get(prop_id(entry["id"], entry["property"]),
                                                                      [None])[0])
        response = client.post(CALLBACK_URL, json=body)
        assert response.status_code == 200, (dependency["output"], response.data[:300])
        answered = {f"{c}.{p}" for c, props in response.get_json()["response"].items() for p in props}
        outputs = body["outputs"] if isinstance(body["outputs"], list) else [body["outputs"]]
        assert answered <= {f"{o['id']}.{o['property']}" for o in outputs}


def test_renderer_shaped_bodies_pass_without_state_or_parsed_ids(app) -> None:
    """The renderer omits `state` for a callback without State and adds `parsedChangedPropsIds`."""
    client = app.server.test_client()
    for dependency in Fuzzer.from_app(client, seed=0).dependencies:
        body = body_for(dependency, lambda entry: None)
        assert ("state" in body) == bool(dependency["state"])
        assert client.post(CALLBACK_URL, json=body).status_code in (200, 204)
        body.pop("parsedChangedPropsIds")
        assert client.post(CALLBACK_URL, json=body).status_code in (200, 204)


def test_thousands_of_mutated_requests_never_answer_5xx(app, caplog) -> None:
    caplog.set_level(logging.CRITICAL)
    wrong, kinds = fuzz(app, FUZZ_REQUESTS, seed=20261124)
    assert wrong == [], f"{len(wrong)} wrong answers, first: {wrong[:3]}"
    # every kind of mutation was exercised, many times
    assert min(kinds.values()) >= 40 and len(kinds) >= 15, kinds
    assert app.server.test_client().get("/healthz").status_code == 200


@pytest.mark.parametrize("kind", Fuzzer.BREAKING)
def test_each_kind_of_malformed_body_gets_a_short_json_400(app, kind) -> None:
    client = app.server.test_client()
    fuzzer = Fuzzer.from_app(client, seed=7)
    for n in range(30):
        dependency = fuzzer.dependencies[n % len(fuzzer.dependencies)]
        body = body_for(dependency, fuzzer.value_for)
        if not fuzzer.break_shape(body, dependency, kind):
            continue
        data = json.dumps(body, allow_nan=True).encode("utf-8", "surrogatepass")
        response = client.post(CALLBACK_URL, data=data, content_type="application/json")
        assert response.status_code == 400, (kind, data[:300])
        answer = response.get_json()
        assert answer["ok"] is False and answer["status"] == 400
        assert answer["error"].startswith("Bad callback request") and len(answer["error"]) < 160


@pytest.mark.parametrize("raw, problem", [
    (b'{"output": "\xff"}', "not valid UTF-8"),
    (b'{"output": "\xed\xa0\x80"}', "not valid UTF-8"),  # a surrogate encoded as UTF-8
    (b'{"output": "\\ud800"}', "lone surrogate"),
    (b'{"\\udfff": 1}', "lone surrogate"),
    (b"[" * 100_000 + b"]" * 100_000, "nested deeper"),
    (b"[" * 40 + b"]" * 40, "nested deeper"),
    (b'{"output": 1' + b"0" * 5000 + b"}", "not JSON"),  # beyond Python's int conversion limit
    (b"\xef\xbb\xbf{}", "not JSON"),
    (b"", "not JSON"),
])
def test_bodies_that_are_not_clean_json_are_refused(raw, problem) -> None:
    with pytest.raises(BadCallbackRequest, match=problem):
        read_body(raw)


def test_a_body_sent_as_another_content_type_is_refused(app) -> None:
    client = app.server.test_client()
    body = body_for(Fuzzer.from_app(client, seed=0).dependencies[0], lambda entry: None)
    response = client.post(CALLBACK_URL, data=json.dumps(body), content_type="text/plain")
    assert response.status_code == 400


# --- the generator is general: a callback it has never seen, with pattern-matching ids ------------

def pattern_app(trusting: bool) -> Dash:
    """A page the generator knows nothing about: ALL and MATCH ids, a State, a callback without State."""
    app = Dash(__name__)
    app.layout = html.Div([
        dcc.Store(id={"type": "store", "index": 0}, data={"n": 1}),
        dcc.Store(id={"type": "store", "index": 1}, data={"n": 2}),
        html.Div(id={"type": "label", "index": 0}),
        dcc.Input(id="text", value="abc"),
        html.Div(id="total"),
    ])

    @app.callback(Output("total", "children"), Input({"type": "store", "index": ALL}, "data"),
                  State("text", "value"))
    def total(stores, text):
        if trusting:  # trusts its inputs, as a callback added in a hurry might
            return sum(store["n"] for store in stores) + len(text)
        numbers = [s.get("n") for s in stores if isinstance(s, dict)]
        return str(sum(n for n in numbers if isinstance(n, int) and abs(n) < 10**6))

    @app.callback(Output({"type": "label", "index": MATCH}, "children"),
                  Input({"type": "store", "index": MATCH}, "data"))
    def label(store):
        return str(store)[:50]

    harden(app, Settings(data_dir=DATA_DIR))
    return app


def test_generator_finds_the_fault_in_a_callback_it_was_never_told_about(caplog) -> None:
    caplog.set_level(logging.CRITICAL)
    wrong, _ = fuzz(pattern_app(trusting=True), 400, seed=3)
    assert any(status == 500 for status, *_ in wrong)
    # and only the faulty callback misbehaves: every malformed body was still refused with 400
    assert all(status == 500 and what == "values only" for status, _, what, *_ in wrong), wrong[:3]


def test_pattern_matching_requests_are_checked_exactly(caplog) -> None:
    caplog.set_level(logging.CRITICAL)
    wrong, kinds = fuzz(pattern_app(trusting=False), 1500, seed=4)
    assert wrong == [], wrong[:3]
    assert kinds.get("entry", 0) > 50 and kinds.get("resize", 0) > 50
