"""The accountability tracker: recommendations about January 2022 and what the state did.

Works on the validated ``recommendations`` table (see ``data/datapackage.json``).
Each row is one recommendation addressed to the Kazakh authorities, with who made
it and when, and a *status* coded by the rules the Conclusions chapter states:

- ``implemented``: a source documents that the state did what was asked;
- ``partly``: a source documents action that meets part of the request (for
  example some prosecutions, where accountability was asked for);
- ``not_implemented``: a source documents that the request was refused, or that
  what was done lacks its core (an investigation that is not independent, where
  independence was asked for);
- ``no_information``: no source read for this report documents an action either way.

Every status except ``no_information`` must name the source that documents it
(:func:`check`); the date of that evidence is ``status_as_of``. Nothing here
decides a status: the functions count, draw and tabulate the coded table.
"""

from __future__ import annotations

import pandas as pd

from . import fmt, markup
from .claims import partial_date_text
from .figures import PALETTE
from .markup import MyST, cite, md

#: Statuses in the order the book shows them, with the words it uses.
STATUS_LABELS = {
    "implemented": "implemented",
    "partly": "partly implemented",
    "not_implemented": "not implemented",
    "no_information": "no information",
}
#: Okabe-Ito colours: green for done, orange for part, vermillion for not done, grey for unknown.
STATUS_COLOURS = {
    "implemented": PALETTE["green"],
    "partly": PALETTE["orange"],
    "not_implemented": PALETTE["vermillion"],
    "no_information": PALETTE["grey"],
}
#: Text colour on each bar colour (contrast with the fill).
_INK = {"implemented": "white", "partly": "black", "not_implemented": "white", "no_information": "black"}

#: Who made the recommendations, in the order the book shows them.
ACTOR_LABELS = {
    "un": "UN bodies and mechanisms",
    "osce": "OSCE",
    "eu": "European Parliament",
    "coe": "Members of PACE",
    "government": "Foreign governments",
    "ngo": "Rights groups",
}

TOPIC_LABELS = {
    "investigation": "investigation and accountability",
    "torture": "torture",
    "detention_release": "release of detainees",
    "fair_trial": "fair trial and prosecutions",
    "compensation": "compensation",
    "media_internet": "media and the internet",
    "use_of_force": "use of force",
    "legal_reform": "law reform",
    "other": "other",
}


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) or str(value) == ""


def check(recs) -> list[str]:
    """Rules a Table Schema cannot state: a status other than ``no_information`` names its
    source and quotes it. Returns the problems found (empty when none)."""
    problems = []
    for r in recs.to_dict("records"):
        if r["status"] != "no_information":
            for col in ("status_source_key", "status_quote"):
                if _blank(r[col]):
                    problems.append(f"recommendation {r['recommendation_id']}: status {r['status']!r} "
                                    f"needs {col}")
    return problems


def load(package_path=None):
    """The recommendations table, validated against the data package and :func:`check`."""
    from . import paths
    from .data import DataError
    from .data import load as load_table

    recs = load_table("recommendations", package_path or paths.DATAPACKAGE)
    problems = check(recs)
    if problems:
        raise DataError(problems)
    return recs


def as_of(recs) -> str:
    """The date the statuses were coded: the latest evidence or search date in the table."""
    return partial_date_text(max(recs["status_as_of"]))


def counts(recs) -> dict[str, int]:
    """How many recommendations have each status (every status, zeros included)."""
    vc = recs["status"].value_counts()
    return {s: int(vc.get(s, 0)) for s in STATUS_LABELS}


def by_actor(recs):
    """Actor type x status counts, rows and columns in the book's order (empty actor types dropped)."""
    tab = pd.crosstab(recs["actor_type"], recs["status"])
    tab = tab.reindex(index=[a for a in ACTOR_LABELS if a in tab.index], columns=list(STATUS_LABELS), fill_value=0)
    return tab.astype(int)


def glue_counts(recs) -> dict[str, str]:
    """Glue the counts the chapter prints (as text) and return them by name:
    ``rec_n``, ``rec_<status>``, ``rec_actor_<type>``, ``rec_topic_<topic>``,
    ``rec_first``, ``rec_last``, ``rec_as_of``."""
    from myst_nb import glue

    out = {"rec_n": fmt.count(len(recs))}
    for s, n in counts(recs).items():
        out[f"rec_{s}"] = fmt.count(n)
    for a in ACTOR_LABELS:
        out[f"rec_actor_{a}"] = fmt.count(int((recs["actor_type"] == a).sum()))
    for t in TOPIC_LABELS:
        out[f"rec_topic_{t}"] = fmt.count(int((recs["topic"] == t).sum()))
    dates = sorted(recs["date"])
    out["rec_first"] = partial_date_text(dates[0])
    out["rec_last"] = partial_date_text(dates[-1])
    out["rec_as_of"] = as_of(recs)
    for name, text in out.items():
        glue(name, text, display=False)
    return out


def status_phrase(recs, status: str) -> MyST:
    """'3 recommendations were coded implemented', with agreement ('1 recommendation was')."""
    n = counts(recs)[status]
    return md("{} {} coded {}", fmt.plural(n, "recommendation"), "was" if n == 1 else "were", STATUS_LABELS[status])


def topics_of(recs, status: str) -> list[str]:
    """The topics (as words) of the recommendations with ``status``, most frequent first."""
    vc = recs[recs["status"] == status]["topic"].value_counts()
    return [TOPIC_LABELS[t] for t in vc.index]


def figure(recs):
    """Horizontal stacked bars: one bar per actor type, one segment per status, counts in
    the segments, the legend on top. Each bar is labelled above it (phone first: the bars
    keep the whole width)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from .figures import WIDTH

    tab = by_actor(recs)
    n_rows = len(tab)
    fig, ax = plt.subplots(figsize=(WIDTH, 0.95 * n_rows + 1.2))
    height = 0.42
    total_max = int(tab.sum(axis=1).max())
    for i, (actor, row) in enumerate(tab.iterrows()):
        y = n_rows - 1 - i
        left = 0
        for status in STATUS_LABELS:
            n = int(row[status])
            if not n:
                continue
            ax.barh(y, n, left=left, height=height, color=STATUS_COLOURS[status], edgecolor="white", linewidth=1)
            ax.text(left + n / 2, y, str(n), ha="center", va="center", color=_INK[status])
            left += n
        ax.text(0, y + height / 2 + 0.06, f"{ACTOR_LABELS[actor]} ({int(row.sum())})", ha="left", va="bottom")
    ax.set_ylim(-0.5, n_rows - 0.1)
    ax.set_xlim(0, total_max * 1.02)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("Recommendations")
    handles = [Patch(facecolor=STATUS_COLOURS[s], label=STATUS_LABELS[s].capitalize()) for s in STATUS_LABELS]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2, handlelength=1.2,
              columnspacing=1.0, borderaxespad=0.2)
    fig.tight_layout()
    return fig


def alt_text(recs) -> str:
    """The figure's alt text, stating what it shows from the same counts."""
    c = counts(recs)
    parts = [f"{fmt.number(c[s])} {STATUS_LABELS[s]}" for s in STATUS_LABELS]
    tab = by_actor(recs)
    rows = []
    for actor, row in tab.iterrows():
        shown = [f"{int(row[s])} {STATUS_LABELS[s]}" for s in STATUS_LABELS if int(row[s])]
        rows.append(f"{ACTOR_LABELS[actor]}, {fmt.plural(int(row.sum()), 'recommendation')}: {', '.join(shown)}")
    return (f"Stacked bar chart of {fmt.plural(len(recs), 'recommendation')} about January 2022 by who made them "
            f"and what the state has done, as of {as_of(recs)}. In all: {', '.join(parts)}. "
            + ". ".join(rows) + ".")


def table(recs, caption: str, name: str) -> MyST:
    """Every recommendation as a compact numbered table of four columns (so that it fits a
    printed page): the anchor; who made it, when, and what it asked; the status with the date
    of its evidence (for 'no information', the date of the search); the sources (the
    recommendation's, then 'status:' and the status's)."""
    rows = []
    # A date known only to the month (or year) sorts after the days of that month (or year).
    order = recs.assign(_key=recs["date"].map(lambda d: d + "-99" * (2 - d.count("-"))))
    for r in order.sort_values(["_key", "recommendation_id"]).to_dict("records"):
        sources = cite(r["source_key"])
        if not _blank(r["status_source_key"]):
            sources = sources + MyST("; status: ") + cite(r["status_source_key"])
        when = partial_date_text(r["status_as_of"])
        status = (md("{} (search of {})", STATUS_LABELS[r["status"]].capitalize(), when)
                  if r["status"] == "no_information" else
                  md("{} (as of {})", STATUS_LABELS[r["status"]].capitalize(), when))
        rows.append([markup.anchor("rec", r["recommendation_id"]),
                     md("**{}**, {}: {}", r["actor"], partial_date_text(r["date"]), r["recommendation"]),
                     status, sources])
    return markup.table(["No.", "Who, when, and what they recommended", "Status", "Sources"], rows,
                        caption=caption, name=name, widths=[8, 50, 17, 25])


def topic_table(recs, caption: str, name: str) -> MyST:
    """Status counts by topic (topics with at least one recommendation), with a total row."""
    statuses = list(STATUS_LABELS)
    rows = []
    for topic, label in TOPIC_LABELS.items():
        sub = recs[recs["topic"] == topic]
        if len(sub):
            rows.append([label.capitalize(), *[int((sub["status"] == s).sum()) for s in statuses], len(sub)])
    rows.append(["All topics", *[int((recs["status"] == s).sum()) for s in statuses], len(recs)])
    return markup.table(["Topic", *[STATUS_LABELS[s].capitalize() for s in statuses], "All"], rows,
                        caption=caption, name=name, align="lrrrrr")


def sentence_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return fmt.and_list(items)


__all__ = ["STATUS_LABELS", "STATUS_COLOURS", "ACTOR_LABELS", "TOPIC_LABELS", "check", "load", "as_of", "counts",
           "by_actor", "glue_counts", "status_phrase", "topics_of", "figure", "alt_text", "table", "topic_table",
           "sentence_list"]
