"""International responses: labels, the stance rule table, periods, stance tables, the annex table and the
timeline chart.

Stance (towards the Kazakh authorities' account of the events) is decided by a written rule table,
:data:`STANCE_RULES`. Each response stores every rule its act fits (``stance_fits``); the first of them in
the table's order is its rule (``stance_rule``) and the rule's stance is its stance. A critical element
therefore outweighs a supportive or neutral one, and a supportive element a neutral one, so a statement
that both praises the authorities and calls for an independent inquiry is critical, whoever makes it.
:func:`decide` applies the table; the tests check that every row follows it.
"""

from __future__ import annotations

import re

import pandas as pd

from .claims import partial_date, partial_date_text
from . import fmt, markup
from .markup import MyST, cite, join, md
from .sourcing import sources_cell

GROUP_LABELS = {
    "csto": "CSTO", "russia": "Russia", "china": "China", "kyrgyzstan": "Kyrgyzstan",
    "other_states": "Other states and groupings", "united_states": "US government",
    "us_congress": "US senators",
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
#: The stance rule table, in the order that decides: (code, stance, the act fits the rule when it ...).
#: The first rule an act fits decides its stance.
STANCE_RULES = [
    ("C1", "critical", "condemns or questions lethal force, the order to shoot without warning, torture or "
                       "ill-treatment, or the 'terrorist' or foreign-aggression account (including the need for "
                       "foreign troops)"),
    ("C2", "critical", "calls for an investigation of the killings or abuses, of any kind (independent, "
                       "international, UN, OSCE, hybrid, or simply thorough), rather than welcoming the "
                       "authorities' own"),
    ("C3", "critical", "calls for accountability, or for the release of detainees or political prisoners, beyond "
                       "the government's own process"),
    ("C4", "critical", "conditions engagement, aid or sanctions on reform or accountability"),
    ("S1", "supportive", "repeats or endorses the 'terrorist', coup or external-aggression account"),
    ("S2", "supportive", "sends, supports or withdraws troops at the government's request"),
    ("S3", "supportive", "praises the authorities' handling, or welcomes their measures, reforms or own "
                         "investigation"),
    ("N1", "neutral", "calls for restraint or a peaceful solution by all sides without questioning the account"),
    ("N2", "neutral", "visits, calls, meetings, agreements or aid that do not address the events"),
    ("N3", "neutral", "observes elections, asks questions in a review, or reports or voices concern without "
                      "judging the account"),
]
RULE_STANCE = {code: stance for code, stance, _ in STANCE_RULES}
_RULE_ORDER = [code for code, _, _ in STANCE_RULES]


def fits(text: str) -> list[str]:
    """The rule codes stored in a ``stance_fits`` cell ('C2; S1')."""
    codes = [c.strip() for c in str(text).split(";")]
    unknown = [c for c in codes if c not in RULE_STANCE]
    if unknown:
        raise ValueError(f"not a stance rule: {unknown}")
    return codes


def decide(codes) -> tuple[str, str]:
    """(rule, stance) for an act that fits the given rules: the first of them in the table's order."""
    if isinstance(codes, str):
        codes = fits(codes)
    if not codes:
        raise ValueError("an act must fit at least one rule")
    rule = min(codes, key=_RULE_ORDER.index)
    return rule, RULE_STANCE[rule]


def rules_table(caption: str, name: str) -> MyST:
    """The stance rule table, in the order that decides."""
    return markup.table(["Rule", "Stance", "The act fits the rule when it"],
                        [[code, stance, text] for code, stance, text in STANCE_RULES],
                        caption=caption, name=name, widths=[8, 14, 78])


#: The periods compared in the stance table (the data hold no response before 2022).
PERIODS = [("January 2022", "2022-01-01", "2022-01-31"),
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
    out["fits"] = out["stance_fits"].map(fits)
    out["claim_ids"] = out["claims"].map(lambda t: [c.strip() for c in t.split(";")] if isinstance(t, str) else [])
    return out


def stance_counts(rows) -> str:
    """'all neutral', 'two neutral and one critical', 'one supportive': the stances of some responses
    (to follow 'were')."""
    parts = [f"{fmt.count((rows['stance'] == s).sum())} {s}" for s in ("supportive", "neutral", "critical")
             if (rows["stance"] == s).any()]
    if not parts:
        return "none"
    if len(parts) == 1 and len(rows) > 1:
        return f"all {rows['stance'].iloc[0]}"
    return fmt.and_list(parts)


def short_names(actor_names) -> list[str]:
    """Actors named by their state where they are one ('Government of Belarus' -> 'Belarus',
    'Russian government' -> 'Russia'), once each, in order of first appearance."""
    states = {"Russian government": "Russia", "Chinese government": "China", "US government": "the United States"}
    out = []
    for name in actor_names:
        short = states.get(name) or re.sub(r"^(Government|Parliament) of ", "", name)
        if short in ("CSTO", "Organization of Turkic States"):
            short = "the " + short
        if short not in out:
            out.append(short)
    return out


def names(items) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return fmt.and_list(items)


def investigation_calls(r):
    """The responses that call for an investigation of the killings or abuses (of any kind): those that
    fit rule C2, whatever rule decides their stance. Chapters that count such calls use this selection."""
    return r[r["stance_fits"].map(lambda t: "C2" in fits(t))]


def count_actors(r) -> int:
    """Distinct actors (a government, parliament, body or organisation counted once however the sources
    name it), not distinct spellings."""
    return int(r["actor_name"].nunique())


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
            counts = [f"{(gp['stance'] == s).sum()} {s}" for s in ("supportive", "neutral", "critical")
                      if (gp["stance"] == s).any()]
            cells.append(", ".join(counts) if counts else "–")
        lines.append([GROUP_LABELS[group], *cells])
    return markup.table(["Actor group", *periods], lines, caption=caption, name=name)


def annex_table(rows, claims, caption: str, name: str = "tbl-annex-responses") -> MyST:
    """Every response: anchor, date, actor (as counted), group, action and stance (with its rule), what
    was done or said (the actor as the sources name it first, then the summary and links to the reported
    figures it refers to) and sources. Kept to seven columns so that the PDF table stays compact."""
    from .claims import figure_text

    by_id = claims.set_index("claim_id")
    lines = []
    for r in rows.to_dict("records"):
        what = md("*{}*: ", r["actor"]) + markup.escape(r["summary"])
        if r["claim_ids"]:
            what += MyST(" Figures: ") + join((markup.ref(figure_text(by_id.loc[c], with_unit=True), "claim", c)
                                               for c in r["claim_ids"]), "; ") + MyST(".")
        lines.append([markup.anchor("response", r["response_id"]), partial_date_text(r["date"]), r["actor_name"],
                      GROUP_LABELS[r["actor_group"]],
                      f"{ACTION_LABELS[r['action_type']]}; {r['stance']} ({r['stance_rule']})", what,
                      sources_cell(r["sources"])])
    return markup.table(["Id", "Date", "Actor", "Group", "Action; stance (rule)", "Who, as named, and what was done "
                         "or said", "Sources"], lines, caption=caption, name=name, widths=[7, 9, 11, 8, 11, 36, 18])


def withdrawal_completion(r):
    """The responses that date the end of the CSTO withdrawal: the planned end, the report that it was
    complete, and who reported it when (rows whose summary speaks of the withdrawal being completed or the
    troops being out by a date)."""
    pattern = r"withdrawal had been completed|had left Kazakhstan|would be out by"
    hit = r[r["summary"].str.contains(pattern, regex=True)]
    return hit.sort_values(["when", "response_id"])


def _period_end(row):
    """The last day a response can fall on: its day, or the end of its month or year."""
    when = row["when"]
    if row["precision"] == "month":
        return when + pd.offsets.MonthEnd(0)
    if row["precision"] == "year":
        return when + pd.offsets.YearEnd(0)
    return when


def timeline_figure(r, start="2022-01-01", end=None):
    """Two panels, one row per actor group, one mark per response coloured by stance.

    Top: January 2022, day by day, wide enough to tell each response apart.
    Bottom: the responses after January 2022, to ``end`` (default: the end of
    the last year in the data), on a time axis that starts with January 2022
    (shaded: the top panel shows it). A response dated to the day is a dot; one dated only to the month or
    year is a bar across that month or year. Marks that would overlap are stacked.
    Each row is labelled above its marks, so the dates keep the whole width.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from .figures import WIDTH, pack

    d = r[r["when"] >= pd.Timestamp(start)].copy()
    d["until"] = [_period_end(row) for row in d.to_dict("records")]
    end = pd.Timestamp(end) if end is not None else d["until"].max() + pd.offsets.YearEnd(0)
    d = d[d["when"] <= end]
    jan0 = pd.Timestamp(start)
    jan1 = jan0 + pd.offsets.MonthEnd(0)
    in_jan = (d["when"] >= jan0) & (d["until"] <= jan1)
    ax_w = WIDTH - 0.3
    step, label_h, gap = 0.125, 0.2, 0.05  # inches
    panels = [("January 2022, by day", d[in_jan], jan0 - pd.Timedelta(hours=12), jan1 + pd.Timedelta(hours=12)),
              (f"After January 2022 (shaded), to {end.year}", d[~in_jan], jan0 - pd.Timedelta(days=10),
               end + pd.Timedelta(days=1))]
    layouts = []
    for title, part, x0, x1 in panels:
        span = (x1 - x0) / pd.Timedelta(days=1)
        rows, y = [], 0.0
        for g in GROUP_LABELS:
            sub = part[part["actor_group"] == g].sort_values(["when", "until", "response_id"])
            if not len(sub):
                continue
            a = [(row["when"] - x0) / pd.Timedelta(days=1) / span * ax_w for row in sub.to_dict("records")]
            b = [((row["until"] - x0) / pd.Timedelta(days=1) + (1 if row["precision"] != "day" else 0)) / span * ax_w
                 for row in sub.to_dict("records")]
            spans = [(lo - step / 2, lo + step / 2) if p == "day" else (lo, hi)
                     for lo, hi, p in zip(a, b, sub["precision"])]
            levels = pack(spans, gap=0.01)
            rows.append((g, sub, levels, y))
            y += label_h + (max(levels) + 1) * step + gap
        layouts.append((title, x0, x1, rows, y))
    title_h, tick_h, between, legend_h = 0.3, 0.32, 0.35, 0.55
    height = sum(title_h + h for *_, h in layouts) + 2 * tick_h + between + legend_h
    fig = plt.figure(figsize=(WIDTH, height))
    top = height
    for (title, x0, x1, rows, h), which in zip(layouts, ("jan", "all")):
        top -= title_h
        ax = fig.add_axes((0.15 / WIDTH, (top - h) / height, ax_w / WIDTH, h / height))
        ax.set_title(title, loc="left", pad=6)
        for g, sub, levels, y in rows:
            ax.text(x0, y + 0.02, GROUP_LABELS[g], va="top", ha="left")
            ys = [y + label_h + (lv + 0.5) * step for lv in levels]
            for row, yi in zip(sub.to_dict("records"), ys):
                colour = STANCE_COLOURS[row["stance"]]
                if row["precision"] == "day":
                    ax.scatter([row["when"]], [yi], s=52, color=colour, edgecolor="black", linewidth=0.5, zorder=3)
                else:
                    ax.plot([row["when"], row["until"] + pd.Timedelta(days=1)], [yi, yi], color=colour,
                            linewidth=5, solid_capstyle="butt", zorder=3)
        ax.set_ylim(h, 0)
        ax.set_xlim(x0, x1)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        if which == "jan":
            days = pd.date_range(jan0, jan1, freq="D")
            ax.set_xticks([t for t in days if t.day in (1, 5, 10, 15, 20, 25, 30)],
                          [str(t.day) for t in days if t.day in (1, 5, 10, 15, 20, 25, 30)])
            ax.set_xticks(days, minor=True)
            ax.grid(axis="x", which="minor", color="#eeeeee", zorder=0)
        else:
            ax.axvspan(jan0, jan1 + pd.Timedelta(days=1), color="#e8e8e8", zorder=0, linewidth=0)
            ax.set_xticks([pd.Timestamp(year=y, month=1, day=1) for y in range(jan0.year, end.year + 1)])
            ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
            for label in ax.get_xticklabels():
                label.set_horizontalalignment("left")
            ax.grid(axis="x", which="major", color="#dddddd", zorder=0)
        top -= h + tick_h + (between if which == "jan" else 0)
    handles = [Line2D([], [], marker="o", linestyle="", markersize=8, markerfacecolor=c, markeredgecolor="black",
                      markeredgewidth=0.5, label=s) for s, c in STANCE_COLOURS.items()]
    handles.append(Line2D([], [], color="#555555", linewidth=5, solid_capstyle="butt",
                          label="month or year only"))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.15 / WIDTH, 0.0), ncol=2,
               handletextpad=0.4, columnspacing=1.0, labelspacing=0.3, borderaxespad=0.0)
    return fig
