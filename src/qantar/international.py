"""International responses (the responses table): labels, periods, stance tables and the timeline chart."""

from __future__ import annotations

import pandas as pd

from .claims import partial_date, partial_date_text
from . import markup
from .markup import MyST, cite, join, md

GROUP_LABELS = {
    "csto": "CSTO", "russia": "Russia", "china": "China", "kyrgyzstan": "Kyrgyzstan",
    "other_states": "Other states and groupings", "united_states": "United States",
    "eu_institutions": "EU institutions", "european_parliament": "European Parliament",
    "eu_member_states": "EU member states", "council_of_europe": "Council of Europe (PACE)",
    "osce_odihr": "OSCE and ODIHR", "un_human_rights": "UN human-rights bodies",
    "international_ngos": "International NGOs",
}
STANCE_COLOURS = {"supportive": "#0072B2", "neutral": "#999999", "critical": "#D55E00"}
ACTION_LABELS = {
    "statement": "statement", "call_for_restraint": "call for restraint",
    "call_for_investigation": "call for an independent or international investigation", "resolution": "resolution",
    "troop_deployment": "troop deployment", "troop_withdrawal": "troop withdrawal", "visit_or_call": "visit or call",
    "sanctions_or_conditionality": "sanctions or conditionality", "assistance": "assistance",
    "election_observation": "election observation", "treaty_body_review": "treaty-body review",
    "support_for_government_account": "support for the government's account",
}
#: The periods compared in the stance table.
PERIODS = [("Before 2022", None, "2021-12-31"), ("January 2022", "2022-01-01", "2022-01-31"),
           ("February–December 2022", "2022-02-01", "2022-12-31"), ("2023 onwards", "2023-01-01", None)]


def period(date_text: str) -> str:
    """The period of a (partial) date. A bare year that spans several periods
    (2022) is not guessed: it gets its own label, '2022, month not stated'."""
    d = partial_date(date_text)
    if len(date_text) == 4:
        hits = {label for label, start, end in PERIODS
                if (start is None or pd.Timestamp(f"{date_text}-12-31") >= pd.Timestamp(start))
                and (end is None or d <= pd.Timestamp(end))}
        if len(hits) > 1:
            return f"{date_text}, month not stated"
    for label, start, end in PERIODS:
        if (start is None or d >= pd.Timestamp(start)) and (end is None or d <= pd.Timestamp(end)):
            return label
    raise ValueError(f"no period for {date_text!r}")


def with_sources(responses, response_sources):
    """Responses with their source keys, date, date precision, period and group label."""
    from .data import with_source_keys

    out = with_source_keys(responses, response_sources, "response_id")
    out["when"] = out["date"].map(partial_date)
    out["precision"] = out["date"].map(lambda t: {1: "year", 2: "month", 3: "day"}[len(t.split("-"))])
    out["period"] = out["date"].map(period)
    out["group_label"] = out["actor_group"].map(GROUP_LABELS)
    return out


def stance_table(r, caption, name: str) -> MyST:
    """Markdown: per actor group, the count of supportive / neutral / critical acts in each period."""
    order = [p[0] for p in PERIODS]
    periods = sorted(set(r["period"]), key=lambda p: (order.index(p) if p in order else
                                                       next(i for i, o in enumerate(order) if o.endswith(p[:4])) + 0.5))
    lines = []
    for group in GROUP_LABELS:
        g = r[r["actor_group"] == group]
        if not len(g):
            continue
        cells = []
        for p in periods:
            gp = g[g["period"] == p]
            counts = [f"{(gp['stance'] == s).sum()} {s[:3]}." for s in ("supportive", "neutral", "critical")
                      if (gp["stance"] == s).any()]
            cells.append(", ".join(counts) if counts else "–")
        lines.append([GROUP_LABELS[group], *cells])
    return markup.table(["Actor group", *periods], lines, caption=caption, name=name)


def response_markdown(rows) -> MyST:
    return join((md("- {}: **{}** ({}; {}, rule {}). {}. {} [{}]", partial_date_text(r["date"]), r["actor"],
                    ACTION_LABELS[r["action_type"]], r["stance"], r["stance_rule"], r["summary"].rstrip("."),
                    cite(r["sources"]), r["response_id"]) for r in rows.to_dict("records")), "\n")


def timeline_figure(r, start="2022-01-01", end="2024-12-31"):
    """One row per actor group, one marker per response, coloured by stance; month or year dates hollow."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    shown = r[(r["when"] >= pd.Timestamp(start)) & (r["when"] <= pd.Timestamp(end))]
    groups = [g for g in GROUP_LABELS if g in set(shown["actor_group"])]
    fig, ax = plt.subplots(figsize=(8, 0.36 * len(groups) + 1.6))
    for i, g in enumerate(groups):
        sub = shown[shown["actor_group"] == g]
        for exact, face in ((True, None), (False, "none")):
            part = sub[(sub["precision"] == "day") == exact]
            colours = [STANCE_COLOURS[s] for s in part["stance"]]
            ax.scatter(part["when"], [i] * len(part), s=34, marker="o", edgecolors=colours,
                       facecolors=colours if face is None else "none", linewidths=1.1, zorder=3, alpha=0.9)
    ax.set_yticks(range(len(groups)), [GROUP_LABELS[g] for g in groups], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(pd.Timestamp(start) - pd.Timedelta(days=15), pd.Timestamp(end))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.grid(axis="x", color="#eeeeee", zorder=0)
    handles = [Line2D([], [], marker="o", linestyle="", color=c, label=s) for s, c in STANCE_COLOURS.items()]
    handles.append(Line2D([], [], marker="o", linestyle="", markerfacecolor="none", color="#555555",
                          label="date known to month or year only"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, fontsize=8, frameon=False)
    return fig
