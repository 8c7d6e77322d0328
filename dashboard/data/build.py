"""Builds the prepared data files (geometry, legal layer) from the raw snapshots in data/raw/."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

from .countries import country_name, is_known_code, natural_earth_key, world_bank_to_iso3

RAW_GEOMETRY = "ne_50m_admin_0_countries.geojson"
RAW_WBL = "WBL50YearPanelData.xlsx"
GEOMETRY_FILE = "countries.geojson"
LEGAL_FILE = "legal.csv"

# Simplification tolerance (degrees) and coordinate precision (decimals):
# chosen so the file stays under 400 KB with every 1:50m country kept.
SIMPLIFY_TOLERANCE = 0.08
DECIMALS = 2
# Parts of a multipolygon smaller than this (square degrees) are dropped,
# except a country's largest part, so tiny states never disappear.
MIN_PART_AREA = 0.02
# Not a country, and on a world map it is a band of white that distorts scale.
EXCLUDED_FEATURES = {"ATA": "Antarctica: not a country; no records"}

WBL_SHEET = "WBL1971-2020"
WBL_COLUMNS = {
    "Economy": "economy",
    "Code": "wb_code",
    "WBL Report Year": "report_year",
    "Is there legislation on sexual harassment in employment?": "sh_law",
    "Are there criminal penalties or civil remedies for sexual harassment in employment?": "sh_penalties",
    "Is there legislation specifically addressing domestic violence?": "dv_law",
}


def _keep_parts(geometry: Polygon | MultiPolygon) -> Polygon | MultiPolygon:
    if isinstance(geometry, Polygon):
        return geometry
    parts = sorted(geometry.geoms, key=lambda p: p.area, reverse=True)
    kept = [parts[0]] + [p for p in parts[1:] if p.area >= MIN_PART_AREA]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def _rounded(geometry: Polygon | MultiPolygon) -> dict:
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, DECIMALS))
    return mapping(rounded)


def build_geometry(raw_dir: Path, out_dir: Path) -> Path:
    """Simplify Natural Earth 1:50m countries into data/countries.geojson (feature id = key)."""
    frame = gpd.read_file(raw_dir / RAW_GEOMETRY, columns=["ADMIN", "ADM0_A3", "ISO_A3"])
    frame["key"] = [natural_earth_key(i, a) for i, a in zip(frame["ISO_A3"], frame["ADM0_A3"])]
    frame = frame[~frame["key"].isin(EXCLUDED_FEATURES)]
    frame = frame.dissolve(by="key", as_index=False, sort=True)
    features = []
    for key, geometry in zip(frame["key"], frame.geometry):
        simple = _keep_parts(geometry)
        simple = simple.simplify(SIMPLIFY_TOLERANCE, preserve_topology=True)
        if simple.is_empty:  # never expected; keep the original rather than lose a country
            simple = geometry
        features.append(
            {"type": "Feature", "id": key, "properties": {"name": country_name(key)}, "geometry": _rounded(simple)}
        )
    collection = {"type": "FeatureCollection", "features": features}
    out = out_dir / GEOMETRY_FILE
    out.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def build_legal(raw_dir: Path, out_dir: Path) -> Path:
    """Extract the sexual-harassment and domestic-violence columns of the WBL panel to data/legal.csv."""
    panel = pd.read_excel(raw_dir / RAW_WBL, sheet_name=WBL_SHEET, header=1, usecols=list(WBL_COLUMNS))
    panel = panel.rename(columns=WBL_COLUMNS)
    panel["iso3"] = panel["wb_code"].map(world_bank_to_iso3)
    unknown = sorted(set(panel.loc[~panel["iso3"].map(is_known_code), "wb_code"]))
    if unknown:
        raise ValueError(f"{RAW_WBL}: Code: World Bank codes with no ISO3 mapping: {', '.join(unknown)}")
    panel["report_year"] = panel["report_year"].astype(int)
    # A WBL report year describes the law as it stood in the year before.
    panel["law_year"] = panel["report_year"] - 1
    for column in ("sh_law", "sh_penalties", "dv_law"):
        values = panel[column].astype("string").str.strip()
        bad = sorted(set(values.dropna()) - {"Yes", "No"})
        if bad:
            raise ValueError(f"{RAW_WBL}: {column}: unexpected values {bad}")
        panel[column] = values
    panel = panel[["iso3", "wb_code", "economy", "report_year", "law_year", "sh_law", "sh_penalties", "dv_law"]]
    panel = panel.sort_values(["iso3", "report_year"])
    out = out_dir / LEGAL_FILE
    panel.to_csv(out, index=False, lineterminator="\n")
    return out
