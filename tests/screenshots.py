"""Screenshots of the book's chapters for review, at desktop and at phone width.

``make screenshots`` (after ``make book``) writes ``_build/screenshots/NAME-desktop.png``
and ``NAME-phone.png``, full pages, for every page under ``chapters/``. They are for
people reviewing a change (the issue notes describe them); no test compares them, so
``make test`` does not take them. ``python tests/screenshots.py PAGE.html ...`` takes
only the pages named (paths relative to ``_build/html``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from browsing import DESKTOP, PHONE, SCREENSHOTS, book_pages, launch, serve, visit
from qantar import paths

HTML = paths.ROOT / "_build" / "html"
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}


def take(browser, site: str, pages: list[str], target: Path = SCREENSHOTS) -> list[Path]:
    """Full-page screenshots of ``pages`` at each width; the files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for rel in pages:
        for width, viewport in WIDTHS.items():
            page, problems = visit(browser, site + rel, site, viewport=viewport)
            assert not problems, (rel, width, problems)
            written.append(target / f"{Path(rel).stem}-{width}.png")
            page.screenshot(path=str(written[-1]), full_page=True)
            page.close()
    return written


def main(argv: list[str]) -> int:
    if not (HTML / "index.html").exists():
        print("no built book: run `make book` first", file=sys.stderr)
        return 1
    pages = argv or [p for p in book_pages(HTML) if p.startswith("chapters/")]
    with serve(HTML) as site, launch() as browser:
        for path in take(browser, site, pages):
            print(f"wrote {paths.relative(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
