"""The regions: every place resolved to its unit of January 2022 (and of today), what each unit's
record holds, and the region map.

Kazakhstan had 17 first-level units in January 2022: 14 regions (oblys) and the three cities of
republican status, Almaty, Nur-Sultan and Shymkent (the ``units`` table). Each place in the places
table names its unit of January 2022 and its unit of today; events, figures and profile rows reach a
unit only through a place, so a unit's counts are always counts of rows.
"""

from __future__ import annotations

import json

import pandas as pd

from . import fmt, paths
from .markup import MyST, cite, escape, join, md, table

#: The facets of a unit's profile, in the order the annex prints them: (key, heading).
FACETS = [
    ("first_protest", "First protest and demands"),
    ("who_protested", "Who protested"),
    ("buildings", "Buildings stormed, damaged or burned"),
    ("force", "Use of force and shooting"),
    ("deaths", "Deaths and injuries"),
    ("detentions", "Detentions"),
    ("prosecutions", "Criminal cases, trials and sentences"),
    ("torture", "Torture complaints"),
    ("officials", "Regional officials"),
    ("compensation", "Compensation"),
    ("commemoration", "Commemoration"),
]
FACET_NAMES = dict(FACETS)

#: The measures the region map and the comparison table show: (metric, what the number counts).
MEASURES = [("deaths_total", "deaths"), ("detained", "detentions"), ("criminal_cases_opened", "criminal cases")]


def units_2022(units) -> pd.DataFrame:
    """The 17 units of January 2022, in the table's order (the three cities first)."""
    return units[units["in_2022"] == "yes"].reset_index(drop=True)


def place_units(places) -> pd.DataFrame:
    """``place_id`` with ``unit_2022`` and ``unit_today`` for every place in Kazakhstan that has a unit."""
    return places.loc[places["unit_2022"].notna(), ["place_id", "unit_2022", "unit_today"]]


def event_units(events, event_places, places, regime_changes=None) -> pd.DataFrame:
    """One row per event and unit of January 2022 that one of its places belongs to (``event_id``,
    ``unit_id``): an event in two towns of one region counts once for it. With ``regime_changes``,
    a decision that imposed, changed or lifted the emergency or a threat level in a unit also counts
    for that unit (the decree names it)."""
    from .timeline import named_places

    named = named_places(events, event_places)[["event_id", "place_id"]]
    if regime_changes is not None:
        named = pd.concat([named, regime_changes[["event_id", "place_id"]]], ignore_index=True)
    out = named.merge(place_units(places), on="place_id")
    return out[["event_id", "unit_2022"]].rename(columns={"unit_2022": "unit_id"}).drop_duplicates()


def events_per_unit(events, event_places, places, units, regime_changes=None) -> pd.Series:
    """The number of events placed in each unit of January 2022, every unit present (zero where none);
    ``regime_changes`` as for :func:`event_units`."""
    n = event_units(events, event_places, places, regime_changes).groupby("unit_id").size()
    return n.reindex(units_2022(units)["unit_id"], fill_value=0).rename("events")


def claims_by_unit(claims, claim_places, places, metrics=None) -> pd.DataFrame:
    """Reported figures linked to a place in Kazakhstan, with the place's unit of January 2022
    (``unit_id``). ``claims`` is :func:`qantar.claims.table`; ``metrics`` limits the measures."""
    d = claim_places.merge(place_units(places), on="place_id").merge(claims, on="claim_id")
    if metrics is not None:
        d = d[d["metric"].isin(list(metrics))]
    d = d.rename(columns={"unit_2022": "unit_id"})
    return d.sort_values(["unit_id", "metric", "published", "claim_id"], na_position="last").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Profiles


def matrix(profiles, units) -> pd.DataFrame:
    """Units of January 2022 × facets: ``"sourced"`` where at least one profile row gives a source,
    ``"searched"`` where the only rows record a search that found nothing, ``""`` where there is no row."""
    u = units_2022(units)["unit_id"]
    out = pd.DataFrame("", index=u, columns=[k for k, _ in FACETS])
    for (unit, facet), g in profiles.groupby(["unit_id", "facet"]):
        out.loc[unit, facet] = "sourced" if (g["status"] == "sourced").any() else "searched"
    return out


def sourced_share(m: pd.DataFrame) -> pd.Series:
    """Per unit, the share of facets with a source (0 to 1)."""
    return (m == "sourced").sum(axis=1) / m.shape[1]


def unit_label(unit_id: str) -> str:
    """The cross-reference label of a unit's profile in the annex (``markup.label``)."""
    from .markup import label

    return label("unit", unit_id)


def unit_ref(text, unit_id: str) -> MyST:
    """``text`` as a link to the unit's profile (plain text if it cannot be a link)."""
    from .markup import ref_or_text

    return ref_or_text(text, "unit", unit_id)


# ---------------------------------------------------------------------------------------------
# The region map


def outlines() -> dict[str, list]:
    """The outer rings of each unit of January 2022 (``data/geo/kazakhstan-regions-2022.geojson``),
    keyed by unit id; a unit the source gives as a point (Shymkent, see ``data/geo/PROVENANCE.md``)
    has no ring."""
    gj = json.loads((paths.DATA / "geo" / "kazakhstan-regions-2022.geojson").read_text(encoding="utf-8"))
    out = {}
    for feature in gj["features"]:
        geom = feature["geometry"]
        if geom["type"] == "Point":
            polys = []
        else:
            polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[feature["properties"]["unit_id"]] = [poly[0] for poly in polys]
    return out


def _ring_centroid(ring):
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if abs(a) < 1e-12:
        return ring[0]
    return cx / (3 * a), cy / (3 * a), abs(a) / 2


def label_point(rings) -> tuple[float, float]:
    """A point inside the unit's largest ring for its label (the ring's centroid)."""
    best = max((_ring_centroid(r) for r in rings), key=lambda t: t[2])
    return best[0], best[1]


def map_values(by_unit, units, metric: str) -> pd.DataFrame:
    """One row per unit of January 2022 and version of ``metric`` (``unit_id``, ``name``, ``value``,
    ``published``, ``reporter``, ``claim_id``, ``source_key``); units with no figure have no row."""
    d = by_unit[by_unit["metric"] == metric]
    d = d.merge(units[["unit_id", "name"]], on="unit_id")
    return d[["unit_id", "name", "value", "published", "reporter", "reporter_type", "claim_id", "source_key"]]


def _values_text(g) -> str:
    """Every figure of one unit, in the order published: '3,520; 400; 3,500'."""
    return "; ".join(fmt.number(v) for v in g.sort_values("published", na_position="last")["value"])


def _label_text(g) -> str:
    """A unit's label on the map: its largest figure."""
    return fmt.number(g["value"].max())


def map_alt(by_unit, units, measures=MEASURES) -> str:
    """Alt text for :func:`map_figure`, from the same rows: per measure, each unit's figures (every
    version), then the units with none."""
    u = units_2022(units)
    parts = [f"Three maps of Kazakhstan's {fmt.count(len(u))} regions and cities of January 2022, one for each "
             "measure, each unit shaded and labelled by its largest reported figure; every figure a source gives "
             "for the unit follows, in the order published."]
    for metric, what in measures:
        v = map_values(by_unit, units, metric)
        have = [f"{name}, {_values_text(g)}" for name, g in v.groupby("name", sort=False)]
        none = [n for n in u["name"] if n not in set(v["name"])]
        parts.append(f"{what.capitalize()}: " + ("; ".join(have) if have else "no figure for any unit") + "."
                     + (f" No figure found for {fmt.and_list(none)}." if none and have else ""))
    return " ".join(parts)


def map_figure(by_unit, units, places, measures=MEASURES):
    """Three maps, one per measure: each unit of January 2022 shaded by its largest reported figure
    (white where no figure was found) and labelled with every version."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon

    from .figures import MIN_FONT, WIDTH

    rings = outlines()
    centres = places.set_index("place_id")[["lon", "lat"]]
    lon0, lon1, lat0, lat1, aspect = 46, 88, 40.3, 55.8, 1.4
    ax_h = (WIDTH - 0.2) * (lat1 - lat0) * aspect / (lon1 - lon0)
    fig, axes = plt.subplots(len(measures), 1, figsize=(WIDTH, (ax_h + 0.4) * len(measures)))
    fig.subplots_adjust(left=0.01, right=0.99, top=0.97, bottom=0.01, hspace=0.15)
    cmap = plt.get_cmap("Oranges")
    for ax, (metric, what) in zip(axes, measures):
        v = map_values(by_unit, units, metric)
        top = v.groupby("unit_id")["value"].max()
        norm = Normalize(0, top.max() if len(top) else 1)
        colour = {uid: cmap(0.15 + 0.75 * norm(top[uid])) if uid in top.index else "#ffffff"
                  for uid in units_2022(units)["unit_id"]}
        for uid, unit_rings in rings.items():
            for ring in unit_rings:
                ax.add_patch(Polygon(ring, closed=True, facecolor=colour[uid], edgecolor="#555555", linewidth=0.5))
        cities = units[(units["kind"] == "city") & (units["in_2022"] == "yes")]
        for unit in cities.to_dict("records"):  # the cities, too small to shade, as dots
            x, y = centres.loc[unit["centre_place_id"], ["lon", "lat"]]
            ax.scatter([x], [y], s=55, color=colour[unit["unit_id"]], edgecolor="black", linewidth=0.7, zorder=4)
        for uid, g in v.groupby("unit_id"):
            unit = units.set_index("unit_id").loc[uid]
            if unit["kind"] == "city":
                x, y = centres.loc[unit["centre_place_id"], ["lon", "lat"]]
                x, y, ha = x + 0.8, y, "left"
            else:
                (x, y), ha = label_point(rings[uid]), "center"
            ax.text(x, y, _label_text(g), ha=ha, va="center", fontsize=MIN_FONT, zorder=5,
                    bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85))
        ax.set_xlim(lon0, lon1)
        ax.set_ylim(lat0, lat1)
        ax.set_aspect(aspect)
        ax.set_axis_off()
        ax.set_title(f"{what.capitalize()}, largest figure", loc="left", fontsize=MIN_FONT)
    return fig


# ---------------------------------------------------------------------------------------------
# Tables


def figures_text(by_unit, unit_id: str, metric: str) -> MyST:
    """Every version of one measure for one unit: each figure (a link to its row) with who gave it, when,
    and the citation; "none found" where there is none."""
    from .claims import figure_text, partial_date_text
    from .markup import ref

    g = by_unit[(by_unit["unit_id"] == unit_id) & (by_unit["metric"] == metric)]
    if g.empty:
        return escape("none found")
    return join([md("{} ({}, {}) {}", ref(figure_text(r, with_unit=False), "claim", r["claim_id"]), r["reporter"],
                    partial_date_text(r["published"]), cite(r["source_key"]))
                 for r in g.to_dict("records")], "; ")


def comparison_table(units, events_n, by_unit, m, *, caption: str, name: str) -> MyST:
    """The 17 units side by side: events placed there, each measure (every version) and how many of the
    profile's facets are sourced."""
    share = (m == "sourced").sum(axis=1)
    rows = []
    for u in units_2022(units).to_dict("records"):
        uid = u["unit_id"]
        rows.append([unit_ref(u["name"], uid), fmt.number(int(events_n[uid])),
                     *(figures_text(by_unit, uid, metric) for metric, _ in MEASURES),
                     f"{int(share[uid])} of {m.shape[1]}"])
    return table(["Region or city", "Events", "Deaths", "Detentions", "Criminal cases", "Profile facets sourced"],
                 rows, caption=caption, name=name, widths=[14, 7, 27, 22, 20, 10], align="lrllll")


def facet_code(i: int) -> str:
    """The matrix's column heading for the ``i``-th facet (from 0): 'F1', 'F2', ..."""
    return f"F{i + 1}"


def matrix_table(m, units, *, caption: str, name: str) -> MyST:
    """The units × facets matrix: a check mark where a facet is sourced, a dash where the search found
    nothing (the profile says what was searched)."""
    names = units.set_index("unit_id")["name"]
    sign = {"sourced": "✓", "searched": "–", "": ""}
    rows = [[unit_ref(names[uid], uid), *(sign[m.loc[uid, f]] for f, _ in FACETS),
             str(int((m.loc[uid] == "sourced").sum()))] for uid in m.index]
    total = ["All units", *(str(int((m[f] == "sourced").sum())) for f, _ in FACETS), str(int((m == "sourced").sum().sum()))]
    heads = ["Unit", *[facet_code(i) for i in range(len(FACETS))], "Sourced"]
    return table(heads, rows + [total], caption=caption, name=name, align="l" + "r" * (len(FACETS) + 1))


# ---------------------------------------------------------------------------------------------
# The annex of profiles


def check(profiles, events, claims, cases) -> None:
    """Every profile row that states a source's words has its text, source and quote; a row that
    only points to other rows names rows that exist; a search that found nothing says what was
    searched. Raises ``ValueError`` naming the row."""
    ids = set(events["event_id"]) | set(claims["claim_id"]) | set(cases["case_id"])
    for r in profiles.to_dict("records"):
        evidence = [] if pd.isna(r["evidence"]) else r["evidence"].split(";")
        missing = [e for e in evidence if e not in ids]
        if missing:
            raise ValueError(f"data/region_profiles.csv, {r['profile_id']}: evidence {missing} names no row")
        if r["status"] == "sourced":
            stated = [not pd.isna(r[c]) for c in ("text", "source_key", "quote")]
            if not (all(stated) or (not any(stated) and evidence)):
                raise ValueError(f"data/region_profiles.csv, {r['profile_id']}: a sourced row needs its text, "
                                 "source and quote, or only evidence (the rows it points to)")


def _cite_if(key) -> MyST:
    """A citation of the source key after a space, or nothing where there is no key (the checks
    refuse a sourced row without one)."""
    return MyST("") if pd.isna(key) else MyST(" ") + cite(key)


def _event_line(e, places) -> MyST:
    from .claims import partial_date_text
    from .markup import ref

    when = partial_date_text(e["date"].strftime("%Y-%m-%d") if e["date_precision"] == "day"
                             else e["date"].strftime("%Y-%m"))
    keys = e["sources"]
    return md("{}, {}: {} {} ({})", when, places.get(e["place_id"], e["place_id"]), e["summary"],
              cite(keys), ref("chronology", "event", e["event_id"]))


def _claim_line(c) -> MyST:
    from .claims import figure_text, partial_date_text
    from .markup import ref

    # The figure in words where small, with what it measures; what exactly it counts is in its row.
    return md("{} ({}): {}, {} {}", ref(figure_text(c, with_unit=False, prose=True), "claim", c["claim_id"]),
              c["label"][0].lower() + c["label"][1:], c["reporter"], partial_date_text(c["published"]),
              cite(c["source_key"]))


def _case_line(k) -> MyST:
    from .markup import ref_or_text

    return md("{}: {}", ref_or_text(k["name"], "case", k["case_id"]), k["summary"])


def profile(unit, profiles, events, claims, cases, places, units) -> MyST:
    """One unit's section of the annex: its anchor and heading, what became of it, and each facet
    with its rows (sourced statements, the events, figures and cases they point to), or what was
    searched where nothing was found."""
    uid = unit["unit_id"]
    names = dict(zip(places["place_id"], places["name"]))
    unit_names = dict(zip(units["unit_id"], units["name"]))
    ev = events.set_index("event_id")
    cl = claims.set_index("claim_id")
    ks = cases.set_index("case_id")
    became = unit["became"].split(";")
    today = ("It is still a unit today." if became == [uid] and unit["today"] == "yes"
             else f"Today: {fmt.and_list([unit_names[b] for b in became])}.")
    change = MyST("") if pd.isna(unit["change"]) else md(" {}", unit["change"]) + _cite_if(unit["source_key"])
    out = [MyST(f"({unit_label(uid)})=\n## ") + escape(unit["name"]), md("{}", today) + change]
    mine = profiles[profiles["unit_id"] == uid]
    for facet, heading in FACETS:
        rows = mine[mine["facet"] == facet]
        lines = []
        for r in rows.to_dict("records"):
            if r["status"] == "no_source_found":
                lines.append(md("No source found. {}", r["searched"]))
                continue
            if not pd.isna(r["text"]):
                lines.append(md("{}", r["text"]) + _cite_if(r["source_key"]))
            for e in ([] if pd.isna(r["evidence"]) else r["evidence"].split(";")):
                if e.startswith("E"):
                    lines.append(_event_line(ev.loc[e].to_dict() | {"event_id": e}, names))
                elif e.startswith("C"):
                    lines.append(_claim_line(cl.loc[e].to_dict() | {"claim_id": e}))
                else:
                    lines.append(_case_line(ks.loc[e].to_dict() | {"case_id": e}))
        body = join([MyST("- ") + line for line in dict.fromkeys(lines)], "\n") if lines else escape("No row.")
        out.append(MyST("**") + escape(heading) + MyST("**\n\n") + body)
    return join(out, "\n\n") + MyST("\n")
