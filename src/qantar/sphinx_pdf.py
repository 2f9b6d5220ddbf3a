"""Sphinx extension: parts of the HTML book that the PDF leaves out.

The annexes (every row of every table) make a searchable web page but a long list
on paper. ``qantar_pdf_omit`` in ``_config.yml`` names the documents the PDF leaves
out; each has a one-line pointer in the PDF's introduction to its HTML page and data
file. This extension acts only for the LaTeX builder, on the assembled book:

- the omitted documents are removed (their ``start_of_file`` nodes), so they are
  neither printed nor listed in the contents;
- a link from a chapter into an omitted document (a figure linked to its row in an
  annex) keeps its text and loses the link, so the PDF has no dangling reference; a
  reference to an annex as a whole ("Annex 2") also says where to find it: "(HTML
  edition)".

- a figure's entry in the list of figures is its caption's first sentence (LaTeX's short
  caption, ``\\caption[short]{long}``): the full caption, with its sources, stays under the
  figure.

The HTML book is untouched.
"""

from __future__ import annotations

import re


def _omit(app, doctree, docname):
    from docutils import nodes
    from sphinx import addnodes

    omit = set(app.config.qantar_pdf_omit)
    if app.builder.format != "latex" or not omit:
        return
    for node in list(doctree.findall(addnodes.start_of_file)):
        if node.get("docname") in omit:
            node.parent.remove(node)
    for ref in list(doctree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        if uri.startswith("%") and uri[1:].split("#", 1)[0] in omit:
            whole = uri.split("#", 1)[-1].startswith("annex-")
            ref.replace_self([nodes.inline("", "", *ref.children)]
                             + ([nodes.Text(" (HTML edition)")] if whole else []))


_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s+[A-Z(]|\s*$)", re.S)


def short_caption(text: str) -> str:
    """A caption's first sentence, for the list of figures."""
    text = " ".join(text.split())
    m = _FIRST_SENTENCE.match(text)
    return m.group(1) if m else text


def _translator():
    from docutils import nodes
    from sphinx.writers.latex import LaTeXTranslator

    class Translator(LaTeXTranslator):
        """The LaTeX writer, with a short caption for each figure's list-of-figures entry."""

        def visit_caption(self, node):
            super().visit_caption(node)
            if isinstance(node.parent, nodes.figure) and self.body[-1] in ("\\caption{", "\\captionof{figure}{"):
                opening = self.body.pop()
                self.body.append(opening[:-1] + "[{" + self.encode(short_caption(node.astext())) + "}]{")

    return Translator


def _latex_translator(app):
    # Registered only for a LaTeX build: pydata-sphinx-theme wraps whatever translators are
    # registered, and adds its accessible HTML (aria-level on the sidebar's headings) only to
    # the default one when none is.
    if app.builder.format == "latex":
        app.set_translator(app.builder.name, _translator(), override=True)


def setup(app):
    app.add_config_value("qantar_pdf_omit", [], "env")
    app.connect("doctree-resolved", _omit)
    app.connect("builder-inited", _latex_translator)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
