"""Where people died: figures that count deaths in one city, drawn by place and by breakdown.

A reported figure whose scope is one city is linked to that place in the
claim-places table. Each version keeps its publication date and who gave it,
so the chart shows every version side by side rather than one chosen figure.
"""

from __future__ import annotations

from . import fmt


def deaths_by_place(claims, links, places):
    """One row per death figure linked to a place: ``claim_id``, ``place_id``, ``name`` (the place),
    ``value``, ``when`` (publication date), ``reporter``, ``side`` and ``breakdown``; sorted by place
    (largest latest figure first) and date. ``claims`` is :func:`qantar.claims.table`."""
    d = links.merge(claims[(claims["metric"] == "deaths_total") & (claims["scope"] == "city")], on="claim_id")
    d = d.merge(places[["place_id", "name"]], on="place_id")
    d["when"] = d["published_date"]  # NaT where the source's date is not known: drawn, labelled so
    d = d.sort_values(["when", "claim_id"], na_position="last")
    latest = d.groupby("place_id")["value"].max().sort_values(ascending=False, kind="stable")
    order = {p: i for i, p in enumerate(latest.index)}
    d["rank"] = d["place_id"].map(order)
    return d.sort_values(["rank", "when", "claim_id"], na_position="last").drop(columns="rank").reset_index(drop=True)


def _when_text(when) -> str:
    import pandas as pd

    return "date not stated" if pd.isna(when) else fmt.date(when)


def _version_label(r) -> str:
    return f"{_when_text(r['when'])}: {r['reporter']}"


def deaths_alt(points) -> str:
    """Alt text for :func:`deaths_figure`, from the same rows: each place with its versions, the largest first."""
    parts = []
    for name, g in points.groupby("name", sort=False):
        versions = ", ".join(f"{fmt.number(r['value'])} ({_when_text(r['when'])})" for r in g.to_dict("records"))
        parts.append(f"{name}: {versions}")
    top = points.loc[points["value"].idxmax()]
    return (f"Dot chart of the deaths counted in one city, by city and by date of the figure. The largest is "
            f"{top['name']}, {fmt.number(top['value'])} ({_when_text(top['when'])}). " + "; ".join(parts) + ".")


def deaths_figure(points):
    """A dot chart: one row per place (label above the row), one dot per version, coloured by version."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter

    from .figures import PALETTE, WIDTH

    colours = [PALETTE[c] for c in ("vermillion", "orange", "sky", "blue", "green", "purple")]
    versions = points.drop_duplicates(["when", "reporter"]).sort_values("when")
    colour = {(r["when"], r["reporter"]): colours[i % len(colours)] for i, r in enumerate(versions.to_dict("records"))}
    names = list(dict.fromkeys(points["name"]))
    fig, ax = plt.subplots(figsize=(WIDTH, 0.75 * len(names) + 3.2), layout="constrained")
    xmax = points["value"].max() * 1.12
    for i, name in enumerate(names):
        y = -i
        g = points[points["name"] == name]
        ax.axhline(y, color="#e6e6e6", linewidth=0.8, zorder=0)
        ax.text(0, y + 0.22, name, va="bottom", ha="left")
        for r in g.to_dict("records"):
            ax.scatter(r["value"], y, s=60, color=colour[(r["when"], r["reporter"])], edgecolor="black",
                       linewidth=0.5, zorder=3)
        last = g.iloc[-1]
        ax.text(last["value"] + xmax * 0.02, y, fmt.number(last["value"]), va="center", ha="left")
    ax.set_xlim(0, xmax)
    ax.set_ylim(-len(names) + 0.5, 0.8)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
    ax.set_xlabel("People who died (figure as reported)")
    handles = [Line2D([], [], linestyle="", marker="o", markersize=8, color=colour[(r["when"], r["reporter"])],
                      markeredgecolor="black", label=_wrap(_version_label(r)))
               for r in versions.to_dict("records")]
    fig.legend(handles=handles, loc="outside lower left", ncol=1, handletextpad=0.3)
    return fig


def _wrap(text: str, width: int = 38) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))
