"""A record's citation: plain text and BibTeX with its title, id, permalink and check date; never markup."""

from __future__ import annotations

import json

from dashboard.citation import bibtex_escape, citation_bibtex, citation_text, permalink_path
from dashboard.detail import record_card

RECORD = {"id": "fra-2018-one", "title": "A court convicts  a director\nof harassment", "checked_on": "2026-11-24",
          "date": "2018", "summary": "S.", "count": 1}
LINK = "https://atlas.example/?record=fra-2018-one"


def test_the_permalink_path_opens_the_record():
    assert permalink_path("fra-2018-one") == "/?record=fra-2018-one"


def test_the_citation_names_title_atlas_id_permalink_and_check_date():
    assert citation_text(RECORD, LINK) == (
        'MeToo Atlas contributors. "A court convicts a director of harassment." MeToo Atlas, record fra-2018-one. '
        "https://atlas.example/?record=fra-2018-one. Checked against its sources on 2026-11-24.")


def test_a_record_never_checked_is_cited_without_a_check_date():
    assert "Checked" not in citation_text({**RECORD, "checked_on": ""}, LINK)


def test_the_bibtex_entry_is_a_misc_keyed_by_the_record():
    assert citation_bibtex(RECORD, LINK) == (
        "@misc{metoo-atlas:fra-2018-one,\n"
        "  title = {{A court convicts a director of harassment}},\n"
        "  author = {{MeToo Atlas contributors}},\n"
        "  howpublished = {MeToo Atlas, record fra-2018-one},\n"
        "  url = {https://atlas.example/?record=fra-2018-one},\n"
        "  year = {2026},\n"
        "  note = {Checked against its sources on 2026-11-24}\n"
        "}")


def test_bibtex_special_characters_are_printed_as_themselves_and_braces_stay_balanced():
    title = r"50% of {staff} & #MeToo_2018 cost $5 ~ ^ \end"
    entry = citation_bibtex({**RECORD, "title": title}, LINK)
    assert r"50\% of \{staff\} \& \#MeToo\_2018 cost \$5 \textasciitilde{} \textasciicircum{} \textbackslash{}end" \
        in entry
    unescaped = entry.replace(r"\{", "").replace(r"\}", "")
    assert unescaped.count("{") == unescaped.count("}")
    assert bibtex_escape("}{") == r"\}\{"


def test_markup_in_a_title_stays_text_in_the_card():
    card = record_card({**RECORD, "title": "<img src=x onerror=alert(1)>", "summary": "S"}, [])
    box = json.loads(json.dumps(card.to_plotly_json(), default=lambda o: o.to_plotly_json()))
    text = json.dumps(box)
    assert '"<img src=x onerror=alert(1)>."' in text.replace('\\"', '"')  # a data attribute's text, not an element
    assert '"type": "Img"' not in text
