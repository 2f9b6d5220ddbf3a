"""Reported figures (the claims table): formatting, comparison and charts.

Every function here works on the validated ``claims`` table joined with the
``metrics`` and ``sources`` tables (see :func:`table`). Nothing is dropped
silently: functions that leave rows out (for example rows without a usable
date, in a chart) return or report what they left out.
"""

from __future__ import annotations

import re

import pandas as pd

from . import fmt
from . import markup
from .markup import MyST, cite, join, md

QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than ", "about": "about ",
                   "nearly": "nearly ", "up_to": "up to ", "range": ""}
REPORTER_LABELS = {"official": "Official", "relayed_official": "Official, relayed",
                   "independent": "Independent", "international": "International"}
#: Whose count it is, for comparisons: an official figure relayed by others is still official.
SIDE = {"official": "official", "relayed_official": "official",
        "independent": "independent", "international": "international"}
#: The coding rule for ``reporter_type``: (who produced the figure, what kind of body published the source)
#: -> reporter type. The publisher's kind is the source registry's ``body_type``; ``None`` matches any kind.
#: A figure produced by a Kazakh state body is official only when a Kazakh state body or state outlet
#: publishes it; published by anyone else it is relayed_official, and it stays official in every comparison.
REPORTER_RULE = [
    # (produced_by_type, publisher body_type, reporter_type, reading)
    ("kazakh_state", "official", "official", "a Kazakh state body, published by a state body or state outlet"),
    ("kazakh_state", None, "relayed_official", "a Kazakh state body's figure, published by anyone else"),
    ("independent", None, "independent", "an NGO, journalist, researcher or news outlet, on its own account"),
    ("international", None, "international", "a foreign state or an intergovernmental body"),
]
PRODUCED_BY_LABELS = {"kazakh_state": "Kazakh state", "independent": "Independent", "international": "International"}


def reporter_type_rule(produced_by_type: str, body_type: str) -> str:
    """The reporter type :data:`REPORTER_RULE` gives a figure (first matching line)."""
    for produced, publisher, reporter_type, _ in REPORTER_RULE:
        if produced == produced_by_type and publisher in (None, body_type):
            return reporter_type
    raise ValueError(f"no rule for {produced_by_type!r} published by {body_type!r}")


SCOPE_LABELS = {"national": "whole country", "city": "one city or region", "incident": "one incident or case",
                "subset": "one agency or category"}
UNIT_WORDS = {"people": "", "troops": " troops", "vehicles": " vehicles", "aircraft": " aircraft",
              "cases": " cases", "complaints": " complaints", "investigations": " investigations",
              "officials": " officials", "percent": "%", "buildings": " buildings", "weapons": " weapons",
              "countries": " countries"}


#: A unit's noun after the figure 1 ("1 official", never "1 officials").
UNIT_SINGULAR = {"troops": " troop", "vehicles": " vehicle", "cases": " case", "complaints": " complaint",
                 "investigations": " investigation", "officials": " official", "buildings": " building",
                 "weapons": " weapon", "countries": " country"}


def table(claims, metrics, sources):
    """Claims with their metric's label, group and order, and their source's publisher and body type."""
    out = claims.merge(metrics, on="metric", how="left", validate="many_to_one")
    out = out.merge(sources[["source_key", "publisher", "body_type", "grade"]], on="source_key",
                    how="left", validate="many_to_one")
    missing = out[out["label"].isna() | out["publisher"].isna()]
    if len(missing):
        raise ValueError(f"claims without metric or source: {', '.join(missing['claim_id'])}")
    out["side"] = out["reporter_type"].map(SIDE)
    out["published_date"] = out["published"].map(partial_date)
    out["as_of_date"] = out["as_of"].map(partial_date)
    return out


def partial_date(text):
    """``'2022-01-15'`` -> Timestamp; ``'2022-01'`` -> first of the month; empty -> NaT."""
    if text is None or pd.isna(text) or text == "":
        return pd.NaT
    parts = str(text).split("-")
    return pd.Timestamp(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)


def partial_date_text(text) -> str:
    """``'2022-08-16'`` -> '16 August 2022'; ``'2022-08'`` -> 'August 2022'; empty -> 'date not stated'."""
    if text is None or pd.isna(text) or text == "":
        return "date not stated"
    precision = {1: "year", 2: "month", 3: "day"}[len(str(text).split("-"))]
    return fmt.date(partial_date(text), precision)


def amount(value, unit: str, with_unit: bool = True, prose: bool = False) -> str:
    """A value in its unit: ``238`` -> '238'; ``92.3e9, 'tenge'`` -> '92.3 billion tenge'.

    Money and percentages always keep their unit; other units are named only
    with ``with_unit`` (prose supplies its own noun: '363 complaints of torture').
    """
    if unit in ("tenge", "usd"):
        for size, word in ((1e9, "billion"), (1e6, "million")):
            if value >= size:
                n = f"{value / size:g}" if value % size else f"{int(value // size)}"  # as stated: 410.3, not 41
                return f"${n} {word}" if unit == "usd" else f"{n} {word} tenge"
        return f"${fmt.number(value)}" if unit == "usd" else f"{fmt.number(value)} tenge"
    if unit == "percent":
        n = fmt.number(value) if value == int(value) else f"{value:g}"
        return n + "%"
    # Running text writes whole counts under ten in words ("six people", "no officer"); tables keep digits.
    n = (fmt.count_before_noun(value) if prose else fmt.number(value)) if value == int(value) else f"{value:g}"
    if unit == "percent":
        return n + "%"
    if not with_unit:
        return n
    if value == 1 and unit in UNIT_SINGULAR:
        return n + UNIT_SINGULAR[unit]
    return n + UNIT_WORDS.get(unit, f" {unit}")


def figure_text(row, with_unit: bool = True, prose: bool = False) -> str:
    """How the source states the figure: 'at least 238', '$2 billion to $3 billion' ...; with
    ``prose``, as running text writes it ('at least six')."""
    if row["qualifier"] == "range":
        return (f"{amount(row['value'], row['unit'], with_unit, prose)} to "
                f"{amount(row['value_high'], row['unit'], with_unit, prose)}")
    return QUALIFIER_WORDS[row["qualifier"]] + amount(row["value"], row["unit"], with_unit, prose)


def glue_claim(name: str, claims, claim_id: str):
    """Glue one claim's figure as stated ('at least 238', without a unit noun except
    for money and percentages) under ``name``, and its publication date under
    ``name + '_date'``; return the row."""
    from myst_nb import glue

    hit = claims[claims["claim_id"] == claim_id]
    if len(hit) != 1:
        raise KeyError(f"no claim {claim_id!r}")
    row = hit.iloc[0]
    text = figure_text(row, with_unit=False, prose=True)
    glue(name, text, display=False)
    # The same figure as a link to its row in the annex of reported figures: {glue:md}`name_link:myst`.
    glue(name + "_link", markup.show(markup.ref(text, "claim", row["claim_id"])), display=False)
    glue(name + "_date", partial_date_text(row["published"]), display=False)
    return row


#: Facts that several chapters state, each glued under one name from one claim row, so that every
#: chapter reads them the same way. Call :func:`glue_shared` in a chapter and write
#: ``{glue:text}`name``` (the figure as stated), ``{glue:md}`name_link:myst``` (the same, linked to its
#: annex row) or ``{glue:text}`name_date```.
SHARED_FACTS = {
    # Human Rights Watch, "Kazakhstan: No Justice for January Protest Abuses", 20 December 2022.
    "hrw_dec2022_convictions": "C165",          # "over 1,000 convictions of protesters and others"
    "hrw_dec2022_officer_convicted": "C220",    # one military officer prosecuted over a man's death,
                                                # convicted of abuse of power (not of killing)
    "hrw_dec2022_pending": "C210",              # one other case, "related to three deaths", pending
    "hrw_dec2022_torture_convictions": "C273",  # torture allegations: a handful of prosecutions, no convictions
    # Prosecutions and convictions of protesters and others.
    "prosecuted_1400": "C136",                  # nearly 1,400 people prosecuted (government figures, per HRW, 2024)
    "convicted_1400_lemonde": "C171",           # Le Monde: almost 1,400 convicted (no source given), 2024
    "convicted_1205": "C168",                   # 1,205 convicted, Prosecutor General to the Majilis, 5 Jan 2023
    # The death toll.
    "toll_final": "C035",                       # 238, official list of names, 16 August 2022
    "toll_security": "C059",                    # 19 security personnel (Prosecutor General, 14 March 2022)
    "custody_deaths_final": "C080",             # 6 deaths in custody added in August 2022
    "toll_withdrawn": "C008",                   # 164, posted and withdrawn, 9-10 January 2022
}


def glue_shared(claims) -> dict:
    """Glue every :data:`SHARED_FACTS` name (with ``_link`` and ``_date``) and the sentence
    ``hrw_dec2022_statement`` ({glue:md}`hrw_dec2022_statement:myst`), which states the
    Human Rights Watch statement of 20 December 2022 whole; return the rows by name."""
    from myst_nb import glue

    rows = {name: glue_claim(name, claims, cid) for name, cid in SHARED_FACTS.items()}
    officer, pending, torture = (rows[n] for n in ("hrw_dec2022_officer_convicted", "hrw_dec2022_pending",
                                                    "hrw_dec2022_torture_convictions"))
    sentence = md(
        "{} convictions of protesters and others, against {} military officer prosecuted in connection with a "
        "man's death and convicted of abuse of power; {} other case, \"related to three deaths\", was pending, "
        "and the handful of prosecutions over torture had led to {} convictions {}",
        markup.ref(figure_text(rows["hrw_dec2022_convictions"], with_unit=False), "claim", "C165"),
        markup.ref(fmt.count_before_noun(officer["value"]), "claim", officer["claim_id"]),
        markup.ref(fmt.count_before_noun(pending["value"]), "claim", pending["claim_id"]),
        markup.ref(fmt.count_before_noun(torture["value"]), "claim", torture["claim_id"]),
        cite(officer["source_key"]))
    glue("hrw_dec2022_statement", markup.show(sentence), display=False)
    return rows


#: Metric groups about the January 2022 events themselves; the rest (foreign aid before 2022) is context,
#: listed in the annex but not compared in the chapter's table of spreads.
EVENT_GROUPS = ("casualties", "detentions", "prosecutions", "amnesty", "torture", "accountability", "scale")
#: Units that count the same thing (a torture investigation is a criminal case opened).
SAME_UNIT = {"investigations": "cases"}
UNIT_NAMES = {"troops": "troops", "vehicles": "vehicles", "aircraft": "aircraft", "tenge": "tenge",
              "usd": "US dollars", "cases": "cases", "people": "people", "officials": "officials",
              "percent": "per cent", "complaints": "complaints", "buildings": "buildings", "weapons": "weapons",
              "countries": "countries"}


def summary(claims, groups=EVENT_GROUPS):
    """One row per metric and unit, national figures only: every version's spread.

    Only metrics of ``groups`` are included. Units that count the same thing
    (:data:`SAME_UNIT`) are merged; a metric still measured in two units (troops
    and vehicles, tenge and dollars) gets one row per unit, its label naming the
    unit, so no label repeats. Columns: metric label, unit, versions (national),
    lowest, highest, the official (stated or relayed) and independent (incl.
    international) lows and highs, and the first and last publication dates.
    """
    rows = []
    national = claims[(claims["scope"] == "national") & claims["group"].isin(list(groups))].copy()
    national["unit"] = national["unit"].replace(SAME_UNIT)
    n_units = national.groupby("metric")["unit"].nunique()
    for (order, label, unit), g in national.groupby(["order", "label", "unit"], sort=True):
        off = g[g["side"] == "official"]["value"]
        ind = g[g["side"] != "official"]["value"]
        dated = g["published_date"].dropna()
        metric = g["metric"].iloc[0]
        rows.append({
            "order": order, "metric": metric,
            "Metric": f"{label} ({UNIT_NAMES[unit]})" if n_units[metric] > 1 else label, "unit": unit,
            "Versions": len(g),
            "Lowest": g["value"].min(), "Highest": g["value"].max(),
            "Official low": off.min() if len(off) else pd.NA, "Official high": off.max() if len(off) else pd.NA,
            "Independent low": ind.min() if len(ind) else pd.NA, "Independent high": ind.max() if len(ind) else pd.NA,
            "First": dated.min() if len(dated) else pd.NaT, "Last": dated.max() if len(dated) else pd.NaT,
        })
    return pd.DataFrame(rows)


def _cell(value, unit) -> str:
    return "–" if value is None or pd.isna(value) else amount(value, unit)


def summary_table(summ, caption, name: str) -> MyST:
    """The spread table as a numbered MyST table (fits a printed page: five columns)."""
    lines = []
    for r in summ.to_dict("records"):
        span = _cell(r["Lowest"], r["unit"]) if r["Lowest"] == r["Highest"] else \
            f"{_cell(r['Lowest'], r['unit'])} – {_cell(r['Highest'], r['unit'])}"

        def side(lo, hi):
            if pd.isna(lo):
                return "–"
            return _cell(lo, r["unit"]) if lo == hi else f"{_cell(lo, r['unit'])} – {_cell(hi, r['unit'])}"

        lines.append([r["Metric"], r["Versions"], span, side(r["Official low"], r["Official high"]),
                      side(r["Independent low"], r["Independent high"])])
    return markup.table(["Measure", "Versions", "Lowest – highest", "Official", "Independent or international"],
                        lines, caption=caption, name=name, widths=[30, 10, 20, 20, 20], align="lrlll")


def versions_markdown(rows, with_counts: bool = True) -> MyST:
    """A Markdown list of claims, one line each: figure, who, when, scope, citation and claim id."""
    lines = []
    for r in rows.to_dict("records"):
        when = partial_date_text(r["published"])
        as_of = f", as of {partial_date_text(r['as_of'])}" if r["as_of"] and not pd.isna(r["as_of"]) \
            and r["as_of"] != r["published"] else ""
        scope = "" if r["scope"] == "national" else f" ({SCOPE_LABELS[r['scope']]})"
        what = f": {_sentence(r['counts'])}" if with_counts else ""
        lines.append(md("- **{}**{}, {} ({}), published {}{}{} {} [{}]", figure_text(r), scope, r["reporter"],
                        REPORTER_LABELS[r["reporter_type"]].lower(), when, as_of, what, cite(r["source_key"]),
                        r["claim_id"]))
    return join(lines, "\n")


def _sentence(text: str) -> str:
    """Definition notes as written, with shouted scope words in normal case."""
    text = re.sub(r"\b([A-Z]{4,}(?: [A-Z]{2,})*)\b", lambda m: m.group(1).capitalize()
                  if m.group(1) not in ("CSTO", "KNB", "OHCHR", "PGO", "HRW", "NGO", "KIBHR") else m.group(1), text)
    return text.rstrip(".")


def official_toll(claims, exclude_reporters: str = "Ombuds", exclude_claims=(), retracted=()):
    """The official national death toll as announced: the first date each figure appeared.

    Uses national ``deaths_total`` claims whose figure is official (stated or
    relayed), dated by the announcement: ``as_of`` when it is given to the day,
    else the publication date. A figure first known only to the month is placed
    on the 15th. ``exclude_reporters`` (a regex) and ``exclude_claims`` leave
    out other official bodies' or unconfirmed figures; ``retracted`` values are
    left out. Returns (steps, left_out): ``left_out`` lists every national
    deaths_total claim not used as a step.
    """
    d = claims[(claims["metric"] == "deaths_total") & (claims["scope"] == "national")].copy()
    precise, when = [], []
    for a, a_text, p, p_text in zip(d["as_of_date"], d["as_of"].astype(object), d["published_date"],
                                    d["published"].astype(object)):
        if isinstance(a_text, str) and len(a_text) == 10:
            precise.append(True), when.append(a)
        elif isinstance(p_text, str) and len(p_text) == 10:
            precise.append(True), when.append(p)
        elif isinstance(p_text, str) and len(p_text) == 7:
            precise.append(False), when.append(p + pd.Timedelta(days=14))
        else:
            precise.append(False), when.append(pd.NaT)
    d["when"], d["precise"] = when, precise
    # A rounded figure ("more than 200", "about 240") repeats an announcement; it is not one.
    use = (d["side"] == "official") & d["qualifier"].isin(["exact", "at_least"]) \
        & ~d["reporter"].str.contains(exclude_reporters, regex=True) \
        & ~d["claim_id"].isin(list(exclude_claims)) & ~d["value"].isin(list(retracted)) & d["when"].notna()
    chosen = []
    for _, g in d[use].groupby("value"):
        g = g.sort_values(["when", "claim_id"])
        exact, rough = g[g["precise"]], g[~g["precise"]]
        # A month-only date wins only if its month is before the first exact date.
        if len(exact) and (not len(rough) or rough["when"].iloc[0].to_period("M") >= exact["when"].iloc[0].to_period("M")):
            chosen.append(exact.iloc[0])
        else:
            chosen.append(rough.iloc[0])
    steps = pd.DataFrame(chosen).sort_values("when")
    left_out = d[~d["claim_id"].isin(steps["claim_id"])]
    return steps, left_out


def toll_figure(claims, steps, retracted=(), end="2022-12-31"):
    """Step chart of the official toll, with independent counts and other versions as points."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from .figures import PALETTE, WIDTH, place_labels

    end = pd.Timestamp(end)
    d = claims[(claims["metric"] == "deaths_total") & (claims["scope"] == "national")
               & claims["published_date"].notna()]
    fig, ax = plt.subplots(figsize=(WIDTH, 4.6), layout="constrained")
    xs = list(steps["when"]) + [end]
    ys = list(steps["value"]) + [steps["value"].iloc[-1]]
    ax.step(xs, ys, where="post", color=PALETTE["blue"], linewidth=2, label="Official toll, as first announced", zorder=3)
    ax.scatter(steps["when"], steps["value"], color=PALETTE["blue"], s=25, zorder=4)
    gone = d[d["value"].isin(list(retracted)) & (d["published_date"] <= end)]
    if len(gone):
        first = gone.sort_values("published_date").iloc[0]
        ax.scatter([first["published_date"]], [first["value"]], marker="x", s=50, color=PALETTE["vermillion"],
                   zorder=5, label="Posted, then withdrawn")
    ind = d[(d["side"] != "official") & (d["published_date"] <= end)]
    ax.scatter(ind["published_date"], ind["value"], marker="D", s=30, color=PALETTE["orange"], edgecolor="black",
               linewidth=0.4, zorder=5, label="Independent or international count")
    other = d[(d["side"] == "official") & ~d["claim_id"].isin(steps["claim_id"])
              & ~d["value"].isin(list(retracted)) & (d["published_date"] <= end)]
    ax.scatter(other["published_date"], other["value"], marker="o", s=18, facecolor="none",
               edgecolor=PALETTE["grey"], zorder=2, label="Official figure, repeated or relayed")
    ax.set_xlim(pd.Timestamp("2022-01-01"), end)
    ax.set_ylim(0, max(d["value"].max(), 250) * 1.12)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b"))
    ax.set_xlabel("2022, by date of announcement")
    ax.set_ylabel("Deaths, whole country")
    ax.grid(axis="y", color="#dddddd", zorder=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.45, -0.2), ncol=1, handletextpad=0.3)
    fig.canvas.draw()
    # Label the first step and each later step that is not crowded by the previous label.
    place_labels(ax, list(zip(steps["when"], steps["value"])), [fmt.number(v) for v in steps["value"]],
                 colour=PALETTE["blue"], candidates=[((-3, 6), "right", "bottom"), ((4, 6), "left", "bottom"),
                                                      ((4, -6), "left", "top"), ((0, 14), "center", "bottom")],
                 avoid=list(zip(ind["published_date"], ind["value"])))
    if len(gone):
        place_labels(ax, [(first["published_date"], first["value"])], [fmt.number(first["value"])],
                     colour=PALETTE["vermillion"])
    return fig


def ladder_text(row, note: str = "") -> str:
    """A bar's label in :func:`ladder_figure`: the figure as stated, its date and an optional note."""
    return f"{figure_text(row)}, {partial_date_text(row['published'])}" + (f", {note}" if note else "")


def ladder_figure(stages):
    """Horizontal bars on a linear scale, one group per stage, in the order of the stages.

    ``stages`` is a list of ``(label, bars, colour)``: ``bars`` a list of
    ``(claim row, note)``, each drawn as one bar labelled with its figure, date
    and note. Each stage's label sits above its bars, so the bars keep the whole
    width on a phone; a bar's label sits past its end, or inside a long bar.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from .figures import PALETTE, WIDTH

    unit = 15.5  # points per row
    rows, y = [], 0.0
    for label, bars, colour in stages:
        rows.append(("label", label, y, None, None))
        y += 1.05
        for row, note in bars:
            rows.append(("bar", ladder_text(row, note), y, row["value"], PALETTE[colour]))
            y += 1.05
        y += 0.55
    top = max(r[3] for r in rows if r[0] == "bar")
    ax_h = y * unit / 72
    bottom = 0.62
    fig = plt.figure(figsize=(WIDTH, ax_h + bottom + 0.05))
    ax = fig.add_axes((0.12 / WIDTH, bottom / (ax_h + bottom + 0.05), (WIDTH - 0.3) / WIDTH,
                       ax_h / (ax_h + bottom + 0.05)))
    ax.set_xlim(0, top * 1.02)
    ax.set_ylim(y - 0.4, -0.1)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for kind, text, yi, value, colour in rows:
        if kind == "label":
            ax.text(0, yi + 0.5, text, va="center", ha="left", fontweight="bold")
            continue
        ax.barh(yi + 0.5, value, height=0.78, color=colour, edgecolor="black", linewidth=0.4, zorder=3)
        t = ax.annotate(text, (value, yi + 0.5), xytext=(4, 0), textcoords="offset points", va="center")
        if t.get_window_extent(renderer).x1 > ax.get_window_extent(renderer).x1:
            t.remove()
            ax.annotate(text, (value, yi + 0.5), xytext=(-4, 0), textcoords="offset points", va="center",
                        ha="right", color="white", fontweight="bold")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("Number (complaints, cases or people)")
    ax.grid(axis="x", color="#dddddd", zorder=0)
    return fig


class FullTable:
    """A wide table shown in full in the HTML book and as a pointer in the PDF."""

    def __init__(self, frame, note: str):
        self.frame, self.note = frame, note

    def _repr_html_(self):
        # Cell text is HTML-escaped by pandas; whitespace between tags is dropped (a fifth of the bytes).
        html = self.frame.to_html(index=False, border=0, classes="table qantar-full", escape=True)
        return re.sub(r">\s+<", "><", html)

    def _repr_markdown_(self):
        # Chosen by the LaTeX builder (which ignores text/html); the HTML builder prefers text/html.
        return str(md("*{}*", self.note))

    def __repr__(self):
        return self.note


# --- Detentions over time -------------------------------------------------------------------------

#: The detention measures drawn on one chart, in legend order: (metric, legend label, colour).
DETENTION_SERIES = [
    ("detained", "All detained", "blue"),
    ("detained_administrative", "Given administrative detention", "orange"),
    ("detained_criminal", "Held as criminal suspects", "vermillion"),
    ("suspects_in_custody", "Suspects still in pre-trial custody", "green"),
]


def dated_points(claims, metrics):
    """Whole-country claims of ``metrics`` with the date each figure refers to.

    The date is ``as_of`` when the source gives it to the day, else the
    publication date; a date known only to the month is placed on the 15th.
    Returns (points, left_out): rows with no usable date are in ``left_out``.
    """
    d = claims[claims["metric"].isin(list(metrics)) & (claims["scope"] == "national")].copy()
    when = []
    for a, p in zip(d["as_of"].astype(object), d["published"].astype(object)):
        text = a if isinstance(a, str) and len(a) == 10 else p if isinstance(p, str) and len(p) >= 7 else None
        if text is None and isinstance(a, str) and len(a) == 7:
            text = a
        when.append(pd.NaT if text is None else partial_date(text) + pd.Timedelta(days=14 if len(text) == 7 else 0))
    d["when"] = when
    return d[d["when"].notna()].sort_values(["when", "claim_id"]), d[d["when"].isna()]


def detention_points(claims):
    """Every dated whole-country version of the four detention measures (see :data:`DETENTION_SERIES`)."""
    return dated_points(claims, [m for m, _, _ in DETENTION_SERIES])


def detentions_alt(points) -> str:
    """Alt text for :func:`detentions_figure`, stating what each series shows from the same rows."""
    parts = []
    for metric, label, _ in DETENTION_SERIES:
        g = points[points["metric"] == metric]
        if not len(g):
            continue
        first, last = g.iloc[0], g.iloc[-1]
        peak = g.loc[g["value"].idxmax()]
        if len(g) == 1:
            parts.append(f"{label.lower()}: one version, {figure_text(first)} on {fmt.date(first['when'])}")
            continue
        parts.append(f"{label.lower()}: {plural_versions(len(g))}, from {figure_text(first)} on "
                     f"{fmt.date(first['when'])} to {figure_text(last)} on {fmt.date(last['when'])}, highest "
                     f"{figure_text(peak)} on {fmt.date(peak['when'])}")
    return ("Dot chart of detention figures over time, January 2022 and then the following months on the same "
            "scale, one colour per measure; filled dots are official figures, open diamonds independent or "
            "international ones. " + "; ".join(parts) + ".")


def plural_versions(n: int) -> str:
    return fmt.plural(n, "version")


def detentions_figure(points, split="2022-02-01"):
    """Two stacked panels on one scale: January 2022 by day, then the following months; every version a dot."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    from .figures import PALETTE, WIDTH

    split = pd.Timestamp(split)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(WIDTH, 6.4), layout="constrained", sharey=True)
    ymax = points["value"].max() * 1.08
    for ax, part, title in ((top, points[points["when"] < split], "January 2022"),
                            (bottom, points[points["when"] >= split], "Later months")):
        for metric, label, colour in DETENTION_SERIES:
            g = part[part["metric"] == metric]
            off, ind = g[g["side"] == "official"], g[g["side"] != "official"]
            ax.scatter(off["when"], off["value"], s=34, color=PALETTE[colour], edgecolor="black", linewidth=0.4,
                       zorder=3)
            ax.scatter(ind["when"], ind["value"], s=38, marker="D", facecolor="white", edgecolor=PALETTE[colour],
                       linewidth=1.4, zorder=3)
        ax.set_title(title)
        ax.set_ylim(0, ymax)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
        ax.grid(axis="y", color="#dddddd", zorder=0)
    top.set_xlim(pd.Timestamp("2022-01-01"), split - pd.Timedelta(hours=6))
    top.xaxis.set_major_locator(mdates.DayLocator(bymonthday=[1, 8, 15, 22, 29]))
    top.xaxis.set_major_formatter(FuncFormatter(lambda v, _: str(mdates.num2date(v).day)))
    top.set_xlabel("Day of January 2022")
    later = points[points["when"] >= split]
    end = (later["when"].max() if len(later) else split) + pd.Timedelta(days=31)
    bottom.set_xlim(split, end)
    bottom.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    for ax in (top, bottom):
        ax.set_ylabel("People")
    handles = [Line2D([], [], linestyle="", marker="o", markersize=7, color=PALETTE[c], markeredgecolor="black",
                      label=label) for _, label, c in DETENTION_SERIES]
    handles += [Line2D([], [], linestyle="", marker="o", markersize=7, color=PALETTE["grey"],
                       markeredgecolor="black", label="Official (filled)"),
                Line2D([], [], linestyle="", marker="D", markersize=7, color="white", markeredgecolor="black",
                       label="Independent or international (open)")]
    fig.legend(handles=handles, loc="outside lower left", ncol=1, handletextpad=0.3)
    return fig


# ---------------------------------------------------------------------------------------------
# Does a quote state a number? (Used to check that each figure's quote holds it.)

_EN_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
             "seventeen eighteen nineteen twenty").split()
#: Ways the sources write small numbers and round ones in words: English, and the Russian and Kazakh
#: forms the quotes use (the cases of cardinals and the collective numerals: "трое", "троих").
NUMBER_WORDS = {i + 1: [w] for i, w in enumerate(_EN_WORDS)}
for _n, _forms in {
    0: ["no", "none", "zero"], 1: ["a single", "один", "одна", "одно", "одного", "одному", "бір"],
    2: ["два", "две", "двое", "двоих", "двух", "екі"], 3: ["три", "трое", "троих", "трёх", "трех", "үш"],
    4: ["четыре", "четверо", "четырёх", "четырех", "төрт"], 5: ["пять", "пятеро", "пяти", "бес"],
    6: ["шесть", "шестеро", "шести", "алты"], 7: ["семь", "семеро", "семи", "жеті"],
    8: ["восемь", "восьмеро", "восьмерых", "восьми", "сегіз"], 9: ["девять", "девяти", "тоғыз"],
    10: ["десять", "десяти"], 35: ["thirty-five"], 50: ["полсотни", "пятьдесят"],
    80: ["восемьдесят"], 1000: ["thousand", "тысяча", "тысячи", "тысячу", "мың"],
    1500: ["мың жарым", "мың жарымнан", "полторы тысячи"], 2500: ["2 с половиной тысячи"], 5000: ["five thousand"],
}.items():
    NUMBER_WORDS[_n] = NUMBER_WORDS.get(_n, []) + _forms


_WORD_FORMS = {w for forms in NUMBER_WORDS.values() for w in forms}


def number_forms(value: float) -> set[str]:
    """Ways a source may write a number: 2,044 / 2 044 / 2044 / 20’000 / 92,3 billion / 40 bln /
    410.7m / 24bn / 3 тысячи 520 / words (:data:`NUMBER_WORDS`)."""
    forms = set()
    if value == int(value):
        n = int(value)
        grouped = f"{n:,}"
        forms |= {str(n), grouped, grouped.replace(",", " "), grouped.replace(",", "\u00a0"),
                  grouped.replace(",", "."), grouped.replace(",", "’")}
        forms |= set(NUMBER_WORDS.get(n, []))
        for size, words in ((1e9, ("billion", "bln", "млрд", "миллиард")), (1e6, ("million", "млн", "миллион")),
                            (1e3, ("thousand", "тыс"))):
            if n >= size:
                short = f"{n / size:g}"
                for w in words:
                    forms |= {f"{short} {w}", f"{short.replace('.', ',')} {w}", f"{short}-"}
                if size > 1e3:  # the English press's attached abbreviations: $410.7m, $24bn
                    forms.add(f"{short}{'bn' if size == 1e9 else 'm'}")
        if 1000 < n < 10000 and n % 1000:
            forms.add(f"{n // 1000} тысячи {n % 1000}")  # "3 тысячи 520"
    else:
        forms |= {f"{value:g}", f"{value:g}".replace(".", ",")}
    return forms


def quote_states(value: float, quote: str) -> bool:
    """The quote writes the number as a whole token (238 is not found in 1238, one not in 'someone',
    'один' not in 'одинаковый')."""
    q = str(quote).lower()

    def found(f):
        if f.endswith("-"):  # '2-' opens a range such as '$2-3 billion'
            tail = ""
        elif f in _WORD_FORMS or re.fullmatch(r"[\d.]+(m|bn)", f):  # a whole word ('один', not 'одинаковый'; '4m', not '4mm')
            tail = r"(?!\w)"
        else:
            tail = r"(?![\d]|[.,’]\d)"
        return re.search(r"(?<![\w.,’])" + re.escape(f.lower()) + tail, q)
    return any(found(f) for f in number_forms(value))
