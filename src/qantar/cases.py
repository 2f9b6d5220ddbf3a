"""Named cases (the cases table): case studies as Markdown, and the two-track chart."""

from __future__ import annotations

import pandas as pd

from .claims import partial_date, partial_date_text
from .markup import MyST, cite, join, md

ROLE_LABELS = {
    "protester": "protester", "bystander": "bystander", "journalist": "journalist", "activist": "activist",
    "lawyer": "lawyer", "opposition_figure": "opposition figure",
    "police_or_security_officer": "police or security officer", "senior_official": "senior official",
    "relative_of_former_president": "relative of the former president", "foreign_national": "foreign national",
}
OUTCOME_LABELS = {
    "convicted": "convicted", "acquitted": "acquitted", "amnestied": "amnestied",
    "released_without_charge": "released without charge", "charges_dropped": "charges dropped",
    "pending": "pending", "case_closed": "case closed", "no_case": "no case over the events",
    "died": "died", "inquiry": "unofficial inquiry", "unknown": "outcome not found",
}
#: The two tracks of justice: people prosecuted over the events, and officials tried for abuses.
OFFICIALS_FOR_ABUSES = {"police_or_security_officer"}


def with_sources(cases, case_sources):
    """Cases with a sorted tuple of their source keys; raises if a case has none."""
    from .data import with_source_keys

    return with_source_keys(cases, case_sources, "case_id")


def track(row) -> str:
    """officials (officers tried for abuses: torture or deaths in custody), prosecuted, or other."""
    if row["role"] in OFFICIALS_FOR_ABUSES and row["torture_alleged"] == "yes":
        return "officials"
    if row["outcome"] in ("inquiry", "died", "no_case"):
        return "other"
    return "prosecuted"


def _dates(row) -> str:
    parts = []
    for col, word in (("detained", "detained"), ("charged", "charged"), ("trial_start", "trial opened"),
                      ("verdict", "verdict"), ("released", "released")):
        if row[col] and not pd.isna(row[col]):
            parts.append(f"{word} {partial_date_text(row[col])}")
    return "; ".join(parts)


def _cite_keys(text: str, known: frozenset) -> MyST:
    """Registry keys mentioned in a note become citations; the rest of the note stays text."""
    import re

    parts = re.split(r"\b([a-z][a-z0-9]*(?:19|20)[0-9]{2}[a-z0-9]+)\b", text)
    return join(cite(p) if i % 2 and p in known else p for i, p in enumerate(parts))


def case_markdown(row, known_keys: frozenset = frozenset()) -> MyST:
    """One case as a Markdown paragraph, with its citations, its note (where sources
    disagree or facts are missing) and its case id."""
    name = row["name"]
    spellings = f" (also {row['other_spellings'].replace(';', ',')})" if _has(row["other_spellings"]) else ""
    place = f", {row['place']}" if _has(row["place"]) else ""
    bits = [md("**{}**{}, {}{}. {}.", name, spellings, ROLE_LABELS[row["role"]], place, row["summary"].rstrip("."))]
    if _has(row["charges"]):
        art = f" (Criminal Code {row['code_articles']})" if _has(row["code_articles"]) else ""
        bits.append(f"Charges: {row['charges'].rstrip('.')}{art}.")
    dates = _dates(row)
    if dates:
        bits.append(f"Dates: {dates}.")
    outcome = OUTCOME_LABELS[row["outcome"]]
    sentence = f"; sentence: {row['sentence'].rstrip('.')}" if _has(row["sentence"]) else ""
    bits.append(f"Outcome: {outcome}{sentence}. Status as of {partial_date_text(row['status_as_of'])}: "
                f"{row['status'].rstrip('.')}.")
    if _has(row["note"]):
        bits.append(md("*Note:* {}.", _cite_keys(row["note"].rstrip("."), known_keys)))
    return join(bits, " ") + md(" {} [{}]", cite(row["sources"]), row["case_id"])


def _has(value) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def cases_markdown(rows, known_keys: frozenset = frozenset()) -> MyST:
    return join((case_markdown(r, known_keys) for r in rows.to_dict("records")), "\n\n")


def tracks_figure(convicted, prosecuted, officials, verdicts):
    """Two panels on one time axis.

    Top: the official count of people convicted over the events (a line), the
    government's count of people prosecuted (an open square) and the reported
    counts of officials convicted for abuses (diamonds), each at the date of the
    figure and labelled where no label overprints another. Bottom: the verdicts
    in the named cases of this report, one dot each, by track; dots that would
    overlap are stacked.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from . import fmt
    from .claims import figure_text
    from .figures import PALETTE, WIDTH, pack, place_labels

    lanes = [("prosecuted", PALETTE["blue"], "Protesters and others"),
             ("officials", PALETTE["vermillion"], "Officers tried for abuses")]
    whens = list(convicted["when"]) + list(prosecuted["when"]) + list(officials["when"]) + list(verdicts["when"])
    x0, x1 = min(whens) - pd.Timedelta(days=45), max(whens) + pd.Timedelta(days=45)
    ax_w = WIDTH - 0.95
    step = 9.5 / 72  # inches between stacked dots
    # Stack the verdict dots: positions across the axis in inches, one level per overlap.
    span = (x1 - x0).days
    stacks = {}
    for key, _, _ in lanes:
        v = verdicts[verdicts["track"] == key].sort_values(["when", "case_id"])
        xs = [(w - x0).days / span * ax_w for w in v["when"]]
        stacks[key] = (v, pack([(x - step / 2, x + step / 2) for x in xs]))
    label_h = 0.24
    lane_h = {k: label_h + (max(lv, default=0) + 1) * step + 0.08 for k, (_, lv) in stacks.items()}
    low_h = sum(lane_h.values())
    top_h, legend_h, gap, foot = 2.3, 0.78, 0.3, 0.62
    height = legend_h + top_h + gap + low_h + foot
    left = 0.8 / WIDTH
    fig = plt.figure(figsize=(WIDTH, height))
    top = fig.add_axes((left, (foot + low_h + gap) / height, ax_w / WIDTH, top_h / height))
    low = fig.add_axes((left, foot / height, ax_w / WIDTH, low_h / height), sharex=top)

    conv = convicted.sort_values("when")
    top.plot(conv["when"], conv["value"], marker="o", color=PALETTE["blue"])
    top.scatter(prosecuted["when"], prosecuted["value"], marker="s", s=46, facecolor="white",
                edgecolor=PALETTE["blue"], linewidth=1.4, zorder=4)
    off = officials.sort_values("when")
    top.scatter(off["when"], off["value"], marker="D", s=30, color=PALETTE["vermillion"], edgecolor="black",
                linewidth=0.4, zorder=4, clip_on=False)
    top.set_ylim(0, max(conv["value"].max(), prosecuted["value"].max()) * 1.22)
    top.set_xlim(x0, x1)
    top.set_ylabel("People")
    top.yaxis.set_major_formatter(lambda v, _: fmt.number(v))
    top.grid(axis="y", color="#dddddd")
    top.tick_params(labelbottom=False)
    fig.canvas.draw()
    blue_points = list(zip(conv["when"], conv["value"]))
    place_labels(top, blue_points, [fmt.number(v) for v in conv["value"]], colour=PALETTE["blue"],
                 candidates=[((-4, 5), "right", "bottom"), ((4, -5), "left", "top"), ((4, 5), "left", "bottom"),
                             ((-4, -5), "right", "top")])
    place_labels(top, list(zip(prosecuted["when"], prosecuted["value"])),
                 [figure_text(r, with_unit=False) + " prosecuted" for r in prosecuted.to_dict("records")],
                 colour=PALETTE["blue"], avoid=blue_points,
                 candidates=[((0, 8), "center", "bottom"), ((-6, 0), "right", "center"), ((0, -8), "center", "top")])
    # Officials: one label per change of figure, stacked above the baseline so none overprints another.
    shown, last = [], None
    for w, v in zip(off["when"], off["value"]):
        if v != last:
            shown.append((w, v))
        last = v
    heights = [(12, "bottom"), (28, "bottom"), (44, "bottom"), (60, "bottom")]
    place_labels(top, shown, [fmt.number(v) for _, v in shown], colour=PALETTE["vermillion"],
                 candidates=[((0, dy), "center", va) for dy, va in heights])

    y = 0.0
    for key, colour, label in lanes:
        v, levels = stacks[key]
        low.text(x0, y + 0.02, f"{label}: {len(v)} verdicts", va="top", ha="left", color="black")
        ys = [y + label_h + (lv + 0.5) * step for lv in levels]
        low.scatter(v["when"], ys, s=46, color=colour, edgecolor="black", linewidth=0.5, zorder=3)
        y += lane_h[key]
    low.set_ylim(low_h, 0)
    low.set_yticks([])
    low.spines["left"].set_visible(False)
    low.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    low.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
    low.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    low.grid(axis="x", color="#eeeeee")
    top.grid(axis="x", color="#eeeeee")
    low.set_xlabel("Verdicts in the named cases of this report")
    handles = [Line2D([], [], marker="o", color=PALETTE["blue"], label="People convicted over the events (official)"),
               Line2D([], [], marker="s", linestyle="", markerfacecolor="white", markeredgecolor=PALETTE["blue"],
                      markeredgewidth=1.4, label="People prosecuted (government figure)"),
               Line2D([], [], marker="D", linestyle="", color=PALETTE["vermillion"], markeredgecolor="black",
                      markeredgewidth=0.4, label="Officials convicted for abuses, as reported")]
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.02, 1.0), ncol=1, handletextpad=0.4,
               borderaxespad=0.0, labelspacing=0.25)
    return fig


def verdicts(cases):
    """Verdict dates of the named cases (day or month known), with their track."""
    v = cases[cases["verdict"].notna()].copy()
    v["when"] = v["verdict"].map(partial_date)
    v["track"] = [track(r) for r in v.to_dict("records")]
    return v[v["track"].isin(["prosecuted", "officials"])]
