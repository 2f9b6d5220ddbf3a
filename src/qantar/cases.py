"""Named cases: the facts the chapter's narrated cases glue, the annex table of every case,
the outcome check, and the two-track chart."""

from __future__ import annotations

import re

import pandas as pd

from .claims import partial_date, partial_date_text
from .data import blank
from .fmt import durations_in_words
from .markup import MyST, anchor, cite, escape, ref, ref_or_text, show, table
from .sourcing import sources_cell

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
    "died": "died", "inquiry": "unofficial inquiry", "cleared": "cleared (legal route not stated)",
    "compensated": "awarded compensation by a court", "released": "released (legal outcome not found)",
    "unknown": "outcome not found",
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
        if _has(row[col]):
            parts.append(f"{word} {partial_date_text(row[col])}")
    return "; ".join(parts)


def _has(value) -> bool:
    return not blank(value)


#: Words in a case's status that state a result (a court decision, a release, a clearing).
RESULT_WORDS = re.compile(r"\b(acquitt\w*|awarded|cleared|convicted|found guilty|released|sentenced|amnestied|"
                          r"upheld|freed)\b", re.IGNORECASE)


def outcome_gaps(cases):
    """Cases whose outcome is 'unknown' although the row records a result: a verdict or a
    release date, or a status that states one ('Court awarded ...', 'Cleared after ...',
    'Released after ...'). Such a row must say what the result was."""
    unknown = cases["outcome"] == "unknown"
    dated = cases["verdict"].map(_has) | cases["released"].map(_has)
    stated = cases["status"].fillna("").map(lambda s: bool(RESULT_WORDS.search(s)))
    return cases[unknown & (dated | stated)]


#: Parts of a sentence (split at semicolons) glued for every case, present or not.
SENTENCE_PARTS = 3


def _link(text, case_id: str) -> MyST:
    """The text as a link to the case's row in the annex (plain text if it cannot be a link)."""
    return ref_or_text(text, "case", case_id)


def _register_person(row):
    """The register's person id for a case about one person who died, or None."""
    from .data import load

    dead = load("dead")
    hit = dead[dead["case_id"] == row["case_id"]]
    return hit.iloc[0]["person_id"] if len(hit) == 1 else None


def glue_case(cases, case_id: str, text: str | None = None):
    """Glue one case's facts for the chapter's prose, under names starting with the lower-case
    case id (``k009``): ``k009_link`` (the name, linking to the case's row in the annex of named
    cases: ``{glue:md}`k009_link:myst```), ``k009_name``, each recorded date as text
    (``k009_detained``, ``k009_verdict``, ...: '24 April 2023'), ``k009_sentence`` and its parts
    (``k009_sentence0``, ``k009_sentence1``: the sentence is split at semicolons) and
    ``k009_outcome``. ``text`` replaces the name as the link's text (a group case is named by
    its trial: 'a court in Taraz'). Returns the row."""
    from myst_nb import glue

    hit = cases[cases["case_id"] == case_id]
    if len(hit) != 1:
        raise KeyError(f"no case {case_id!r}")
    row = hit.iloc[0]
    p = case_id.lower()
    glue(f"{p}_name", row["name"], display=False)
    glue(f"{p}_link", show(_link(text or row["name"], case_id)), display=False)
    # A person in the register of the dead is named with a link to their entry there (which links
    # to the case): ``k150_dead_link``.
    person = _register_person(row)
    if person is not None:
        from .register import person_ref

        glue(f"{p}_dead_link", show(person_ref(text or row["name"], person)), display=False)
    for col in ("detained", "charged", "trial_start", "verdict", "released", "status_as_of"):
        if _has(row[col]):
            glue(f"{p}_{col}", partial_date_text(row[col]), display=False)
    # Running text writes a term under ten years in words ("three years"); the annex keeps digits.
    sentence = durations_in_words(str(row["sentence"])) if _has(row["sentence"]) else ""
    glue(f"{p}_sentence", sentence, display=False)
    parts = [s.strip() for s in sentence.split(";")]
    # Every part name up to SENTENCE_PARTS is glued, empty if the sentence has fewer parts, so
    # any data builds; the chapter's tests check that every value the prose uses is non-empty.
    for i in range(max(len(parts), SENTENCE_PARTS)):
        glue(f"{p}_sentence{i}", parts[i] if i < len(parts) else "", display=False)
    glue(f"{p}_outcome", OUTCOME_LABELS[row["outcome"]], display=False)
    return row


def cases_table(cases, caption: str, name: str = "tbl-annex-cases") -> MyST:
    """Every named case, one row each: id (the row's anchor), name, role, place, charges,
    dates, outcome (with the sentence as stated) and sources."""
    rows = []
    for r in cases.to_dict("records"):
        who = r["name"] + (f" (also {r['other_spellings'].replace(';', ',')})" if _has(r["other_spellings"]) else "")
        outcome = OUTCOME_LABELS[r["outcome"]] + (f": {r['sentence']}" if _has(r["sentence"]) else "")
        rows.append([anchor("case", r["case_id"]), who, ROLE_LABELS[r["role"]],
                     r["place"] if _has(r["place"]) else "not stated",
                     r["charges"] if _has(r["charges"]) else "none recorded",
                     _dates(r) or "not stated", outcome, sources_cell(r["sources"])])
    return table(["Id", "Name", "Role", "Place", "Charges", "Dates", "Outcome", "Sources"], rows,
                 caption=caption, name=name, widths=[7, 12, 9, 9, 14, 13, 15, 21])


#: Claims left out of the official count of people convicted, and why.
NOT_CONVICTIONS = {
    # Le Monde's "almost 1,400 people have been convicted" (read in a copy) matches the government's figure
    # of people criminally prosecuted that Human Rights Watch cited in January 2024, not a count of verdicts.
    "C171": "the government's figure of people prosecuted, restated as convictions in a copy of Le Monde",
}
#: The government's figure of people prosecuted, plotted as such in Fig. 3.1.
PROSECUTED_CLAIM = "C136"


def two_track_series(claims):
    """The series of Fig. 3.1 from the claims table (national figures with a date):
    ``convicted`` (official counts of people convicted over the events), ``prosecuted``
    (the government's figure of people prosecuted) and ``officials`` (reported counts of
    officials convicted for abuses)."""
    national = claims[claims["scope"] == "national"].copy()
    national["when"] = national["as_of_date"].fillna(national["published_date"])
    dated = national["when"].notna() & ~national["claim_id"].isin(list(NOT_CONVICTIONS))
    return {
        "convicted": national[dated & (national["metric"] == "convicted") & (national["side"] == "official")],
        "prosecuted": national[national["claim_id"] == PROSECUTED_CLAIM],
        "officials": national[dated & (national["metric"] == "officials_convicted_abuses")],
    }


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


def ladder_rows(claims, metrics):
    """For each step from a complaint of torture to a conviction (``metrics``, in order): the
    latest reported figure (by publication date, then claim id), the lowest and highest
    versions in the same unit, and how many versions there are."""
    out = []
    for metric in metrics:
        sub = claims[claims["metric"] == metric].sort_values(["published_date", "claim_id"], na_position="first")
        if sub.empty:
            raise KeyError(f"no claims for {metric!r}")
        latest = sub.iloc[-1]
        same = sub[sub["unit"] == latest["unit"]]
        out.append({"label": latest["label"], "latest": latest, "low": same["value"].min(),
                    "high": same[["value", "value_high"]].max(axis=1).max(), "unit": latest["unit"],
                    "versions": len(sub)})
    return out


def ladder_table(ladder, caption: str, name: str) -> MyST:
    """The complaint-to-conviction ladder as a short table; each latest figure links to its row
    in the annex of reported figures."""
    from . import fmt
    from .claims import amount, figure_text

    rows = []
    for step in ladder:
        r = step["latest"]
        spread = (amount(step["low"], step["unit"], with_unit=False) if step["low"] == step["high"] else
                  f"{amount(step['low'], step['unit'], with_unit=False)} to "
                  f"{amount(step['high'], step['unit'], with_unit=False)}")
        rows.append([step["label"], ref(figure_text(r, with_unit=False), "claim", r["claim_id"]),
                     r["reporter"], partial_date_text(r["published"]),
                     f"{spread} ({fmt.plural(step['versions'], 'version')})"])
    return table(["Step", "Latest figure", "Given by", "Published", "All versions"], rows,
                 caption=caption, name=name, widths=[22, 14, 30, 14, 20], align="lrllr")
