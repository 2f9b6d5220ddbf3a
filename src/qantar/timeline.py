"""Chapter-level helpers for the timeline: chronology text and the two figures."""

from __future__ import annotations

import json

from . import fmt, paths
from .markup import MyST, anchor, cite, join, md, ref, table
from .sourcing import sources_cell

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


#: The capital's place id: its name is computed from each event's date (:func:`qantar.fmt.capital_name`).
CAPITAL = "nur-sultan"


def place_name(place_id: str, date, names) -> str:
    """A place's name as the book prints it for an event of ``date``: the capital is named as it was
    on that day (Nur-Sultan or Astana); other places by their name in the places table."""
    if place_id == CAPITAL:
        return fmt.capital_name(date)
    return names[place_id]


def ordered(events):
    """Events in reading order: by date; within a day, events whose time no source states come first,
    then timed events by their local time (so an untimed event is never read as following a timed one)."""
    out = events.copy()
    out["_timed"] = out["time_local"].notna()
    out["_time"] = out["time_local"].fillna("")
    return out.sort_values(["date", "_timed", "_time", "event_id"]).drop(columns=["_timed", "_time"])


DISPUTE_LABELS = {
    "protest-start": "Start of the protests",
    "unrest-end": "End of the unrest",
    "emergency-end": "End of the state of emergency",
    "csto-decision": "CSTO decision to send troops",
    "massimov-detention": "Arrest of Karim Massimov",
    "abish-dismissal": "Dismissal of Samat Abish",
    "violence-onset": "Start of the violence",
    "nazarbayev-first-address": "Nazarbayev's first address after the unrest",
}


def dispute_kinds(events) -> dict:
    """Each disputed happening: ``"definition"`` when one source stands behind two of its dates (the
    versions date different things, such as a first small gathering and the sustained protests),
    ``"disagreement"`` when every date has different sources."""
    out = {}
    for dispute_id, group in events.dropna(subset=["dispute_id"]).groupby("dispute_id", sort=True):
        seen, shared = set(), False
        for keys in group["sources"]:
            shared |= bool(seen & set(keys))
            seen |= set(keys)
        out[dispute_id] = "definition" if shared else "disagreement"
    return out


READINGS = {"definition": "The versions date different things", "disagreement": "The sources disagree"}
DISPUTES_TABLE = "tbl-disputed-dates"


def when_cell(row) -> MyST:
    """The date cell of the annex: the date, then the local time or "time not stated" for a day."""
    text = when(row)
    if row["date_precision"] == "day" and _missing(row["time_local"]):
        text += ", time not stated"
    return md("{}", text)


def figures_text(claim_ids, claims) -> MyST:
    """The figures an event reports, each as a link to its row in the annex of reported figures:
    ``44 (deaths, all causes); 18 (law-enforcement deaths)``."""
    from .claims import figure_text

    by_id = claims.set_index("claim_id")
    parts = []
    for claim_id in claim_ids:
        r = by_id.loc[claim_id]
        parts.append(md("{} ({})", ref(figure_text(r, with_unit=False), "claim", claim_id), r["label"].lower()))
    return join(parts, "; ")


def chronology_table(events, places, *, caption: str, name: str, claims=None, links=None) -> MyST:
    """The annex table of events: anchor, date (and time), place, what happened, sources.
    A disputed date points to the table of disputed dates; the figures an event reports
    (``links``: the event-claims table) are printed from the claims, each linked to its row."""
    names = dict(zip(places["place_id"], places["name"]))
    figures = {} if links is None else links.groupby("event_id", sort=False)["claim_id"].agg(list).to_dict()
    rows = []
    for row in ordered(events).to_dict("records"):
        what = md("{}", row["summary"])
        if row["event_id"] in figures:
            what = md("{} Figures: {}.", what, figures_text(figures[row["event_id"]], claims))
        if not _missing(row["dispute_id"]):
            what = md("{} (date disputed: {})", what, MyST(f"{{numref}}`{DISPUTES_TABLE}`"))
        rows.append([anchor("event", row["event_id"]), when_cell(row),
                     place_name(row["place_id"], row["date"], names), what, sources_cell(row["sources"])])
    return table(["Id", "Date", "Place", "What happened", "Sources"], rows, caption=caption, name=name,
                 widths=[6, 14, 11, 44, 25])


def disputes_table(events, *, caption: str, name: str = DISPUTES_TABLE) -> MyST:
    """Every disputed date: the happening, each date given, its event's anchor link and sources, and
    whether the versions disagree or date different things."""
    kinds = dispute_kinds(events)
    rows = []
    for dispute_id, group in events.dropna(subset=["dispute_id"]).groupby("dispute_id", sort=True):
        for r in group.sort_values("date").to_dict("records"):
            rows.append([DISPUTE_LABELS[dispute_id], ref(fmt.date(r["date"]), "event", r["event_id"]),
                         sources_cell(r["sources"]), READINGS[kinds[dispute_id]]])
    return table(["Happening", "Date given", "Sources", "Reading"], rows, caption=caption, name=name,
                 widths=[28, 22, 25, 25])


def named_places(events, links):
    """One row per event and place it names: its main place and every further place linked to it
    (the event-places table). Columns: the event's columns, with ``place_id`` the named place."""
    import pandas as pd

    extra = links.merge(events.drop(columns=["place_id"]), on="event_id")
    return pd.concat([events, extra[events.columns]], ignore_index=True)


def first_reported(events, links):
    """Each place's first day (day of the month) among ``events``, counting every place an event
    names: a table of ``place_id`` and ``first_day``."""
    named = named_places(events, links)
    return named.groupby("place_id")["date"].min().dt.day.rename("first_day").reset_index()


def outline(name: str):
    """Polygons (lists of (lon, lat) rings' outer boundaries) of a GeoJSON file in data/geo/."""
    gj = json.loads((paths.DATA / "geo" / f"{name}.geojson").read_text(encoding="utf-8"))
    rings = []
    for feature in gj["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        rings += [poly[0] for poly in polys]
    return rings


#: Kinds of event in the crisis chart, in lane order: (key, label, colour). The
#: events table's categories, except that "detentions" and "judicial" share one
#: kind, and announcements of tolls and counts form their own (see :func:`kinds`).
KINDS = [
    ("protest", "Protest", "blue"),
    ("violence", "Violence", "vermillion"),
    ("security_operation", "Security operation", "orange"),
    ("government_decision", "Government decision", "green"),
    ("political_change", "Political change", "purple"),
    ("csto", "CSTO", "sky"),
    ("arrests", "Arrests and investigations", "black"),
    ("counts", "Death tolls and other counts announced", None),  # open markers: a statement, not a happening
    ("international", "International", "grey"),
    ("commemoration", "Commemoration", "yellow"),
]
#: Claims of these metric groups restated on the day they were published make an event an announcement.
COUNT_GROUPS = ("casualties", "detentions", "torture")


def kinds(events, claims, links):
    """The kind of each event (a Series indexed like ``events``), decided from the data.

    - An event linked (``links``: the event-claims table) to a death toll, an injury,
      detention or torture count that is dated to the event's own day (published,
      or as of, that day) is the announcement of that count (kind ``counts``),
      whatever its category: "officials give a first death toll" is not an act of violence.
    - The categories "detentions" and "judicial" form one kind, ``arrests``.
    - Every other event keeps its category.

    ``claims`` is :func:`qantar.claims.table` (it carries each metric's group).
    """
    import pandas as pd

    counted = claims[claims["group"].isin(COUNT_GROUPS)]
    days = {}
    for r in counted.merge(links, on="claim_id").to_dict("records"):
        days.setdefault(r["event_id"], set()).update(str(d) for d in (r["published"], r["as_of"]) if not _missing(d))
    out = []
    for row in events.to_dict("records"):
        day = row["date"].strftime("%Y-%m-%d")
        if day in days.get(row["event_id"], set()):
            out.append("counts")
        elif row["category"] in ("detentions", "judicial"):
            out.append("arrests")
        else:
            out.append(row["category"])
    return pd.Series(out, index=events.index, name="kind")


def crisis_alt(days, kind) -> str:
    """Alt text for :func:`crisis_figure`, computed from the same events."""
    labels = {k: label for k, label, _ in KINDS}
    disputed = days["dispute_id"].notna()
    n_events = int((~disputed).sum() + days.loc[disputed, "dispute_id"].nunique())
    parts = []
    for key, label, _ in KINDS:
        sub = days[kind.loc[days.index] == key]
        if not len(sub):
            continue
        n = int((sub["dispute_id"].isna()).sum() + sub["dispute_id"].dropna().nunique())
        counts = sub.groupby("date").size()
        if len(counts) == 1:
            span = f"all on {fmt.day_month(counts.index[0])}"
        else:
            span = f"{fmt.day_month(sub['date'].min())} to {fmt.day_month(sub['date'].max())}"
            if counts.max() > 1:
                span += f", most ({counts.max()}) on {fmt.day_month(counts.idxmax())}"
        parts.append(f"{labels[key]}, {n} {'event' if n == 1 else 'events'}: {span}")
    text = (f"Dot chart of {n_events} events of 1 to 20 January 2022, one row per kind of event and one dot per "
            f"event, stacked when several fall on the same day. " + "; ".join(parts) + ".")
    if disputed.any():
        versions = []
        for dispute_id, g in days[disputed].groupby("dispute_id", sort=True):
            dates = " or ".join(fmt.day_month(d) for d in sorted(g["date"]))
            versions.append(f"{DISPUTE_LABELS.get(dispute_id, dispute_id).lower()}, {dates}")
        text += " Sources date some events differently; those are drawn at each date, joined: " + "; ".join(versions) + "."
    return text


def crisis_figure(days, kind, start, end):
    """One lane per kind of event, one dot per event, 1–20 January 2022.

    ``days`` are the crisis events (day precision), ``kind`` their kinds
    (:func:`kinds`). Dots on the same day are stacked, so a day's count can be
    read off; the versions of a disputed date are drawn at each date and joined
    by a dashed line. Each lane is labelled above its dots, so the days keep the
    whole width of a phone screen.
    """
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.lines import Line2D

    from .figures import MIN_FONT, PALETTE, WIDTH

    step = 9.5  # points between stacked dots
    label_h, gap = 2.0, 0.6  # in steps
    lanes = []
    y = 0.0
    for key, label, colour in KINDS:
        sub = days[kind.loc[days.index] == key].sort_values(["date", "event_id"])
        if not len(sub):
            continue
        level = sub.groupby("date").cumcount()
        top = y
        y += label_h
        lanes.append((label, colour, sub, y + level.to_numpy(), top))
        y += level.max() + 1 + gap
    total = y
    ax_w, ax_h = WIDTH - 0.35, total * step / 72
    bottom = 1.2
    fig = plt.figure(figsize=(WIDTH, ax_h + bottom + 0.1))
    ax = fig.add_axes((0.2 / WIDTH, bottom / (ax_h + bottom + 0.1), ax_w / WIDTH, ax_h / (ax_h + bottom + 0.1)))
    x0, x1 = pd.Timestamp(start) - pd.Timedelta(hours=14), pd.Timestamp(end) + pd.Timedelta(hours=14)
    for label, colour, sub, ys, top in lanes:
        face = PALETTE[colour] if colour else "white"
        ax.text(x0, top + 0.15, label, va="top", ha="left", fontsize=MIN_FONT)
        ax.scatter(sub["date"], ys, s=62, color=face, edgecolor="black", linewidth=0.7, zorder=3)
        for _, g in sub.assign(y=ys).dropna(subset=["dispute_id"]).groupby("dispute_id"):
            if len(g) > 1:
                ax.plot(g["date"], g["y"], linestyle=(0, (2, 1.5)), color=PALETTE[colour] if colour else "black",
                        linewidth=1.3, zorder=2)
    ax.set_ylim(total, 0)
    ax.set_xlim(x0, x1)
    ticks = pd.date_range(start, end, freq="D")
    ax.set_xticks(ticks[::2], [str(d.day) for d in ticks[::2]])
    ax.set_xticks(ticks, minor=True)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", which="both", color="#e6e6e6", zorder=0)
    ax.set_xlabel("January 2022 (day of the month)")
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=PALETTE["grey"],
                      markeredgecolor="black", label="One dot = one event (same day: stacked)"),
               Line2D([], [], marker="o", linestyle=(0, (2, 1.5)), markersize=8, color="black",
                      markerfacecolor=PALETTE["grey"], label="One event, two dates in the sources")]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.2 / WIDTH, 0.0), ncol=1,
               handletextpad=0.4, borderaxespad=0.1)
    return fig


def map_alt(located) -> str:
    """Alt text for :func:`map_figure`: the cities by the day they were first reported."""
    days = []
    for day, g in located.sort_values(["first_day", "name"]).groupby("first_day", sort=True):
        names = [n.split(" (")[0] for n in g["name"]]
        days.append(f"{fmt.and_list(names)} on {day} January")
    return (f"A map of Kazakhstan with a dot on each of the {len(located)} cities and towns where the sources date "
            f"protests "
            f"or violence, coloured by the first day reported: " + "; ".join(days) + ".")


def first_day_names(located) -> dict[int, str]:
    """The places first reported on each day, as prose: ``{3: 'Almaty, Atyrau and Oral', ...}``."""
    return {int(day): fmt.and_list([n.split(" (")[0] for n in g.sort_values("name")["name"]])
            for day, g in located.groupby("first_day", sort=True)}


def map_figure(first_days, places):
    """Map of Kazakhstan: each city with protest or violence, coloured by the first day it was reported."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon

    from .figures import WIDTH, place_labels

    lon0, lon1, lat0, lat1, aspect = 46, 88, 40.3, 55.8, 1.4
    ax_w = WIDTH - 0.2
    ax_h = ax_w * (lat1 - lat0) * aspect / (lon1 - lon0)
    bottom = 0.75
    fig = plt.figure(figsize=(WIDTH, ax_h + bottom))
    ax = fig.add_axes((0.1 / WIDTH, bottom / (ax_h + bottom), ax_w / WIDTH, ax_h / (ax_h + bottom)))
    for ring in outline("neighbours"):
        ax.add_patch(Polygon(ring, closed=True, facecolor="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.4))
    for ring in outline("kazakhstan"):
        ax.add_patch(Polygon(ring, closed=True, facecolor="#ffffff", edgecolor="#333333", linewidth=0.8))
    located = first_days.merge(places, on="place_id").sort_values(["first_day", "name"])
    days = sorted(located["first_day"].unique())
    colours = dict(zip(days, ["#D55E00", "#E69F00", "#56B4E9", "#0072B2", "#009E73", "#CC79A7"]))
    ax.scatter(located["lon"], located["lat"], c=[colours[d] for d in located["first_day"]],
               s=70, edgecolor="black", linewidth=0.6, zorder=3)
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(aspect)
    ax.set_axis_off()
    place_labels(ax, list(zip(located["lon"], located["lat"])), [n.split(" (")[0] for n in located["name"]])
    handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=colours[d],
                      markeredgecolor="black", label=f"{d} Jan") for d in days]
    fig.legend(handles=handles, loc="lower center", ncol=len(days), title="First reported (January 2022)",
               handletextpad=0.1, columnspacing=0.9, bbox_to_anchor=(0.5, 0.0))
    return fig


#: How the wording table names the kind of body that published a version (the registry's body types).
PUBLISHER_KIND = {"official": "Kazakh state body or outlet", "media": "News outlet", "independent": "Independent body",
                  "international": "International body", "reference": "Reference work"}


def versions_table(claims, metrics, *, caption: str, name: str) -> MyST:
    """Every version of one or more measures side by side, in the order of the day each refers to (or,
    failing that, its publication): the figure (a link to its row in the annex of reported figures),
    what it counts, who gave it with the citation, whose figure it is, and when it was published."""
    from .claims import REPORTER_LABELS, figure_text, partial_date_text

    sel = claims[claims["metric"].isin(list(metrics))].copy()
    sel["_when"] = sel["as_of_date"].fillna(sel["published_date"])
    rows = []
    for r in sel.sort_values(["_when", "published_date", "claim_id"], na_position="last").to_dict("records"):
        rows.append([ref(figure_text(r, with_unit=False), "claim", r["claim_id"]), r["counts"],
                     md("{} {}", r["reporter"], cite(r["source_key"])), REPORTER_LABELS[r["reporter_type"]],
                     partial_date_text(r["published"])])
    return table(["Figure", "What it counts", "Given by", "Whose figure", "Published"], rows, caption=caption,
                 name=name, widths=[10, 30, 35, 12, 13])


def wordings(links, sources, event_id: str):
    """The versions of one statement as the sources of an event quote it: every source of ``event_id``
    that quotes it (chosen by the link, never by searching the quotes' text), with its publisher,
    kind of body, grade and key; state bodies first, then by publisher."""
    hit = links[(links["event_id"] == event_id) & links["quote"].fillna("").str.strip().ne("")]
    out = hit.merge(sources[["source_key", "publisher", "body_type", "grade"]], on="source_key", how="left",
                    validate="many_to_one")
    out["_state"] = out["body_type"] != "official"
    return out.sort_values(["_state", "publisher"]).drop(columns="_state")


def wordings_table(versions, *, caption: str, name: str) -> MyST:
    """The versions of a statement's wording side by side: the words, who published them (and whether
    the text was read in a copy), the kind of body, and the citation."""
    rows = []
    for r in versions.to_dict("records"):
        who = r["publisher"] + (" (read in a copy)" if r["grade"] == "mirror" and "read" not in r["publisher"] else "")
        rows.append([md("“{}”", r["quote"]), who, PUBLISHER_KIND[r["body_type"]], cite(r["source_key"])])
    return table(["Wording", "Published by", "Kind of publisher", "Source"], rows, caption=caption, name=name,
                 widths=[45, 25, 15, 15])
