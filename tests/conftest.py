"""Shared fixtures, and how the suite runs in parallel.

``make test`` runs pytest-xdist with two workers (``-n 2 --dist loadscope``). So that
nothing is built twice and no two workers write the same files:

- each test module (each notebook, for nbval) is one unit of work that runs whole on
  one worker (``pytest_xdist_make_scheduler`` below), and modules that share a session
  fixture form one unit (``SHARED``):
  the browser tests share one survey of the book, the stale-data and injection tests
  one changed copy of the repository;
- the HTML and PDF books are built once per run, whichever worker needs them first,
  under a file lock (``_build/.tests.lock``); the other worker waits for that build;
- units start longest first (``ORDER``), so that both workers finish at about the same
  time; unlisted modules follow in their usual order.

Run alone (no ``-n``), the suite behaves the same, one test after the other.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qantar import paths

# What a copy of the repository leaves out: environments, builds, caches, half-written files.
COPY_IGNORE = shutil.ignore_patterns(".venv", ".venv-lab", "_build", ".git", "__pycache__", ".pytest_cache",
                                     "*.egg-info", "*.partial")


def repo_copy(target: Path) -> Path:
    """A copy of the repository at ``target`` (its sources, data, notebooks and figures)."""
    shutil.copytree(paths.ROOT, target, ignore=COPY_IGNORE)
    return target


@pytest.fixture
def data_copy(tmp_path):
    """A throw-away copy of data/, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


def edit_csv(path: Path, edit):
    """Apply ``edit(rows)`` to a CSV's rows (header first) and write it back."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    edit(rows)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def chapter_outputs(md_name: str, glued: bool = False) -> str:
    """The Markdown outputs of a chapter's executed notebook, one after the other; with ``glued``,
    also its plain-text outputs and the values it glues (Markdown and plain text)."""
    import json

    from qantar import notebooks

    nb = json.loads(notebooks.notebook_for(paths.CHAPTERS / md_name).read_text(encoding="utf-8"))
    mimes = ("text/markdown", "text/plain") if glued else ("text/markdown",)
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            for mime in mimes:
                parts.append("".join(data.get(mime, "")))
                if glued:
                    parts.append("".join(data.get("application/papermill.record/" + mime, "")))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def events():
    """The chronology's events, each with its sources (qantar.timeline.with_sources)."""
    from qantar import timeline
    from qantar.data import load

    return timeline.with_sources(load("events"), load("event_sources"))


JB = str(Path(sys.executable).with_name("jupyter-book"))
HTML = paths.ROOT / "_build" / "html"


def build_book(*extra, root: Path = paths.ROOT):
    """Build the book strictly (-W -n); fail with the warnings if there are any."""
    result = subprocess.run([JB, "build", str(root), "-W", "-n", "--keep-going", *extra],
                            capture_output=True, text=True)
    log = result.stdout + result.stderr
    warnings = [l for l in log.splitlines() if "WARNING" in l or "ERROR" in l]
    assert result.returncode == 0 and not warnings, "\n".join(warnings) or log[-3000:]


PDF = paths.ROOT / "_build" / "latex" / "bloody-january.pdf"


def _once_per_run(name: str, build, lock: str = "tests"):
    """Run ``build()`` once per test run, even with several xdist workers: the first worker
    to get here builds under a file lock, the others wait for it and then use its result.
    Builds that share a lock never run at the same time (the HTML and PDF books share
    ``_build/.doctrees``, so they share the default lock)."""
    from filelock import FileLock

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run is None:  # one process: a session fixture runs once anyway
        build()
        return
    stamp = paths.ROOT / "_build" / f".tests-{name}.run"
    if stamp.exists() and stamp.read_text() == run:
        return
    stamp.parent.mkdir(exist_ok=True)
    with FileLock(paths.ROOT / "_build" / f".{lock}.lock"):
        if stamp.exists() and stamp.read_text() == run:
            return
        build()
        stamp.write_text(run)


@pytest.fixture(scope="session")
def pdf_book():
    """The PDF book, built once per test session (strictly), so no test reads a stale PDF."""
    assert shutil.which("xelatex") and shutil.which("pdftotext"), "TeX or poppler missing: run `make system-deps`"
    _once_per_run("pdf", lambda: build_book("--builder", "pdflatex"))
    assert PDF.exists()
    return PDF


@pytest.fixture(scope="session")
def html_book():
    """The HTML book, built once per test session from the committed notebooks."""
    _once_per_run("html", build_book)
    return HTML


# The built book in Chromium (tests/browsing.py).

@pytest.fixture(scope="session")
def site(html_book):
    """The HTML book served on 127.0.0.1: its base URL."""
    from browsing import serve

    with serve(html_book) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright (which downloads no browser of its own); one per
    test module, closed at its end (Playwright's sync API runs an event loop meanwhile)."""
    from browsing import launch

    with launch() as b:
        yield b


@pytest.fixture(scope="session")
def survey(site, html_book) -> dict[str, dict]:
    """Every page of the book visited once, at desktop and then at phone width, with what
    the browser tests check (``browsing.survey``). It runs in a thread of its own, with its
    own Chromium, so that it can start while a test module's ``browser`` is open."""
    from concurrent.futures import ThreadPoolExecutor

    from browsing import launch, survey as run_survey

    def run():
        with launch() as b:
            return run_survey(b, site, html_book)

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


@pytest.fixture(scope="session")
def probe_site(html_book, tmp_path_factory):
    """A served folder for pages with a known fault (the probes showing that a check can fail),
    beside the book rather than in it, so no other test, on any worker, ever sees them. Its
    ``_static`` and ``_images`` are the book's. Yields (folder, base URL)."""
    from browsing import serve

    folder = tmp_path_factory.mktemp("probes")
    for name in ("_static", "_images"):
        (folder / name).symlink_to(html_book / name, target_is_directory=True)
    with serve(folder) as base:
        yield folder, base


# One copy of the repository changed twice, shared by tests/test_stale.py, tests/test_injection.py
# and tests/test_regenerate.py.

REBUILT = paths.ROOT / "_build" / "tests-rebuilt"  # the changed copy, shared by both workers


def _build_rebuilt_copy():
    import json
    import test_injection
    import test_stale

    shutil.rmtree(REBUILT, ignore_errors=True)
    REBUILT.mkdir(parents=True)
    copy = repo_copy(REBUILT / "repo")
    number_check = test_stale.change_a_number(copy)["number_check"]
    record = {"copy": str(copy),
              "number_check": {k: getattr(number_check, k) for k in ("returncode", "stdout", "stderr")}}
    injected = test_injection.inject(copy, REBUILT / "outside")
    record.update(outside=str(injected["outside"]), touched=injected["touched"], regenerated=injected["regenerated"],
                  built=None)
    if record["regenerated"] is None:
        try:
            build_book(root=copy)
        except AssertionError as error:  # each test that needs the build reports it
            record["built"] = str(error)[-3000:]
    (REBUILT / "record.json").write_text(json.dumps(record), encoding="utf-8")


@pytest.fixture(scope="session")
def rebuilt_copy():
    """A copy of the repository, changed and rebuilt as a contributor would, in two steps
    (one copy, one series of executions and one HTML build for every test that needs it,
    on either worker: it is built once per run, under ``_build/tests-rebuilt``):

    1. one number in the claims changes, and ``qantar.notebooks --check`` lists the chapters
       that are now stale (``test_stale.change_a_number``: exactly those that read the claims);
    2. every free-text cell of every table becomes hostile markup, and the bibliography, the
       citation files and every stale chapter are regenerated (``test_injection.inject``);

    then the HTML book is built strictly. The changed number is not a text cell, so the
    rebuilt book shows it. A failure of step 2 or of the build is recorded, not raised:
    each test that needs them reports it (``test_injection.regenerated``)."""
    import json
    from types import SimpleNamespace

    _once_per_run("rebuilt-copy", _build_rebuilt_copy, lock="tests-rebuilt")
    record = json.loads((REBUILT / "record.json").read_text(encoding="utf-8"))
    record["copy"], record["outside"] = Path(record["copy"]), Path(record["outside"])
    record["number_check"] = SimpleNamespace(**record["number_check"])
    record["touched"] = [tuple(t) for t in record["touched"]]
    if record["regenerated"] is not None:
        record["regenerated"] = tuple(record["regenerated"])
    return record


@pytest.fixture(scope="session")
def rebuilt_pdf(rebuilt_copy):
    """The PDF of the changed copy, from the LaTeX that Sphinx writes for it (after its HTML
    build: they share its doctrees), typeset by one xelatex pass: TeX opens the same files
    and runs the same commands in every pass (latexmk's later passes only settle page
    numbers and the index). Not strict: the hostile text makes TeX warn about overfull boxes.
    The xelatex run, or the LaTeX build if that failed."""
    copy = rebuilt_copy["copy"]
    latex = subprocess.run([JB, "build", str(copy), "--builder", "latex"], capture_output=True, text=True)
    if latex.returncode != 0:
        return latex
    return subprocess.run(["xelatex", "-recorder", "-interaction=nonstopmode", "bloody-january.tex"],
                          cwd=copy / "_build" / "latex", stdin=subprocess.DEVNULL, capture_output=True, text=True)


# Parallel runs (pytest-xdist): units of work and their order.

SHARED = {  # test module, or one test -> unit: these share a session fixture
    "tests/test_stale.py::test_data_change_reaches_exactly_its_readers_and_the_built_book": "rebuilt-copy",
    "tests/test_regenerate.py::test_reexecution_writes_the_committed_notebooks_but_for_the_changed_data":
        "rebuilt-copy",
    "tests/test_injection.py": "rebuilt-copy",
    # The changed copy is built once per run (on either worker), so the checks that read it
    # after its build can run on the other worker at the same time: Chromium on its pages,
    # and its PDF (one xelatex pass, which the two PDF checks share).
    "tests/test_injection.py::test_no_script_runs_in_chromium": "rebuilt-chromium",
    "tests/test_injection.py::test_nothing_from_outside_reaches_the_build": "rebuilt-pdf",
    "tests/test_injection.py::test_pdf_reads_no_outside_file": "rebuilt-pdf",
    "tests/test_browser.py": "browser", "tests/test_pages.py": "browser",
    "tests/test_figures_phone.py": "browser", "tests/test_tables.py": "browser",
}
# Longest units first (measured with --durations; a unit's time includes the builds it is
# the first to need); the units that read the changed copy come after enough other work for
# its build to be done by the time a worker reaches them.
ORDER = ["rebuilt-copy", "browser", "tests/test_stale.py", "tests/test_lab.py", "tests/test_pdf.py",
         "rebuilt-pdf", "rebuilt-chromium", "tests/test_citing_tools.py", "tests/test_links.py",
         "tests/test_regenerate.py"]


def _unit(nodeid: str) -> str:
    module = nodeid.split("::", 1)[0]
    return SHARED.get(nodeid.split("[", 1)[0], SHARED.get(module, module))


def pytest_collection_modifyitems(config, items):
    rank = {unit: i for i, unit in enumerate(ORDER)}
    items.sort(key=lambda item: rank.get(_unit(item.nodeid), len(ORDER)))  # stable: a module keeps its order


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` with this suite's units as its scopes: a unit runs whole on one
    worker, in the order collected (with ``--no-loadscope-reorder``)."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _unit(nodeid)

    return UnitScheduling(config, log)
