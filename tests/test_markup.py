"""The escaping layer (qantar.markup) and the rule that every helper goes through it."""

import ast
import html
import re

import pytest

from qantar import markup, notebooks, paths
from test_validation import PAYLOADS


def _render(myst: str) -> str:
    """Render MyST with the parser the book uses (markdown-it with MyST's plugins) to HTML."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    md = MarkdownIt("commonmark").enable("table").use(myst_role_plugin).use(colon_fence_plugin).use(deflist_plugin)
    return md.render(myst)


@pytest.mark.parametrize("payload", PAYLOADS + ["| a | b |", "# heading", "1. item", "* bullet", "&amp; &lt;",
                                                "a\\\nb", "    code", "<!-- c -->", "[x]: http://x", "{{ version }}"])
def test_escaped_text_renders_as_itself(payload):
    out = _render(str(markup.md("Before {} after", payload)))
    assert out.startswith("<p>") and out.count("<p>") == 1, out
    text = html.unescape(re.sub(r"</?p>\n?", "", out))
    assert " ".join(text.split()) == " ".join(("Before " + payload + " after").split())


def test_plain_strings_are_escaped_when_combined():
    m = markup.trusted("**bold** ") + "<b>x</b>"
    assert "<b>" not in m and isinstance(m, markup.MyST)
    assert "\\<b\\>" in markup.join(["<b>", markup.trusted("<i>")], " ")
    assert markup.md("{}", markup.trusted("*kept*")) == "*kept*"


def test_show_refuses_plain_strings():
    with pytest.raises(TypeError):
        markup.show("- **a plain string**")
    assert markup.show(markup.trusted("ok")).data == "ok"


def test_links_only_for_http():
    assert markup.link("x", "javascript:alert(1)") == "x"
    assert markup.link("x", "file:///etc/passwd") == "x"
    assert markup.link("x", "https://example.org/a b").endswith("(<https://example.org/a%20b>)")


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/etc/passwd", "data/x.csv` {raw}", "a b"])
def test_download_refuses_other_paths(bad):
    with pytest.raises(ValueError):
        markup.download(bad)


@pytest.mark.parametrize("bad", ["k1`{raw}", "a b", "", "x,y"])
def test_cite_refuses_other_keys(bad):
    with pytest.raises(ValueError):
        markup.cite([bad])


def test_code_block_cannot_be_closed_from_inside():
    block = markup.code_block("text\n```\n{raw} html", "bibtex")
    assert block.startswith("````bibtex\n") and block.endswith("\n````\n")


def _chapter_code(md_path):
    import jupytext

    nb = jupytext.read(md_path, fmt="md:myst")
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


SOURCES = sorted(paths.PACKAGE.glob("*.py"))


@pytest.mark.parametrize("path", SOURCES + notebooks.chapter_sources(), ids=lambda p: p.name)
def test_no_helper_bypasses_the_layer(path):
    """Only qantar.markup may construct IPython's Markdown/HTML outputs or write roles by hand."""
    if path.name == "markup.py":
        return
    code = path.read_text(encoding="utf-8") if path.suffix == ".py" else _chapter_code(path)
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = {a.name for a in node.names}
            assert not ({"Markdown", "HTML", "Latex", "display_markdown", "display_html"} & names), \
                f"{path.name}:{node.lineno} imports a raw output class; use qantar.markup.show"
        if isinstance(node, ast.Attribute) and node.attr in ("Markdown", "HTML", "Latex"):
            pytest.fail(f"{path.name}:{node.lineno} uses {node.attr}; use qantar.markup.show")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not re.search(r"\{(cite|download|raw|include|literalinclude)[:}]", node.value), \
                f"{path.name}:{node.lineno} writes a role or directive by hand; use qantar.markup"


def test_the_bypass_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from IPython.display import Markdown\nMarkdown(f'{{cite:p}}`{key}`')\n")
    with pytest.raises(AssertionError):
        test_no_helper_bypasses_the_layer(bad)


def test_needspace_takes_only_a_line_count():
    assert "\\needspace{12\\baselineskip}" in markup.needspace(12)
    for bad in ("12}\\input{x", 0, 1000, 2.5, True):
        with pytest.raises(ValueError):
            markup.needspace(bad)
