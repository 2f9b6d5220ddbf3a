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


def tracks_figure(convicted, officials, verdicts):
    """Two panels on one time axis.

    Top: the official count of people convicted over the events, by date of the
    figure. Bottom: verdicts in the named cases of this report, by track.
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from . import fmt
    from .figures import PALETTE

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5.2), sharex=True,
                                      gridspec_kw={"height_ratios": [2.2, 1]})
    conv = convicted.sort_values("when")
    top.plot(conv["when"], conv["value"], marker="o", color=PALETTE["blue"], label="People convicted over the events (official)")
    previous = None
    for w, v in zip(conv["when"], conv["value"]):
        below = previous is not None and v < previous  # a falling figure is labelled below its point
        top.annotate(fmt.number(v), (w, v), xytext=(3, -11 if below else 5), textcoords="offset points",
                     fontsize=8, color=PALETTE["blue"])
        previous = v
    off = officials.sort_values("when")
    top.scatter(off["when"], off["value"], marker="D", color=PALETTE["vermillion"], edgecolor="black", linewidth=0.4,
                zorder=4, label="Officials convicted for abuses (as reported at each date)")
    labelled = None
    for w, v in zip(off["when"], off["value"]):
        if v == labelled:  # the same figure repeated weeks later: one label is enough
            continue
        labelled = v
        top.annotate(fmt.number(v), (w, v), xytext=(3, 5), textcoords="offset points", fontsize=8,
                     color=PALETTE["vermillion"])
    top.set_ylabel("People")
    top.set_ylim(0, conv["value"].max() * 1.2)
    top.legend(loc="upper left", fontsize=8, frameon=False)
    top.grid(axis="y", color="#dddddd")
    lanes = {"prosecuted": (1, PALETTE["blue"], "Protesters and others"), "officials": (0, PALETTE["vermillion"], "Officers tried for abuses")}
    for key, (y, colour, _label) in lanes.items():
        v = verdicts[verdicts["track"] == key]
        bottom.scatter(v["when"], [y] * len(v), s=40, color=colour, edgecolor="black", linewidth=0.4, zorder=3)
    bottom.set_yticks([lanes[k][0] for k in lanes], [lanes[k][2] for k in lanes], fontsize=8)
    bottom.set_ylim(-0.6, 1.6)
    bottom.set_xlabel("Verdicts in the named cases of this report (one marker per verdict)")
    bottom.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    bottom.grid(axis="x", color="#eeeeee")
    return fig


def verdicts(cases):
    """Verdict dates of the named cases (day or month known), with their track."""
    v = cases[cases["verdict"].notna()].copy()
    v["when"] = v["verdict"].map(partial_date)
    v["track"] = [track(r) for r in v.to_dict("records")]
    return v[v["track"].isin(["prosecuted", "officials"])]
