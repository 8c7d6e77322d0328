"""The detail panel renders untrusted text as text and links only http(s) urls with a host."""

from __future__ import annotations

import json

import plotly
import pytest

from dashboard.detail import record_card, safe_href


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "\x01javascript:alert(1)", "java\tscript:alert(1)", "data:text/html,<b>x</b>",
                                 "vbscript:msgbox(1)", "https://", "//evil.example/x", "/relative", "", None])
def test_unsafe_urls_make_no_link(url) -> None:
    assert safe_href(url) is None


@pytest.mark.parametrize("url", ["https://example.org/a?b=c", "http://example.org"])
def test_http_urls_make_links(url) -> None:
    assert safe_href(url) == url


def test_record_card_is_text_only() -> None:
    record = {"id": "x", "date": "2018", "title": "<img src=x onerror=alert(1)>", "summary": "<script>x</script>",
              "status": "alleged", "people": "<b>a</b>"}
    sources = [{"title": "<i>t</i>", "url": "javascript:alert(1)", "publisher": "p", "published": ""}]
    tree = json.dumps(record_card(record, sources), cls=plotly.utils.PlotlyJSONEncoder)
    assert '"href": "javascript' not in tree  # no link for a javascript: url
    assert "dangerously" not in tree.lower()
    assert "<img src=x onerror=alert(1)>" in tree  # the text itself, as text
