"""The security regime, the internet shutdown and the CSTO's contingents: chapter-level helpers.

The regimes come from the ``regime_changes`` table: one row per region (or city of national status)
and change (a state of emergency imposed or lifted; a terror-threat level set or lifted) that an event
reports. The event gives the day, the local time and the sources; :func:`spans` turns the changes into
periods, each ending at the LATEST sourced lifting (two bodies sometimes announce one lifting on two
days), at the end announced with the change where no source reports the lifting (a level set "for
14 days"), or, failing both, at the chart's edge.
"""

from __future__ import annotations

import pandas as pd

from . import fmt
from .markup import MyST, cite, join, md, ref, table

#: Terror-threat levels, highest first, with their Okabe-Ito colour names (see :data:`qantar.figures.PALETTE`).
LEVELS = {"red": "vermillion", "orange": "orange", "yellow": "yellow"}
EMERGENCY_COLOUR = "blue"
#: Where a period's end comes from.
END_KINDS = ("lifted", "planned", "open")


def when(changes, events):
    """The regime changes with the event's day, time and sources: column ``at`` is the moment the
    change took effect (``effective`` or the event's day, plus its local time where a source gives one)."""
    ev = events[["event_id", "date", "time_local", "sources"]]
    out = changes.merge(ev, on="event_id", how="left", validate="many_to_one")
    if out["date"].isna().any():
        raise ValueError(f"regime changes without an event: {sorted(out.loc[out['date'].isna(), 'event_id'])}")
    day = pd.to_datetime(out["effective"]).fillna(out["date"])
    minutes = out["time_local"].fillna("00:00").map(lambda t: int(t[:2]) * 60 + int(t[3:]))
    out["at"] = day + pd.to_timedelta(minutes, unit="min")
    return out


def spans(changes, events, edge="2022-02-09"):
    """Periods of each regime (and level) in each place: ``place_id, regime, level, start, end, end_kind,
    start_event, end_events, lift_times``. ``end_events`` lists every lifting event of the period, earliest
    first; ``end`` is the latest of them (``end_kind`` ``lifted``), else the day after ``planned_end``
    (``planned``), else ``edge`` (``open``)."""
    rows = []
    timed = when(changes, events)
    timed["level"] = timed["level"].fillna("")
    for (place, regime, level), g in timed.groupby(["place_id", "regime", "level"], sort=True):
        g = g.sort_values(["at", "event_id"])
        imposed = g[g["change"] == "imposed"].to_dict("records")
        lifted = g[g["change"] == "lifted"]
        for i, r in enumerate(imposed):
            nxt = imposed[i + 1]["at"] if i + 1 < len(imposed) else pd.Timestamp.max
            lifts = lifted[(lifted["at"] >= r["at"]) & (lifted["at"] < nxt)]
            if len(lifts):
                end, kind = lifts["at"].max(), "lifted"
            elif not pd.isna(r["planned_end"]):
                end, kind = pd.Timestamp(r["planned_end"]) + pd.Timedelta(days=1), "planned"
            else:
                end, kind = pd.Timestamp(edge), "open"
            rows.append({"place_id": place, "regime": regime, "level": level, "start": r["at"], "end": end,
                         "end_kind": kind, "start_event": r["event_id"], "end_events": list(lifts["event_id"]),
                         "lift_times": list(lifts["at"])})
        orphans = lifted[lifted["at"] < (imposed[0]["at"] if imposed else pd.Timestamp.max)]
        if len(orphans):
            raise ValueError(f"{place}: {regime} {level} lifted before it was imposed ({list(orphans['event_id'])})")
    return pd.DataFrame(rows)


def place_label(place_id, names) -> str:
    """The name the chart prints for a place (the capital as it was named in January 2022)."""
    from .timeline import place_name

    return place_name(place_id, pd.Timestamp("2022-01-15"), names).split(" (")[0]


def row_order(sp):
    """Places in chart order: by the end of their state of emergency (early lifting first), then by the
    end of their last terror-threat level, then by id."""
    emergency = sp[sp["regime"] == "emergency"].groupby("place_id")["end"].max()
    threat = sp[sp["regime"] == "threat_level"].groupby("place_id")["end"].max()
    keys = pd.DataFrame({"e": emergency, "t": threat}).fillna(pd.Timestamp.max)
    return list(keys.sort_values(["e", "t"]).index)


def _days(times) -> str:
    return fmt.and_list(sorted({fmt.day_month(t) for t in times}, key=lambda s: pd.Timestamp(s + " 2022")))


def regime_alt(sp, names) -> str:
    """Alt text for :func:`regime_figure`, computed from the same periods."""
    label = lambda ps: fmt.and_list(sorted(place_label(p, names) for p in ps))  # noqa: E731
    order = row_order(sp)
    em = sp[sp["regime"] == "emergency"]
    parts = [f"A chart with one row for each of the {len(order)} regions and cities of national status, "
             f"and two bars per row: the state of emergency and the terror-threat level, from "
             f"{fmt.day_month(sp['start'].min())} to {fmt.day_month(sp['end'].max() - pd.Timedelta(days=1))} 2022."]
    starts = em.groupby(em["start"].dt.normalize())["place_id"].apply(list)
    parts.append("State of emergency: imposed on " + "; on ".join(
        f"{fmt.day_month(d)} in {label(ps) if len(ps) < len(order) else 'all'}" for d, ps in starts.items()) + ".")
    lifted = em[em["end_kind"] == "lifted"]
    ends = lifted.groupby(lifted["end"].dt.normalize())["place_id"].apply(list)
    parts.append("Lifted on " + "; on ".join(f"{fmt.day_month(d)} in {label(ps)}" for d, ps in ends.items()) + ".")
    th = sp[sp["regime"] == "threat_level"]
    for level in LEVELS:
        lv = th[th["level"] == level]
        if not len(lv):
            continue
        bits = []
        for (s, e, kind), g in lv.groupby([lv["start"].dt.normalize(), lv["end"].dt.normalize(), "end_kind"], sort=True):
            ps = list(g["place_id"])
            who = "all" if len(ps) == len(order) else label(ps)
            if kind == "lifted":
                bits.append(f"from {fmt.day_month(s)} to {fmt.day_month(e)} in {who}")
            elif kind == "planned":
                bits.append(f"from {fmt.day_month(s)} in {who}, announced to {fmt.day_month(e - pd.Timedelta(days=1))} "
                            f"(no lifting reported)")
            else:
                bits.append(f"from {fmt.day_month(s)} in {who}, with no end reported")
        parts.append(f"Threat level {level}: " + "; ".join(bits) + ".")
    twice = th[th["lift_times"].map(lambda ts: len({t.normalize() for t in ts}) > 1)]
    for r in twice.to_dict("records"):
        parts.append(f"The {r['level']} level in {place_label(r['place_id'], names)} was reported lifted on "
                     f"{_days(r['lift_times'])}; the bar ends at the later date.")
    return " ".join(parts)


def regime_figure(sp, names, start="2022-01-05", edge="2022-02-09"):
    """One row per region or city: its state of emergency (upper bar) and terror-threat level (lower bar,
    coloured by level). Bars whose end no source reports are hatched. Labels sit above the bars, so the
    days keep the whole width of a phone screen."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from .figures import MIN_FONT, PALETTE, WIDTH

    order = row_order(sp)
    label_h, bar_h, gap = 0.5, 0.3, 0.28
    row_h = label_h + 2 * bar_h + 0.06 + gap
    total = len(order) * row_h
    ax_h, bottom = total * 0.42, 1.75
    fig = plt.figure(figsize=(WIDTH, ax_h + bottom + 0.1))
    ax = fig.add_axes((0.25 / WIDTH, bottom / (ax_h + bottom + 0.1), (WIDTH - 0.45) / WIDTH, ax_h / (ax_h + bottom + 0.1)))
    x0, x1 = pd.Timestamp(start) - pd.Timedelta(hours=12), pd.Timestamp(edge)
    for i, place in enumerate(order):
        top = i * row_h
        ax.text(x0, top + 0.05, place_label(place, names), va="top", ha="left", fontsize=MIN_FONT)
        for r in sp[sp["place_id"] == place].to_dict("records"):
            colour = PALETTE[EMERGENCY_COLOUR if r["regime"] == "emergency" else LEVELS[r["level"]]]
            y = top + label_h + (0 if r["regime"] == "emergency" else bar_h + 0.06)
            solid = r["end_kind"] == "lifted"
            ax.broken_barh([(r["start"], r["end"] - r["start"])], (y, bar_h), facecolor=colour,
                           alpha=1 if solid else 0.45, edgecolor="black", hatch=None if solid else "////",
                           linewidth=0.6, zorder=3)
    ax.set_ylim(total, -0.05)
    ax.set_xlim(x0, x1)
    ticks = pd.date_range("2022-01-05", edge, freq="5D")
    ax.set_xticks(ticks, [f"{d.day} {d.strftime('%b')}" for d in ticks])
    ax.set_xticks(pd.date_range(start, edge, freq="D"), minor=True)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", which="major", color="#dddddd", zorder=0)
    handles = [Patch(facecolor=PALETTE[EMERGENCY_COLOUR], edgecolor="black", label="State of emergency")]
    handles += [Patch(facecolor=PALETTE[c], edgecolor="black", label=f"Terror-threat level {lv}") for lv, c in LEVELS.items()]
    handles += [Patch(facecolor="white", edgecolor="black", hatch="////", label="No lifting reported")]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.25 / WIDTH, 0.0), ncol=1,
               handletextpad=0.5, borderaxespad=0.1, labelspacing=0.3)
    return fig


# --- The CSTO's national contingents ---------------------------------------------------------------

#: The claims name a national contingent in their counts note as "<ADJECTIVE> contingent only".
CONTINGENT_WORDS = {"RUSSIAN": "Russia", "BELARUSIAN": "Belarus", "ARMENIAN": "Armenia", "KYRGYZ": "Kyrgyzstan",
                    "TAJIK": "Tajikistan"}


def contingents(claims):
    """CSTO troop claims for one national contingent, with a ``country`` column read from the counts note
    (see :data:`CONTINGENT_WORDS`). A subset claim of the CSTO force that names no known country raises."""
    csto = claims[(claims["metric"] == "csto_troops") & (claims["unit"] == "troops") & (claims["scope"] == "subset")].copy()
    found = csto["counts"].str.extract(r"^([A-Z]+) contingent", expand=False)
    unknown = csto[~found.isin(list(CONTINGENT_WORDS))]
    if len(unknown):
        raise ValueError(f"contingent claims naming no known country: {list(unknown['claim_id'])}")
    csto["country"] = found.map(CONTINGENT_WORDS)
    return csto


def contingents_table(claims, *, caption: str, name: str) -> MyST:
    """One row per country: every size a source gives its contingent, each linked to its row in the
    annex of reported figures, with who gave it and when, and the citation."""
    from .claims import REPORTER_LABELS, figure_text, partial_date_text

    c = contingents(claims)
    rows = []
    biggest = c.groupby("country")["value"].max().sort_values(ascending=False)
    for country in biggest.index:
        g = c[c["country"] == country].sort_values(["published", "claim_id"])
        versions = join([md("{} ({}, {}; {}) {}", ref(figure_text(r, with_unit=False), "claim", r["claim_id"]),
                            r["reporter"], partial_date_text(r["published"]),
                            REPORTER_LABELS[r["reporter_type"]].lower(), cite(r["source_key"]))
                         for r in g.to_dict("records")], "; ")
        rows.append([country, versions])
    return table(["Country", "Troops, as each source gives them"], rows, caption=caption, name=name, widths=[18, 82])

