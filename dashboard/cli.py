"""The `metoo-map` command: serve (default), validate, export, build, stats."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data.atlas import CATEGORY_LABELS, INTERNATIONAL, Atlas, load_atlas
from .data.records import CATEGORIES, DataError
from .settings import Settings


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
    export = sub.add_parser("export", help="write filtered records as CSV (as the Export button does)")
    export.add_argument("--data-dir", type=Path)
    export.add_argument("--country", help="ISO3 code, or INT for international records")
    export.add_argument("--from", dest="year_from", type=int)
    export.add_argument("--to", dest="year_to", type=int)
    export.add_argument("--category", action="append", choices=CATEGORIES, help="repeat for several")
    export.add_argument("--text", default="", help="free-text filter")
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")
    build = sub.add_parser("build", help="rebuild countries.geojson and legal.csv from data/raw/")
    build.add_argument("--raw", type=Path, help="folder with the raw snapshots (default DATA_DIR/raw)")
    build.add_argument("--out", type=Path, help="folder to write to (default DATA_DIR)")
    stats = sub.add_parser("stats", help="print countries, records per category and per year")
    stats.add_argument("data_dir", nargs="?", type=Path)
    return parser


def _load(data_dir: Path) -> Atlas:
    try:
        return load_atlas(data_dir)
    except DataError as error:
        print(f"metoo-map: {len(error.problems)} problem(s) in {data_dir}:", file=sys.stderr)
        print("\n".join(error.problems), file=sys.stderr)
        raise SystemExit(1) from None


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
        from .data.query import RecordFilter, export_csv, export_frame, filter_records

        atlas = _load(args.data_dir or settings.data_dir)
        chosen = RecordFilter(args.year_from, args.year_to, tuple(sorted(args.category or ())),
                              args.country.upper() if args.country else None, args.text)
        text = export_csv(export_frame(atlas, filter_records(atlas, chosen)))
        if args.out:
            args.out.write_text(text, encoding="utf-8")
            print(f"wrote {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(text)
    elif command == "build":
        from .data.build import build_geometry, build_legal

        out = args.out or settings.data_dir
        raw = args.raw or settings.data_dir / "raw"
        for path in (build_geometry(raw, out), build_legal(raw, out)):
            print(f"wrote {path} ({path.stat().st_size:,} bytes)")
