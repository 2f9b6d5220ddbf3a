"""Sphinx extension for the HTML book: accessible markup, light icons, searchable tables.

Registered in ``_config.yml`` (``sphinx.config.extensions``); the templates it
works with are in ``_templates/``. It is a subpackage so that the chapters'
staleness digest (``qantar.notebooks``, the package's top-level modules) does not
cover it: it changes how pages look, never what a chapter computes.

- **Accessibility.** docutils writes the bibliography as
  ``<div role="list">`` holding ``<div role="doc-biblioentry">`` entries; that
  role is deprecated in ARIA 1.2 and is not a list item, so axe-core reports a
  critical ``aria-required-children`` and two minor findings per entry. Each entry
  becomes ``role="listitem"`` (the list keeps the class ``citation-list``). The
  theme's search buttons and logo are fixed in ``_templates/``.
- **Icons.** The theme shows about a dozen Font Awesome icons. It loads
  ``fontawesome.js`` (1.49 MB) to swap them for SVG, although its style sheet
  already draws the same glyphs from the Font Awesome webfont. ``_templates/layout.html``
  drops the script and links ``_static/styles/qantar-theme.css`` instead of the
  theme's style sheet: :func:`subset_theme` writes it after the build, without
  the rules of icons no page uses (86 kB), with the icon fonts pointed at
  ``qantar-fa-*.woff``, the theme's fonts cut down to the glyphs in use (3 kB
  instead of 156 kB for the solid one; the brands one draws the GitHub mark that
  the theme puts before links to github.com).
- **Tables.** Full tables carry the class ``qantar-full``: those emitted by
  :class:`qantar.claims.FullTable`, and every table of at least
  ``LONG_TABLE_ROWS`` rows on the annex and appendix pages
  (``qantar_full_table_docs``), marked here. Pages that contain one
  load simple-datatables (vendored from the npm registry, unmodified, with its
  licence, in ``static/`` here), which makes the table searchable, sortable and
  filterable in place, every row staying in the page (links to a row's anchor
  keep working). Without JavaScript, and in the PDF, the table stays a plain table.
- **Weight.** On those annex and appendix pages a source is cited in every row;
  the citation links lose their tooltip (the whole reference), which keeps each
  page under 1 MB. The link to the bibliography entry stays.
"""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).with_name("static")
TABLE_CLASS = "qantar-full"
LONG_TABLE_ROWS = 30

_CITATION = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')
_FA_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_FA_CLASS_ONLY = re.compile(r"\s*\.fa-[a-z0-9-]+::?(?:before|after)\s*")
_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
_ICON_CLASSES = re.compile(r'class="([^"]*\bfa-[^"]*)"')
_CITATION_TOOLTIP = re.compile(r'(<a class="reference internal" href="[^"]*bibliography\.html#[^"]*") title="[^"]*"')
_CITATION_TITLE = re.compile(r'(<a class="reference internal" href="[^"]*bibliography\.html#[^"]*" title=")([^"]*)(")')
#: Length of a citation's tooltip on a chapter page: the start of the reference (author, year, title).
TOOLTIP_CHARS = 110


def fix_citation_roles(body: str) -> str:
    """Bibliography entries as ARIA list items (see the module docstring)."""
    return _CITATION.sub(r'\1 role="listitem"', body)


def shorten_citation_tooltips(body: str, limit: int = TOOLTIP_CHARS) -> str:
    """Citation tooltips cut to their first ``limit`` characters (at a word, with an ellipsis): the
    author, year and title, which is what a reader hovering needs; the whole reference is one click
    away. A chapter cites hundreds of times, and the whole references weighed 50 to 80 kB a page."""
    import html

    def cut(m):
        text = html.unescape(m.group(2))
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + "…"
        return m.group(1) + html.escape(text, quote=True) + m.group(3)

    return _CITATION_TITLE.sub(cut, body)


def drop_citation_tooltips(body: str) -> str:
    """Citation links without their ``title`` tooltip (the whole reference, about 330 bytes a
    link). The annex and appendix pages cite a source in every row, hundreds of times: the
    tooltips alone would weigh more than 100 kB there. The link to the bibliography stays."""
    return _CITATION_TOOLTIP.sub(r"\1", body)


def _codepoints(text: str) -> set[int]:
    points = {int(m.group(1), 16) for m in _ESCAPE.finditer(text)}
    points |= {ord(c) for c in text if 0xE000 <= ord(c) <= 0xF8FF}
    return {p for p in points if p >= 0x20}


def icon_codepoints(css_files) -> set[int]:
    """Every glyph the style sheets can draw: ``content`` values (icon classes, menus,
    admonitions) and the theme's ``--pst-icon-*`` variables."""
    points: set[int] = set()
    for css in css_files:
        for _, body in _FA_RULE.findall(Path(css).read_text(encoding="utf-8", errors="replace")):
            if "content:" in body:
                points |= _codepoints(body.split("content:", 1)[1])
            if "--pst-icon" in body:
                points |= _codepoints(body)
    return points


THEME_CSS = "styles/pydata-sphinx-theme.css"  # under _static
#: Appended to the theme's style sheet: words in paragraphs and list items wrap when they would overflow.
TEXT_CSS = "main p,main li,main dd{overflow-wrap:break-word}"
OWN_CSS = "styles/qantar-theme.css"  # the same style sheet, icons subset (linked by _templates/layout.html)
FONT_DIR = "vendor/fontawesome/webfonts"  # under _static
ICON_FONTS = ("fa-solid-900", "fa-regular-400", "fa-brands-400")  # written as styles/qantar-<face>.woff
# Icons the theme's scripts add at run time (announcement and version banners).
SCRIPT_ICONS = {"fa-xmark"}


def _fa_rule_classes(selectors: str) -> list[str] | None:
    parts = selectors.split(",")
    if all(_FA_CLASS_ONLY.fullmatch(p) for p in parts):
        return [p.strip().split(":")[0][1:] for p in parts]
    return None


def used_icon_classes(html_files) -> set[str]:
    used = set(SCRIPT_ICONS)
    for page in html_files:
        for classes in _ICON_CLASSES.findall(Path(page).read_text(encoding="utf-8")):
            used |= {c for c in classes.split() if c.startswith("fa-")}
    return used


def subset_theme(outdir: Path) -> tuple[Path, list[Path]]:
    """Write the theme's style sheet with only the icon rules in use, and each of its icon
    fonts (solid, regular, brands) cut down to the glyphs those rules and the style sheets
    draw (WOFF, deterministic). Returns the style sheet and the fonts written."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    static = outdir / "_static"
    pages = [p for p in outdir.rglob("*.html") if "_static" not in p.parts]
    used = used_icon_classes(pages)
    css = (static / THEME_CSS).read_text(encoding="utf-8")

    def keep(match):
        classes = _fa_rule_classes(match.group(1))
        return match.group(0) if classes is None or used & set(classes) else ""

    own = _FA_RULE.sub(keep, css)
    for face in ICON_FONTS:
        src = re.compile(rf"src:url\(\.\./vendor/fontawesome/webfonts/{face}\.woff2\)[^;}}]*")
        assert len(src.findall(own)) == 1, f"the theme's icon font {face} is not where expected"
        own = src.sub(f'src:url(qantar-{face}.woff) format("woff")', own)
    # The book's own rule: a long word in running text (a query, a place list) wraps rather than
    # pushing a phone's page sideways.
    own += "\n" + TEXT_CSS + "\n"
    (static / OWN_CSS).write_text(own, encoding="utf-8")

    points = icon_codepoints([static / OWN_CSS, *(p for p in sorted(static.rglob("*.css")) if p.name != Path(THEME_CSS).name)])
    written = []
    for face in ICON_FONTS:
        font = TTFont(static / FONT_DIR / f"{face}.ttf")
        options = subset.Options()
        options.flavor = "woff"
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.recalc_timestamp = False
        options.ignore_missing_unicodes = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(points))
        subsetter.subset(font)
        font.flavor = "woff"
        font.save(static / "styles" / f"qantar-{face}.woff")
        written.append(static / "styles" / f"qantar-{face}.woff")
    return static / OWN_CSS, written


def _mark_long_tables(app, doctree, docname):
    from fnmatch import fnmatch

    from docutils import nodes

    if app.builder.format != "html" or not any(fnmatch(docname, p) for p in app.config.qantar_full_table_docs):
        return
    for table in doctree.findall(nodes.table):
        if sum(len(body.children) for body in table.findall(nodes.tbody)) >= LONG_TABLE_ROWS:
            table["classes"].append(TABLE_CLASS)


def _page_context(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if not body:
        return
    from fnmatch import fnmatch

    body = context["body"] = fix_citation_roles(body)
    if any(fnmatch(pagename, p) for p in app.config.qantar_full_table_docs):
        context["body"] = drop_citation_tooltips(body)
    else:
        context["body"] = shorten_citation_tooltips(body)
    if f'class="{TABLE_CLASS}' in body or f" {TABLE_CLASS}" in body:
        app.add_css_file("simple-datatables/style.css")
        app.add_css_file("qantar-tables.css")
        app.add_js_file("simple-datatables/simple-datatables.js")
        app.add_js_file("qantar-tables.js")
    if "sd-tab" not in body and "script_files" in context:  # sphinx-design's tabs script, else on every page
        context["script_files"] = [js for js in context["script_files"]
                                   if not str(getattr(js, "filename", js)).endswith("design-tabs.js")]


def _build_finished(app, exception):
    if exception is None and app.builder.format == "html":
        subset_theme(Path(app.outdir))


def _builder_inited(app):
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))


def _plugins_found_once():
    """sphinxcontrib-bibtex looks up pybtex's plain-text backend once per citation, and
    pybtex looks for it among every installed package's entry points each time (12 ms a
    time, 1,400 citations: 17 s of a 40 s build). Registered at run time, through
    pybtex's own API, the same class is found at once."""
    from pybtex.backends.plaintext import Backend
    from pybtex.plugin import find_plugin, register_plugin

    assert find_plugin("pybtex.backends", "plaintext") is Backend
    register_plugin("pybtex.backends", "plaintext", Backend, force=True)


def setup(app):
    _plugins_found_once()
    app.connect("builder-inited", _builder_inited)
    # Pages whose long tables are full tables: the annexes and appendices (chapters keep
    # their short tables plain, and their pages light).
    app.add_config_value("qantar_full_table_docs", ["chapters/8*", "chapters/9*"], "env")
    app.connect("doctree-resolved", _mark_long_tables)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
