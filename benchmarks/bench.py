"""Benchmark the book's build: prints a table of medians, ratios and page weights.

Usage: ``python benchmarks/bench.py [--runs N] [--skip-env] [--skip-pdf] [--skip-test]`` (``make bench``).

Everything runs in a throw-away copy of the repository, so the working tree is
never touched. Only the project's own dependencies and the standard library are
used; page weight is measured in the project's test browser (Playwright driving
Debian's Chromium), counting the HTML and every file the page loads.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
IGNORE = shutil.ignore_patterns(".venv", ".venv-lab", "_build", ".git", "__pycache__", "*.egg-info")

TARGETS = {  # issue 7
    "no-op / clean": 0.1,
    "clean / floor": 3.0,
}
PAGE_LIMIT = 1.0e6  # bytes per chapter page as files (issue 15; tests/test_pages.py checks it too)
TEST_LIMIT = 240.0  # seconds for `make test` in a warm environment (issue 15)


def timed(cmd, cwd, env=None, check=True) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if check and result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed


def median_of(runs: int, setup, action) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        setup()
        times.append(action())
    return statistics.median(times), times


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        mem_gib = int(mem.split()[1]) / 1024 / 1024
    except (OSError, StopIteration):
        mem_gib = float("nan")
    return (f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def machine_busy() -> float | None:
    """CPU seconds all cores have spent busy since boot (Linux /proc/stat), or None. Around a
    command on a quiet machine, the difference is what the command cost, Chromium's
    renderers included (RUSAGE_CHILDREN counts only the processes that were waited for)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, idle, iowait, irq, softirq = (int(x) for x in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def floor_script(copy: Path) -> Path:
    """All chapters' code as one plain Python script (jupytext), run in one process."""
    import jupytext

    parts = ["import os, matplotlib\nmatplotlib.use('Agg')\nos.chdir(%r)\n" % str(copy / "chapters")]
    for md in sorted((copy / "chapters").glob("[0-9][0-9]-*.md")):
        nb = jupytext.read(md, fmt="md:myst")
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        parts.append(f"# --- {md.name}\n{code}\nimport matplotlib.pyplot as plt\nplt.close('all')\n")
    script = copy / "_build" / "floor.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text("\n".join(parts), encoding="utf-8")
    return script


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def page_weights(html: Path) -> dict[str, tuple[int, int]]:
    """For each chapter page, the bytes of the HTML and everything it loads: as files
    (uncompressed) and as a web server would send them with gzip (level 6)."""
    import gzip

    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    weights = {}
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for page_path in sorted((html / "chapters").glob("*.html")):
            page = browser.new_page()
            bodies = {}
            page.on("response", lambda r: bodies.__setitem__(r.url, r.body()) if r.ok else None)
            page.goto(base + f"chapters/{page_path.name}", wait_until="networkidle")
            page.close()
            weights[page_path.stem] = (sum(len(b) for b in bodies.values()),
                                       sum(len(gzip.compress(b, 6, mtime=0)) for b in bodies.values()))
        browser.close()
    server.shutdown()
    return weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-env", action="store_true", help="skip the environment set-up measurement")
    parser.add_argument("--skip-pdf", action="store_true", help="skip the PDF build measurement")
    parser.add_argument("--skip-test", action="store_true", help="skip timing `make test` (one run, warm)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qantar-bench-"))
    copy = work / "repo"
    shutil.copytree(ROOT, copy, ignore=IGNORE)
    env = dict(os.environ, PYTHONPATH=str(copy / "src"))
    jb = [str(BIN / "jupyter-book"), "build", str(copy), "-W", "-n", "--keep-going"]

    # The copy uses this environment (a symlink), and PYTHONPATH makes it import its
    # own src/qantar, never the original's (the venv's editable install points there).
    (copy / ".venv").symlink_to(Path(sys.prefix))
    if (ROOT / ".venv-lab").exists():  # JupyterLab's own environment (make lab-deps), for the lab test
        (copy / ".venv-lab").symlink_to(ROOT / ".venv-lab")

    def book() -> float:  # exactly what a user runs
        return timed(["make", "-s", "book"], copy, env)

    def wipe_build():
        shutil.rmtree(copy / "_build", ignore_errors=True)

    rows = []
    if not args.skip_env:
        def env_setup() -> float:
            venv = work / "venv"
            shutil.rmtree(venv, ignore_errors=True)
            start = time.perf_counter()
            timed([sys.executable, "-m", "venv", str(venv)], work)
            timed([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                   "-r", str(copy / "requirements.lock")], work)
            return time.perf_counter() - start
        rows.append(("environment set-up from the lock (warm cache)", *median_of(args.runs, lambda: None, env_setup)))

    rows.append(("clean HTML build (notebooks current)", *median_of(args.runs, wipe_build, book)))
    clean = rows[-1][1]
    rows.append(("no-op rebuild", *median_of(args.runs, lambda: None, book)))
    noop = rows[-1][1]

    ch3 = copy / "chapters" / "03-justice.md"
    ch4 = copy / "chapters" / "04-international.md"
    responses = copy / "data" / "responses.csv"
    counter = iter(range(10_000))
    def prose_edit():  # a MyST comment line: the prose changes, the code does not
        ch3.write_text(ch3.read_text(encoding="utf-8") + f"\n% benchmark edit {next(counter)}\n", encoding="utf-8")
    rows.append(("one-chapter prose edit (03)", *median_of(args.runs, prose_edit, book)))
    def code_edit():  # a changed comment in a code cell: the chapter re-executes
        import re
        text = ch4.read_text(encoding="utf-8")
        new, n = re.subn(r"figures\.use_style\(\)(  # edit \d+)?\n", f"figures.use_style()  # edit {next(counter)}\n", text, count=1)
        assert n == 1, "code cell to edit not found"
        ch4.write_text(new, encoding="utf-8")
    rows.append(("one-chapter code edit (04)", *median_of(args.runs, code_edit, book)))

    def data_edit():
        text = responses.read_text(encoding="utf-8")
        marker = "Rau called for de-escalation"
        assert marker in text
        responses.write_text(text.replace(marker, marker + " ", 1) if f"{marker} " not in text
                             else text.replace(f"{marker} ", marker, 1), encoding="utf-8")
    rows.append(("one data-table edit (responses.csv)", *median_of(args.runs, data_edit, book)))

    rows.append(("strict nbval on all chapters", *median_of(args.runs, lambda: None, lambda: timed(
        [str(BIN / "python"), "-m", "pytest", "-p", "no:cacheprovider", "-q", "chapters"], copy, env))))
    if not args.skip_pdf:
        rows.append(("PDF build", *median_of(args.runs, lambda: shutil.rmtree(copy / "_build" / "latex", ignore_errors=True),
                                             lambda: timed(jb + ["--builder", "pdflatex"], copy, env))))
    script = floor_script(copy)
    rows.append(("floor: all chapters' code in one plain Python process",
                 *median_of(args.runs, lambda: None, lambda: timed([str(BIN / "python"), str(script)], copy, env))))
    floor = rows[-1][1]

    weights = page_weights(copy / "_build" / "html")
    if not args.skip_test:  # one run: the whole suite, in the warm copy (environment and build in place)
        # (`make test` runs pytest on two workers; its CPU time, all processes added up, is printed too.)
        import resource

        before, busy_before = resource.getrusage(resource.RUSAGE_CHILDREN), machine_busy()
        start = time.perf_counter()
        result = subprocess.run(["make", "-s", "test"], cwd=copy, env=env, capture_output=True, text=True)
        took = time.perf_counter() - start
        after, busy_after = resource.getrusage(resource.RUSAGE_CHILDREN), machine_busy()
        test_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        busy = None if busy_before is None else busy_after - busy_before
        test_summary = (result.stdout.strip().splitlines() or ["(no output)"])[-1].strip("= ")
        rows.append(("make test (warm environment, one run)", took, [took]))

    print(f"Machine: {machine()}")
    print(f"Runs per measurement: {args.runs}\n")
    print(f"| {'measurement':55s} | median (s) | runs (s) |")
    print(f"|{'-' * 57}|-----------:|----------|")
    for name, med, times in rows:
        print(f"| {name:55s} | {med:10.2f} | {', '.join(f'{t:.2f}' for t in times)} |")
    ratios = {"clean / floor": clean / floor, "no-op / clean": noop / clean}
    print("\n| ratio | value | target |\n|---|---:|---:|")
    for name, value in ratios.items():
        target = TARGETS[name]
        print(f"| {name} | {value:.2f} | ≤ {target} {'(met)' if value <= target else '(NOT met)'} |")
    if not args.skip_test:
        took = rows[-1][1]
        print(f"| make test (s) | {took:.0f} | ≤ {TEST_LIMIT:.0f} {'(met)' if took <= TEST_LIMIT else '(NOT met)'} |")
        print(f"| make test CPU, user + sys of the processes it waited for (s) | {test_cpu:.0f} | |")
        if busy is not None:
            print(f"| machine CPU busy during make test, all cores (s) | {busy:.0f} | |")
        print(f"\nmake test: {test_summary}")
        for line in result.stdout.splitlines():  # pytest's short summary names what failed
            if line.startswith(("FAILED", "ERROR")):
                print(f"  {line}")
    print(f"\n| chapter page | files (MB) | sent with gzip (MB) | target ≤ {PAGE_LIMIT / 1e6:.1f} MB as files |"
          "\n|---|---:|---:|---|")
    for stem, (raw, sent) in weights.items():
        print(f"| {stem} | {raw / 1e6:.3f} | {sent / 1e6:.3f} | {'met' if raw <= PAGE_LIMIT else 'NOT met'} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
