"""The open-data API: the records, the map's values and the sources from a URL, as CSV or JSON.

Thin views: parameters go through dashboard/params.py (the parser
`metoo-map export` uses, so both give the same rows), rows come from
dashboard/data/query.py and are streamed one at a time. A bad parameter is
found before the first byte is sent, so it still answers 400.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator

import pandas as pd
from flask import Blueprint, Response, jsonify, request

from .data.atlas import Atlas
from .data.changes import CHANGES_COLUMNS, changes_records, country_changes
from .data.query import (MAX_XLSX_ROWS, RecordFilter, csv_lines, export_records, filter_records, sources_csv,
                         stream_export_csv, write_export_xlsx)
from .figures import legend_classes, map_class
from .params import ParamError, parse_map_query, parse_record_filter
from .security import json_error

API_PREFIX = "/api/"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_IN_MEMORY = 16 * 2**20  # a larger workbook is spooled to a temporary file


def filters_json(chosen: RecordFilter) -> dict:
    """The filter as the JSON answer states it: every parameter, normalised."""
    return {"country": chosen.country, "from": chosen.year_from, "to": chosen.year_to,
            "cat": list(chosen.categories), "status": list(chosen.statuses), "q": chosen.text,
            "sort": ",".join(("-" if direction == "desc" else "") + column for column, direction in chosen.sort)}


def records_json(atlas: Atlas, chosen: RecordFilter, records: pd.DataFrame) -> Iterator[str]:
    """{"ok", "filters", "count", "records_as_of", "records": [...]} written one record at a time."""
    head = {"ok": True, "filters": filters_json(chosen), "count": len(records), "records_as_of": atlas.records_as_of}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['
    for n, record in enumerate(export_records(atlas, records)):
        yield ("," if n else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"


def map_values(atlas: Atlas, metric: str, year: int, cumulative: bool, count: str) -> list[dict]:
    """Every country on the map with the value and the class (legend index) the map gives it."""
    values = atlas.metric_values(metric, year, cumulative, count)
    rows = []
    for key in sorted(atlas.country_keys):
        if metric == "legal":
            value = values.get(key)  # None: the World Bank has no data for it that year
            drawn = 0 if value is None else int(value) + 1
        else:
            value = values.get(key, 0)
            drawn = map_class(atlas, metric, key, value)
        row = {"country": key, "name": atlas.name_of(key), "value": value, "class": drawn}
        if (coverage := atlas.coverage_of(key)) is not None:
            row["research"] = coverage["status"]
        rows.append(row)
    return rows


def changes_csv(rows: list[dict]) -> Iterator[str]:
    """The changes table as CSV (an empty cell for no value), one line at a time."""
    return csv_lines(CHANGES_COLUMNS, ([("" if row[c] is None else row[c]) for c in CHANGES_COLUMNS] for row in rows))


def no_parameters(name: str) -> None:
    if request.args:
        raise ParamError(next(iter(request.args))[:40], f"unknown parameter; {name} takes none")


def csv_response(body, filename: str) -> Response:
    """A CSV answer (streamed when `body` is an iterator) the browser shows inline under `filename`."""
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def api_blueprint(atlas: Atlas) -> Blueprint:
    """The /api/ routes on one Atlas."""
    api = Blueprint("api", __name__, url_prefix=API_PREFIX.rstrip("/"))
    changes = changes_records(country_changes(atlas))  # the Atlas never changes: computed once

    def params() -> dict[str, list[str]]:
        return request.args.to_dict(flat=False)

    @api.errorhandler(ParamError)
    def bad_parameter(error: ParamError) -> Response:
        return json_error(400, str(error), error.param)

    @api.get("/records.csv")
    def records_csv() -> Response:
        chosen = parse_record_filter(params(), atlas.country_names)
        records = filter_records(atlas, chosen)
        return csv_response(stream_export_csv(atlas, records), chosen.file_name(atlas.records_as_of))

    @api.get("/records.xlsx")
    def records_xlsx() -> Response:
        chosen = parse_record_filter(params(), atlas.country_names)
        records = filter_records(atlas, chosen)
        if len(records) > MAX_XLSX_ROWS:
            return json_error(400, f"{len(records)} records are more than an .xlsx export takes ({MAX_XLSX_ROWS}); "
                                   "filter further or use records.csv")
        spool = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY)
        write_export_xlsx(atlas, records, spool)
        spool.seek(0)

        def chunks() -> Iterator[bytes]:
            with spool:
                yield from iter(lambda: spool.read(2**16), b"")

        response = Response(chunks(), mimetype=XLSX_TYPE)
        name = chosen.file_name(atlas.records_as_of).removesuffix(".csv") + ".xlsx"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @api.get("/records.json")
    def records_as_json() -> Response:
        chosen = parse_record_filter(params(), atlas.country_names)
        return Response(records_json(atlas, chosen, filter_records(atlas, chosen)), mimetype="application/json")

    @api.get("/countries.json")
    def countries_json() -> Response:
        query = parse_map_query(params(), atlas)
        rows = map_values(atlas, query.metric, query.year, query.mode == "cumulative", query.count)
        return jsonify(ok=True, metric=query.metric, mode=query.mode, year=query.year, count=query.count,
                       classes=legend_classes(query.metric, coverage=atlas.has_coverage)[1], countries=rows)

    @api.get("/changes.csv")
    def changes_as_csv() -> Response:
        no_parameters("changes.csv")
        return csv_response(changes_csv(changes), f"metoo-changes_asof-{atlas.records_as_of}.csv")

    @api.get("/changes.json")
    def changes_as_json() -> Response:
        no_parameters("changes.json")
        return jsonify(ok=True, count=len(changes), records_as_of=atlas.records_as_of, columns=list(CHANGES_COLUMNS),
                       countries=changes)

    @api.get("/sources.csv")
    def sources() -> Response:
        no_parameters("sources.csv")
        return csv_response(sources_csv(atlas), f"metoo-sources_asof-{atlas.records_as_of}.csv")

    @api.after_app_request
    def allow_any_origin(response: Response) -> Response:
        # Open data: any site may read it (no cookies or credentials are involved).
        if request.path.startswith(API_PREFIX):
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    return api
