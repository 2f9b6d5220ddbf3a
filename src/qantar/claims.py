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


def amount(value, unit: str, with_unit: bool = True) -> str:
    """A value in its unit: ``238`` -> '238'; ``92.3e9, 'tenge'`` -> '92.3 billion tenge'.

    Money and percentages always keep their unit; other units are named only
    with ``with_unit`` (prose supplies its own noun: '363 complaints of torture').
    """
    if unit in ("tenge", "usd"):
        for size, word in ((1e9, "billion"), (1e6, "million")):
            if value >= size:
                n = f"{value / size:.3g}".rstrip("0").rstrip(".") if value % size else f"{int(value // size)}"
                return f"${n} {word}" if unit == "usd" else f"{n} {word} tenge"
        return f"${fmt.number(value)}" if unit == "usd" else f"{fmt.number(value)} tenge"
    n = fmt.number(value) if value == int(value) else f"{value:g}"
    if unit == "percent":
        return n + "%"
    return n + UNIT_WORDS.get(unit, f" {unit}") if with_unit else n


def figure_text(row, with_unit: bool = True) -> str:
    """How the source states the figure: 'at least 238', '$2 billion to $3 billion' ..."""
    if row["qualifier"] == "range":
        return (f"{amount(row['value'], row['unit'], with_unit)} to "
                f"{amount(row['value_high'], row['unit'], with_unit)}")
    return QUALIFIER_WORDS[row["qualifier"]] + amount(row["value"], row["unit"], with_unit)


def glue_claim(name: str, claims, claim_id: str):
    """Glue one claim's figure as stated ('at least 238', without a unit noun except
    for money and percentages) under ``name``, and its publication date under
    ``name + '_date'``; return the row."""
    from myst_nb import glue

    hit = claims[claims["claim_id"] == claim_id]
    if len(hit) != 1:
        raise KeyError(f"no claim {claim_id!r}")
    row = hit.iloc[0]
    glue(name, figure_text(row, with_unit=False), display=False)
    # The same figure as a link to its row in the annex of reported figures: {glue:md}`name_link:myst`.
    glue(name + "_link", markup.show(markup.ref(figure_text(row, with_unit=False), "claim", row["claim_id"])),
         display=False)
    glue(name + "_date", partial_date_text(row["published"]), display=False)
    return row


def summary(claims):
    """One row per metric and unit, national figures only: every version's spread.

    Columns: metric label, unit, versions (national), lowest, highest, ratio
    highest/lowest, the official and independent (incl. international) lows
    and highs, and the first and last publication dates.
    """
    rows = []
    national = claims[claims["scope"] == "national"]
    for (order, label, unit), g in national.groupby(["order", "label", "unit"], sort=True):
        off = g[g["side"] == "official"]["value"]
        ind = g[g["side"] != "official"]["value"]
        dated = g["published_date"].dropna()
        rows.append({
            "order": order, "metric": g["metric"].iloc[0], "Metric": label, "unit": unit,
            "Versions": len(g),
            "Lowest": g["value"].min(), "Highest": g["value"].max(),
            "Official low": off.min() if len(off) else pd.NA, "Official high": off.max() if len(off) else pd.NA,
            "Independent low": ind.min() if len(ind) else pd.NA, "Independent high": ind.max() if len(ind) else pd.NA,
            "First": dated.min() if len(dated) else pd.NaT, "Last": dated.max() if len(dated) else pd.NaT,
        })
    out = pd.DataFrame(rows)
    out["Ratio"] = out["Highest"] / out["Lowest"]
    return out


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
    return markup.table(["Metric", "Versions", "Lowest – highest", "Official", "Independent or international"],
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
    use = (d["side"] == "official") & ~d["reporter"].str.contains(exclude_reporters, regex=True) \
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
        return self.frame.to_html(index=False, border=0, classes="table qantar-full", escape=True)

    def _repr_markdown_(self):
        # Chosen by the LaTeX builder (which ignores text/html); the HTML builder prefers text/html.
        return str(md("*{}*", self.note))

    def __repr__(self):
        return self.note
