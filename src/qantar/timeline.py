"""Chapter-level helpers for the timeline: chronology text and the two figures."""

from __future__ import annotations

import json

from . import fmt, paths
from .markup import MyST, cite, join, md

CATEGORY_LABELS = {
    "protest": "Protest",
    "violence": "Violence",
    "government_decision": "Government decision",
    "security_operation": "Security operation",
    "csto": "CSTO",
    "detentions": "Detentions",
    "political_change": "Political change",
    "judicial": "Judicial",
    "international": "International",
    "commemoration": "Commemoration",
}


def with_sources(events, links):
    """Events with a ``sources`` column: their source keys, in registry order of appearance."""
    keys = links.groupby("event_id", sort=False)["source_key"].agg(list)
    out = events.copy()
    out["sources"] = out["event_id"].map(keys)
    return out


def when(row) -> str:
    """The date (and span or time) of an event as the chronology prints it."""
    if row["date_precision"] != "day":
        text = fmt.date(row["date"], row["date_precision"])
    elif not _missing(row["date_end"]):
        text = fmt.date_range(row["date"], row["date_end"])
    else:
        text = fmt.date(row["date"])
    if not _missing(row["time_local"]):
        text += f", {row['time_local']}"
    return text


def _missing(value) -> bool:
    import pandas as pd

    return pd.isna(value)


def chronology(events, places) -> MyST:
    """A MyST bullet list, one line per event, each with its citations."""
    names = dict(zip(places["place_id"], places["name"]))
    lines = []
    for row in events.to_dict("records"):
        flag = MyST(" *(date disputed: see below)*") if not _missing(row["dispute_id"]) else ""
        lines.append(md("- **{}**, {}. {}{} {}", when(row), names[row["place_id"]], row["summary"], flag,
                        cite(row["sources"])))
    return join(lines, "\n")


DISPUTE_LABELS = {
    "protest-start": "Start of the protests",
    "unrest-end": "End of the unrest",
    "emergency-end": "End of the state of emergency",
}


def disputes(events) -> MyST:
    """A MyST list of each disputed happening with every version and its source."""
    out = []
    for dispute_id, group in events.dropna(subset=["dispute_id"]).groupby("dispute_id", sort=True):
        versions = join((md("{} according to {} ({})", fmt.date(r["date"]), cite(r["sources"]), r["date_note"])
                         for r in group.sort_values("date").to_dict("records")), "; ")
        out.append(md("- **{}**: {}", DISPUTE_LABELS.get(dispute_id, dispute_id), versions))
    return join(out, "\n")


def outline(name: str):
    """Polygons (lists of (lon, lat) rings' outer boundaries) of a GeoJSON file in data/geo/."""
    gj = json.loads((paths.DATA / "geo" / f"{name}.geojson").read_text(encoding="utf-8"))
    rings = []
    for feature in gj["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings += [poly[0] for poly in polys]
    return rings


def crisis_figure(events, start, end):
    """Lane chart: one row per category, one marker per event, 1–20 January 2022."""
    import matplotlib.pyplot as plt
    import matplotlib.dates as mdates
    import pandas as pd

    from .figures import PALETTE

    days = events[(events["date"] >= start) & (events["date"] <= end) & (events["date_precision"] == "day")]
    cats = [c for c in CATEGORY_LABELS if c in set(days["category"])]
    colours = list(PALETTE.values())
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for i, cat in enumerate(cats):
        sub = days[days["category"] == cat]
        counts = sub.groupby("date").size()
        ax.scatter(counts.index, [i] * len(counts), s=30 + 40 * (counts.values - 1),
                   color=colours[i % len(colours)], edgecolor="black", linewidth=0.4, zorder=3)
    ax.set_yticks(range(len(cats)), [CATEGORY_LABELS[c] for c in cats])
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp(start) - pd.Timedelta(hours=12), pd.Timestamp(end) + pd.Timedelta(hours=12))
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=2))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d"))
    ax.set_xlabel("January 2022 (day of month; larger marker = more events that day)")
    ax.grid(axis="x", color="#dddddd", zorder=0)
    return fig


def map_figure(first_days, places):
    """Map of Kazakhstan: each city with protest or violence, coloured by the first day."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Polygon

    fig, ax = plt.subplots(figsize=(8, 4.8))
    for ring in outline("neighbours"):
        ax.add_patch(Polygon(ring, closed=True, facecolor="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.4))
    for ring in outline("kazakhstan"):
        ax.add_patch(Polygon(ring, closed=True, facecolor="#ffffff", edgecolor="#333333", linewidth=0.8))
    located = first_days.merge(places, on="place_id")
    days = sorted(located["first_day"].unique())
    cmap = ListedColormap(["#D55E00", "#E69F00", "#56B4E9", "#0072B2", "#009E73", "#CC79A7"][: len(days)])
    norm = BoundaryNorm([d - 0.5 for d in days] + [days[-1] + 0.5], cmap.N)
    sc = ax.scatter(located["lon"], located["lat"], c=located["first_day"], cmap=cmap, norm=norm,
                    s=60, edgecolor="black", linewidth=0.5, zorder=3)
    for row in located.to_dict("records"):
        ax.annotate(row["name"].split(" (")[0], (row["lon"], row["lat"]), xytext=(4, 4),
                    textcoords="offset points", fontsize=8)
    cbar = fig.colorbar(sc, ax=ax, ticks=days, shrink=0.7)
    cbar.set_label("First reported day (January 2022)")
    ax.set_xlim(46, 88)
    ax.set_ylim(40, 56)
    ax.set_aspect(1.4)
    ax.set_xlabel("Longitude (°E)")
    ax.set_ylabel("Latitude (°N)")
    return fig
