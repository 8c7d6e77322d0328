"""Pure functions from the Atlas to the detail panel: a country's records, its chart, the world summary."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from .citation import citation_bibtex, citation_text, permalink_path
from .changes_view import country_strip
from .data.atlas import CATEGORY_LABELS, COUNTS, Atlas, count_column
from .data.records import STATUS_LABELS, url_problem
from .figures import CATEGORY_COLOURS

DETAIL_GROUPS = (
    ("case", "Cases"),
    ("resignation", "Resignations"),
    ("legal_reform", "Legal reforms"),
    ("other", "Other: campaigns and backlash"),
)
# What "Show more" names in each group.
GROUP_NOUNS = {"case": "cases", "resignation": "resignations", "legal_reform": "legal reforms",
               "other": "campaigns and backlash"}
# Cards per group before "Show more", and how many more each press shows: a country with
# thousands of records sends its counts, its chart and the newest cards, never the whole list.
DETAIL_PAGE = 10


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def count_phrase(total: int, count: str) -> str:
    """'12 records' or '14 people and cases', as the count control says."""
    if count == "people":
        return f"{total} {'person or case' if total == 1 else 'people and cases'}"
    return plural(total, "record")


def stands_for(count: int) -> str:
    """What a record's `count` means, shown where it is not 1."""
    return "" if count == 1 else f"stands for {count} people or cases"


def safe_href(url: str | None) -> str | None:
    """The url if it is an http(s) url with a host, else None: no javascript:, data: or vbscript: links."""
    return url if url and url_problem(url) is None else None


def correction_href(template: str, record_id: str) -> str:
    """Where "Report an error" points: the settings' template with {id}, else About's corrections section."""
    if template:
        href = template.replace("{id}", record_id)
        if safe_href(href) or href.startswith("mailto:"):
            return href
    return "#corrections"


def world_summary(atlas: Atlas, count: str = "records") -> list:
    """What the detail panel says before a country is chosen: totals that add up to About's."""
    totals = atlas.category_totals(count)
    items = [html.Li(f"{label}: {totals[category]}") for category, label in CATEGORY_LABELS.items()]
    grand = sum(totals.values())
    return [html.P("Click a country on the map, or choose one above, to read its records and their sources."),
            html.P(f"In all: {count_phrase(grand, count)}.", className="small mb-1", id="detail-count"),
            html.Ul(items, className="small")]


def _status_badge(status: str) -> dbc.Badge | str:
    if not status:
        return ""
    colour = "warning" if status == "alleged" else "secondary"
    return dbc.Badge(STATUS_LABELS.get(status, status), color=colour, className="ms-1",
                     text_color="dark" if colour == "warning" else None)


def _source_item(source: dict) -> html.Li:
    href = safe_href(source.get("url", ""))
    title = html.A(source["title"], href=href, rel="noopener noreferrer", target="_blank") if href \
        else html.Span(source["title"])
    details = ", ".join(x for x in (source.get("publisher"), source.get("published")) if x)
    via = safe_href(source.get("via", ""))
    return html.Li([title, f" — {details}" if details else "",
                    *([" (read via ", html.A("a stored copy", href=via, rel="noopener noreferrer",
                                             target="_blank"), ")"] if via else [])])


def share_controls(record: dict) -> list:
    """Link (copies the permalink) and Cite (a citation and BibTeX), drawn as text fields by assets/atlas.js.

    The texts travel as data attributes with the permalink's path only: the
    browser puts the page's own origin in front and writes them into read-only
    fields (as values, never as HTML).
    """
    path = permalink_path(record["id"])
    link = html.Button("Link", type="button", className="btn btn-link btn-sm p-0 me-2 align-baseline record-link",
                       title="Copy the permanent link to this record", **{"data-permalink": path})
    cite = html.Details(
        [html.Summary("Cite", className="d-inline"),
         html.Div(className="cite-box", **{"data-permalink": path, "data-citation": citation_text(record, path),
                                           "data-bibtex": citation_bibtex(record, path)})],
        className="record-cite d-inline-block me-2")
    return [link, cite]


def record_card(record: dict, sources: list[dict], corrections: str = "") -> html.Article:
    """One record: date, title, status, summary, people, count and its sources. All text, never HTML."""
    people = record.get("people") or ""
    hashtags = record.get("hashtags") or ""
    count = int(record.get("count", 1) or 1)
    checked = record.get("checked_on") or ""
    footer = [*share_controls(record),
              html.A("Report an error", href=correction_href(corrections, record["id"]), className="me-2")]
    if checked:
        footer.insert(0, html.Span(f"Checked against its sources on {checked}. ", className="text-muted me-2"))
    return html.Article(
        [
            html.Div([html.Span(record["date"], className="text-muted me-2"), html.Strong(record["title"]),
                      _status_badge(record.get("status") or "")]),
            html.P(record["summary"], className="mb-1"),
            html.P(f"Count: {stands_for(count)}.", className="small mb-1 record-count") if count != 1 else None,
            html.P(f"People: {people.replace(';', ', ')}", className="small mb-1") if people else None,
            html.P(f"Hashtags: {hashtags.replace(';', ' ')}", className="small mb-1") if hashtags else None,
            html.Details([html.Summary(f"Sources ({len(sources)})", className="small"),
                          html.Ul([_source_item(s) for s in sources], className="small mb-1")], open=False),
            html.Div(footer, className="small mb-0 record-footer"),
            html.Div(html.Span(className="link-status", role="status"), className="link-box small"),
        ],
        className="record mb-2",
        id=f"record-{record['id']}",
    )


def records_by_year_chart(records: pd.DataFrame, count: str = "records") -> html.Figure:
    """A small stacked bar chart of records (or people and cases) by year and category, in plain HTML.

    Plain HTML keeps the page on plotly.js's geo bundle (a third of the full
    one), which has no bar trace; each bar says its numbers on hover and to
    screen readers.
    """
    column = count_column(count)
    frame = records.assign(records=1, people=records["count"])
    table = frame.pivot_table(index="year", columns="category", values=column, aggfunc="sum").fillna(0)
    years = range(int(table.index.min()), int(table.index.max()) + 1)
    table = table.reindex(years, fill_value=0)
    tallest = max(float(table.sum(axis=1).max()), 1.0)
    columns = []
    for year in years:
        parts = [(c, int(table.at[year, c])) for c in CATEGORY_LABELS if c in table.columns and table.at[year, c]]
        label = f"{year}: " + (", ".join(f"{CATEGORY_LABELS[c]} {n}" for c, n in parts) if parts else "none")
        segments = [html.Div(className="bar-segment", style={"height": f"{100 * n / tallest:.1f}%",
                                                               "background": CATEGORY_COLOURS[c]}) for c, n in parts]
        columns.append(html.Div([html.Div(segments[::-1], className="bar-stack"),
                                 html.Span(str(year)[2:], className="bar-year")],
                                className="bar", title=label, role="listitem", **{"aria-label": label}))
    legend = [html.Span([html.Span(className="swatch", style={"background": CATEGORY_COLOURS[c]}), label],
                        className="me-2") for c, label in CATEGORY_LABELS.items() if c in table.columns]
    return html.Figure(
        [html.Div(columns, className="bars", role="list"),
         html.Figcaption([f"{COUNTS[count]} by year (highest: {int(tallest)}). ", *legend],
                         className="small text-muted")],
        id="detail-chart", className="detail-chart mb-2",
    )


def research_note(atlas: Atlas, key: str) -> list:
    """What coverage.csv says of how the country was researched (nothing without the file)."""
    row = atlas.coverage_of(key)
    if row is None:
        return []
    if row["status"] == "not_researched":
        return [html.P([html.Strong("Not researched yet."), " Nobody has searched this country's sources for "
                        "records, so the map cannot say whether anything happened here."], id="detail-research")]
    searched = [html.Strong(f"No citable records found in the sources searched on {row['researched_on']}.")] \
        if row["status"] == "none_found" else [f"Sources last searched on {row['researched_on']}."]
    details = [html.Summary("What was searched"), html.P(row["queries"], className="mb-1")]
    if row["notes"]:
        details.append(html.P(row["notes"], className="mb-1"))
    return [html.Div([html.P(searched, className="mb-1"), html.Details(details)],
                     id="detail-research", className="small text-muted mb-1")]


GLOBAL_HASHTAGS = {"#metoo"}  # the movement's own tag is everywhere; the panel lists the local ones


def local_campaigns(records: pd.DataFrame) -> list:
    """The local hashtags a country's records are about, oldest first, each once (as written)."""
    tags: dict[str, None] = {}
    for text in records.sort_values(["date_start", "id"])["hashtags"]:
        tags.update(dict.fromkeys(t for t in text.split(";") if t and t.casefold() not in GLOBAL_HASHTAGS))
    if not tags:
        return []
    return [html.P([html.Span("Local campaigns: ", className="fw-semibold"), " ".join(tags)],
                   id="detail-hashtags", className="small mb-1")]


# The categories of the "other" group; every other group is one category.
OTHER_CATEGORIES = ("campaign", "backlash")


def group_of(category: str) -> str:
    """The detail panel's group for a record's category (campaigns and backlash share "other")."""
    return "other" if category in OTHER_CATEGORIES else category


def group_records(records: pd.DataFrame, group: str) -> pd.DataFrame:
    """A group's records, in the panel's order (newest first)."""
    return records[records["category"].isin(OTHER_CATEGORIES if group == "other" else (group,))]


def shown_to_include(atlas: Atlas, record_id: str) -> tuple[str, int]:
    """The record's group and how many of its cards the panel must show to include it (whole pages)."""
    key = atlas.record_keys[record_id]
    records = atlas.records_for(key)
    group = group_of(str(records.loc[records["id"] == record_id, "category"].iloc[0]))
    position = list(group_records(records, group)["id"]).index(record_id)
    return group, (position // DETAIL_PAGE + 1) * DETAIL_PAGE


def group_cards(atlas: Atlas, rows: pd.DataFrame, corrections: str = "") -> list:
    return [record_card(r, atlas.sources_for(r["source_ids"]), corrections) for r in rows.to_dict("records")]


def more_control(group: str, shown: int, total: int) -> list:
    """ "Showing 10 of 1234" and a "Show more" button (a real button: Enter and Space work), or nothing."""
    if shown >= total:
        return []
    return [html.P(f"Showing the newest {shown} of {total}.", className="small text-muted mb-1 detail-shown",
                   id={"type": "detail-shown", "group": group}),
            html.Button(f"Show more {GROUP_NOUNS[group]}", type="button", value=str(shown),
                        className="btn btn-outline-secondary btn-sm mb-2 detail-more",
                        id={"type": "detail-more", "group": group})]


def detail_body(atlas: Atlas, key: str, count: str = "records", corrections: str = "",
                opened: tuple[str, int] | None = None) -> list:
    """The detail panel's body for a country key (or INTERNATIONAL).

    Each group shows its newest DETAIL_PAGE cards and a "Show more" button;
    `opened` (group, cards) shows more of one group, e.g. down to a permalinked record.
    """
    records = atlas.records_for(key)
    if records.empty:
        return [html.P("No records for this country yet."), *research_note(atlas, key),
                html.P("Its legal status is shown above.", className="small")]
    people = int(records["count"].sum())
    total = plural(len(records), "record")
    if people != len(records):
        total += f" ({count_phrase(people, 'people')})"
    children: list = [
        html.P(total, className="small text-muted mb-1", id="detail-count"),
        *research_note(atlas, key),
        *local_campaigns(records),
        html.A("Skip to its records", href="#detail-records", className="small d-block mb-1 skip-records"),
        records_by_year_chart(records, count),
        country_strip(atlas, key),
    ]
    groups: list = []
    for group, label in DETAIL_GROUPS:
        rows = group_records(records, group)
        if rows.empty:
            continue
        shown = max(DETAIL_PAGE, opened[1]) if opened and opened[0] == group else DETAIL_PAGE
        shown = min(shown, len(rows))
        groups.append(html.Section([html.H3(f"{label} ({len(rows)})", className="h6 mt-2"),
                                    html.Div(group_cards(atlas, rows.iloc[:shown], corrections),
                                             id={"type": "detail-cards", "group": group}, className="group-cards"),
                                    *more_control(group, shown, len(rows))],
                                   className=f"group group-{group}"))
    children.append(html.Div(groups, id="detail-records", tabIndex="-1"))
    return children
