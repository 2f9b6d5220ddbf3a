"""Every figure is readable on a phone: in Chromium at a 390-px-wide viewport, the
smallest text of each figure on each chapter page renders at 11 CSS px or more.

The font sizes are read from the figure itself, the SVG the page shows: figures
are saved with their text as glyph outlines (``svg.fonttype: path``), and each
text artist is a ``<g id="text_N">`` group drawn at ``scale(s -s)`` of glyphs
defined at matplotlib's ``TextToPath.FONT_SCALE``, so its size in SVG units is
``s * FONT_SCALE``. The browser gives the rendered width of the image; the
rendered size of a text is its size in SVG units times the rendered width over
the SVG's viewBox width. Each chapter page is opened once at phone width for all the
browser tests (the ``survey`` fixture, ``tests/browsing.py``).
"""

import re
from pathlib import Path
from xml.etree import ElementTree

from browsing import PHONE, figure_boxes

MIN_CSS_PX = 11
SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_text_sizes(path: Path) -> tuple[float, list[tuple[str, float]]]:
    """(viewBox width, [(text, size in SVG units)]) for every text group of a matplotlib SVG."""
    from matplotlib.textpath import TextToPath

    root = ElementTree.parse(path).getroot()
    view_width = float(root.get("viewBox").split()[2])
    sizes = []
    for group in root.iter(f"{SVG_NS}g"):
        if not re.fullmatch(r"text_\d+", group.get("id") or ""):
            continue
        scaled = next((g for g in group.iter(f"{SVG_NS}g") if "scale(" in (g.get("transform") or "")), None)
        assert scaled is not None, f"{path.name}: text group {group.get('id')} has no scaled glyphs"
        sx = float(re.search(r"scale\(([-\d.e]+)", scaled.get("transform")).group(1))
        # matplotlib writes the text itself as a comment before its glyphs
        label = re.search(r"<!--\s*(.*?)\s*-->", ElementTree.tostring(group, encoding="unicode"))
        sizes.append((label.group(1) if label else group.get("id"), abs(sx) * TextToPath.FONT_SCALE))
    return view_width, sizes


def rendered_figures(browser, url: str):
    """[(src, naturalWidth, rendered width)] of the figure images on a page at phone width."""
    page = browser.new_page(viewport=PHONE)
    page.goto(url, wait_until="networkidle")
    found = figure_boxes(page)
    page.close()
    return found


def smallest_text(html: Path, src: str, natural: float, width: float):
    """The smallest text of the figure ``src`` as rendered at ``width`` CSS px: (text, CSS px)."""
    path = html / src.split("/", 3)[3]
    assert path.suffix == ".svg", f"{src}: the HTML book should show the SVG of each figure"
    view_width, sizes = svg_text_sizes(path)
    assert sizes, f"{src}: no text found in the SVG"
    width_pt = float(re.match(r"[\d.]+", ElementTree.parse(path).getroot().get("width")).group(0))
    assert abs(natural - width_pt * 4 / 3) <= 1, (src, natural, width_pt)  # 1 pt = 4/3 CSS px
    text, size = min(sizes, key=lambda t: t[1])
    return text, size * width / view_width


def test_figure_text_is_at_least_11_css_px_on_a_phone(survey, html_book):
    chapters = sorted(p.relative_to(html_book).as_posix() for p in (html_book / "chapters").glob("*.html"))
    report, measured = [], {}
    for rel in chapters:
        for src, loaded, natural, width in survey[rel]["figures"]:
            assert loaded and natural > 0, f"{rel}: {src} did not load"
            assert width <= PHONE["width"], f"{rel}: {src} is wider than the screen ({width:.0f} px)"
            text, px = smallest_text(html_book, src, natural, width)
            measured[f"{rel} {Path(src).name}"] = px
            if px < MIN_CSS_PX:
                report.append(f"{rel}: {Path(src).name}: {text!r} renders at {px:.1f} CSS px (shown {width:.0f} px wide)")
    print("\n".join(f"{k}: smallest text {v:.1f} CSS px" for k, v in measured.items()))
    assert len(measured) >= 6, measured  # the four chapters hold six figures
    assert not report, "\n".join(report)


def test_the_measure_catches_small_text(browser, probe_site):
    """The check above can fail: an 8-inch figure with 8-point labels shown full width measures under 11 px."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder, base = probe_site
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot([1, 2, 3], [3, 1, 2])
    ax.set_xlabel("eight-point label", fontsize=8)
    ax.tick_params(labelsize=8)
    name = "_probe_small_text"
    (folder / "figures").mkdir()
    with matplotlib.rc_context({"svg.fonttype": "path"}):
        fig.savefig(folder / "figures" / f"{name}.svg", format="svg")
    plt.close(fig)
    page_file = folder / f"{name}.html"
    page_file.write_text(f'<html><body><figure><img src="figures/{name}.svg" alt="probe" style="width:100%">'
                         "</figure></body></html>", encoding="utf-8")
    [(src, loaded, natural, width)] = rendered_figures(browser, base + page_file.name)
    text, px = smallest_text(folder, src, natural, width)
    assert loaded
    assert px < MIN_CSS_PX, (text, px)
    assert 4 < px < 6, px  # 8 pt in a 576-pt-wide figure shown about 370 px wide
