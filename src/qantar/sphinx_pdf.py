"""Sphinx extension: parts of the HTML book that the PDF leaves out.

The annexes (every row of every table) make a searchable web page but a long list
on paper. ``qantar_pdf_omit`` in ``_config.yml`` names the documents the PDF leaves
out; each has a one-line pointer in the PDF's introduction to its HTML page and data
file. This extension acts only for the LaTeX builder, on the assembled book:

- the omitted documents are removed (their ``start_of_file`` nodes), so they are
  neither printed nor listed in the contents;
- a link from a chapter into an omitted document (a figure linked to its row in an
  annex) keeps its text and loses the link, so the PDF has no dangling reference.

The HTML book is untouched.
"""

from __future__ import annotations


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
            ref.replace_self(nodes.inline("", "", *ref.children))


def setup(app):
    app.add_config_value("qantar_pdf_omit", [], "env")
    app.connect("doctree-resolved", _omit)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
