"""The `metoo-map` command: serve (default), validate, export, build, stats."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from pathlib import Path

from .data.atlas import CATEGORY_LABELS, INTERNATIONAL, Atlas, load_atlas
from .data.records import CATEGORIES, DataError
from .params import STATUSES, ParamError, parse_record_filter
from .settings import Settings

# `metoo-map export` flags and the query parameters they stand for (dashboard/params.py).
EXPORT_FLAGS = {"country": "--country", "year_from": "--from", "year_to": "--to", "category": "--category",
                "status": "--status", "text": "--text", "sort": "--sort"}
FLAG_PARAMS = {"country": "country", "year_from": "from", "year_to": "to", "category": "cat", "status": "status",
               "text": "q", "sort": "sort"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="metoo-map", description="MeToo Atlas: the #MeToo movement on a world map.")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="start the dashboard (the default)")
    serve.add_argument("--data-dir", type=Path, help="folder with events.csv, sources.csv, countries.geojson, legal.csv")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8050, or $PORT)")
    serve.add_argument("--workers", type=int, default=1, help="gunicorn worker processes (default 1)")
    serve.add_argument("--debug", action="store_true", default=None,
                       help="Dash's development server with debug tools: never in production")
    validate = sub.add_parser("validate", help="check a data folder; exit 1 on any problem")
    validate.add_argument("data_dir", nargs="?", type=Path, help="the folder (default: the embedded data)")
    export = sub.add_parser("export", help="write filtered records as CSV (as the Export button and /api/ do)")
    export.add_argument("--data-dir", type=Path)
    export.add_argument("--country", help='ISO3 code in any case, INT for international records, or a name '
                                          '("South Korea")')
    export.add_argument("--from", dest="year_from", metavar="YEAR", help="first year")
    export.add_argument("--to", dest="year_to", metavar="YEAR", help="last year")
    export.add_argument("--category", action="append", metavar="CATEGORY",
                        help=f"one of {', '.join(CATEGORIES)}; repeat for several")
    export.add_argument("--status", action="append", metavar="STATUS",
                        help=f"one of {', '.join(STATUSES)}; repeat for several")
    export.add_argument("--text", help="free-text filter")
    export.add_argument("--sort", help="columns to sort by, comma-separated, - for descending: --sort=-date "
                                       "(the default; write it with = so the - is not read as a flag)")
    export.add_argument("--out", default="-", help="file to write; - for standard output (the default)")
    build = sub.add_parser("build", help="rebuild countries.geojson and legal.csv from data/raw/")
    build.add_argument("--raw", type=Path, help="folder with the raw snapshots (default DATA_DIR/raw)")
    build.add_argument("--out", type=Path, help="folder to write to (default DATA_DIR)")
    stats = sub.add_parser("stats", help="print countries, records per category and per year")
    stats.add_argument("data_dir", nargs="?", type=Path)
    return parser


def _load(data_dir: Path, exit_code: int = 1) -> Atlas:
    try:
        return load_atlas(data_dir)
    except DataError as error:
        print(f"metoo-map: {len(error.problems)} problem(s) in {data_dir}:", file=sys.stderr)
        print("\n".join(error.problems), file=sys.stderr)
        raise SystemExit(exit_code) from None


def _refuse(message: str) -> None:
    """A usage error: the message on stderr, exit 2 (as argparse does), no traceback."""
    print(f"metoo-map export: {message}", file=sys.stderr)
    raise SystemExit(2)


def export_params(args: argparse.Namespace) -> dict[str, list[str]]:
    """The query parameters `metoo-map export`'s flags stand for: the API's and the CLI's filters are one."""
    params: dict[str, list[str]] = {}
    for name, param in FLAG_PARAMS.items():
        given = getattr(args, name)
        if given is not None:
            params[param] = given if isinstance(given, list) else [given]
    return params


def _write(lines: Iterable[str], out: str) -> None:
    if out == "-":
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        try:
            for line in lines:
                if stream is None:
                    sys.stdout.write(line)
                else:
                    stream.write(line.encode("utf-8"))
            sys.stdout.flush()
        except BrokenPipeError:  # `metoo-map export | head`: the reader has gone; not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    try:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
    except OSError as error:
        _refuse(f"--out: cannot write {out}: {error.strerror or error}")


def _export(args: argparse.Namespace, settings: Settings) -> None:
    from .data.query import filter_records, stream_export_csv

    data_dir = args.data_dir or settings.data_dir
    if not data_dir.is_dir():
        _refuse(f"--data-dir: {data_dir} is not a folder")
    atlas = _load(data_dir, exit_code=2)
    try:
        chosen = parse_record_filter(export_params(args), atlas.country_names)
    except ParamError as error:
        flag = next(EXPORT_FLAGS[name] for name, param in FLAG_PARAMS.items() if param == error.param)
        _refuse(f"{flag}: {error.message}")
    records = filter_records(atlas, chosen)
    _write(stream_export_csv(atlas, records), args.out)
    if args.out != "-":
        print(f"wrote {len(records)} records to {args.out}", file=sys.stderr)


def _serve(args: argparse.Namespace, settings: Settings) -> None:
    settings = settings.with_overrides(data_dir=args.data_dir, host=args.host, port=args.port, debug=args.debug)
    atlas = _load(settings.data_dir)
    from .app import create_app

    app = create_app(settings, atlas)
    url = f"http://{settings.host}:{settings.port}/"
    print(f"MeToo Atlas: {len(atlas.events)} records. Open {url}  (Ctrl+C stops)", flush=True)
    if settings.debug:
        app.run(host=settings.host, port=settings.port, debug=True)
        return
    from gunicorn.app.base import BaseApplication

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{settings.host}:{settings.port}")
            self.cfg.set("workers", max(1, args.workers))
            self.cfg.set("timeout", 30)
            self.cfg.set("limit_request_line", 4094)
            self.cfg.set("limit_request_fields", 50)

        def load(self):
            return app.server

    _Server().run()


def _stats(atlas: Atlas) -> str:
    events = atlas.events
    lines = [f"{len(events)} records, {len(atlas.sources)} sources, records as of {atlas.records_as_of}"]
    countries = sorted(k for k in events["key"].unique() if k != INTERNATIONAL)
    lines.append(f"{len(countries)} countries: {', '.join(countries)}")
    lines.append(f"international records: {int((events['key'] == INTERNATIONAL).sum())}")
    lines.append("records per category (countries with at least one):")
    for category, label in CATEGORY_LABELS.items():
        rows = events[events["category"] == category]
        in_countries = rows.loc[rows["key"] != INTERNATIONAL, "key"].nunique()
        lines.append(f"  {label:<14} {len(rows):>4}  ({in_countries} countries)")
    lines.append("records per year:")
    for year, count in events.groupby("year").size().items():
        lines.append(f"  {year}  {count:>4}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as error:
        print(f"metoo-map: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    command = args.command or "serve"
    if command == "serve":
        if args.command is None:
            args = _parser().parse_args(["serve", *(argv if argv is not None else sys.argv[1:])])
        _serve(args, settings)
    elif command == "validate":
        atlas = _load(args.data_dir or settings.data_dir)
        print(f"OK: {len(atlas.events)} records, {len(atlas.sources)} sources, "
              f"{atlas.events['key'].nunique()} countries (incl. international) — no problems found.")
    elif command == "stats":
        print(_stats(_load(args.data_dir or settings.data_dir)))
    elif command == "export":
        _export(args, settings)
    elif command == "build":
        from .data.build import build_geometry, build_legal

        out = args.out or settings.data_dir
        raw = args.raw or settings.data_dir / "raw"
        for path in (build_geometry(raw, out), build_legal(raw, out)):
            print(f"wrote {path} ({path.stat().st_size:,} bytes)")
