# Bloody January: build, test and regenerate the report.
#   make book       HTML book in _build/html (sets up .venv from the lock first)
#   make test       everything CI checks (installs TeX etc. with apt if missing)
#   make pdf        PDF book in _build/latex (xelatex)
#   make notebooks  re-execute the chapters whose inputs changed
#   make screenshots  full-page screenshots of the chapters, desktop and phone (_build/screenshots)
#   make bench      benchmark table (medians of 3 runs; BENCH_ARGS="--runs 5")
#   make lab        JupyterLab on 127.0.0.1: each chapter's .md opens as a notebook and runs on the
#                   book's kernel (installs requirements-lab.lock into .venv-lab on first use:
#                   ~95 packages, ~245 MB, ~15 s warm)
#   make bib        regenerate references.bib/.json (from data/sources.csv) and citing.bib/.json (from CITATION.cff)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
JB := $(BIN)/jupyter-book
APT_PACKAGES := $(shell grep -v '^\#' apt.txt)

.PHONY: book test pdf notebooks bib venv system-deps clean bench lab lab-deps screenshots

venv: $(STAMP)

# The environment holds exactly the lock: when requirements.lock changes, .venv is made anew
# (pip would otherwise keep packages the lock no longer lists); a change to pyproject.toml
# only reinstalls the book's own package.
LOCK_MARK := $(VENV)/.lock-$(shell sha256sum requirements.lock | cut -c1-12)
$(STAMP): requirements.lock pyproject.toml
	test -e $(LOCK_MARK) || rm -rf $(VENV)
	rm -f $(VENV)/.installed-*
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(LOCK_MARK) $@

# Optional JupyterLab, kept out of the book's environment: the Jupyter server runs in .venv-lab
# (requirements-lab.lock), and the notebooks on the book's own kernel, .venv's Python, which
# is registered there as the kernel "python3" (JUPYTER_PATH puts that registration before any
# "python3" kernel of the user's own).
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed-$(shell cat requirements-lab.lock | sha256sum | cut -c1-12)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab-deps: $(LAB_STAMP)

$(LAB_STAMP): requirements-lab.lock $(STAMP)
	rm -rf $(LAB_VENV)
	$(PYTHON) -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-lab.lock
	JUPYTER_PATH=$(CURDIR)/$(LAB_VENV)/share/jupyter $(BIN)/python -m ipykernel install \
		--prefix $(CURDIR)/$(LAB_VENV) --name python3 \
		--display-name "Python 3 (Bloody January)" >/dev/null
	touch $@

lab: $(LAB_STAMP)
	JUPYTER_PATH=$(CURDIR)/$(LAB_VENV)/share/jupyter $(LAB_VENV)/bin/jupyter lab --config=lab/jupyter_lab_config.py --ServerApp.root_dir=. $(ROOT_FLAG)

notebooks: venv
	$(BIN)/python -m qantar.notebooks

# `make book` skips work by file times first (a no-op rebuild is a few stats), then
# by content: qantar.notebooks re-executes a chapter only when the digest of its
# inputs changed, and Sphinx re-renders only changed pages. Any changed input file
# re-runs both steps, so a stale number cannot survive a rebuild.
NB_INPUTS := $(wildcard chapters/*.md data/*.csv data/*.json data/geo/* src/qantar/*.py) CITATION.cff _toc.yml
NB_STAMP := _build/.notebooks.stamp
HTML_STAMP := _build/html/.book.stamp
BOOK_INPUTS := $(NB_STAMP) $(wildcard chapters/*.ipynb figures/* _static/* _templates/* data/*.csv) intro.md bibliography.md \
	_config.yml _toc.yml references.bib citing.bib references.json citing.json \
	$(wildcard src/qantar/theme/*.py src/qantar/theme/static/* src/qantar/theme/static/*/*)

$(NB_STAMP): $(NB_INPUTS) $(STAMP)
	$(BIN)/python -m qantar.notebooks
	@mkdir -p $(@D) && touch $@

$(HTML_STAMP): $(BOOK_INPUTS)
	$(JB) build . -W -n --keep-going
	@touch $@

# The bibliography files are generated: `make book` (through BOOK_INPUTS) regenerates each one
# whenever its inputs change, so the bibliography can never lag the source registry. The
# CSL-JSON twins are written in the same step (by pandoc, when installed).
references.json: references.bib
citing.json: citing.bib
references.bib: data/sources.csv data/datapackage.json src/qantar/bib.py $(STAMP)
	$(BIN)/python -m qantar.bib
	@touch $@

citing.bib: CITATION.cff _toc.yml $(wildcard chapters/*.md) src/qantar/cite.py src/qantar/bib.py $(STAMP)
	$(BIN)/python -m qantar.cite
	@touch $@

# BibTeX and CSL-JSON (by pandoc, from apt.txt) for the sources and for citing the book.
bib: venv
	@command -v pandoc >/dev/null || { echo "make bib needs pandoc (apt.txt): run make system-deps"; exit 1; }
	$(BIN)/python -m qantar.bib
	$(BIN)/python -m qantar.cite

book: $(HTML_STAMP)

# System packages (TeX for the PDF, poppler for pdftotext), installed only when missing.
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing with apt: $$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

pdf: $(NB_STAMP) system-deps
	$(JB) build . --builder pdflatex -W -n --keep-going
	@ls -l _build/latex/bloody-january.pdf

# The lab test (tests/test_lab.py) needs JupyterLab: installed here, not skipped.
# Two workers (pytest-xdist); tests/conftest.py groups the tests that share a build and
# starts the longest first. TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
TEST_PARALLEL := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder)
test: venv system-deps lab-deps
	$(BIN)/python --version
	$(BIN)/python -m pytest -p no:cacheprovider $(TEST_PARALLEL) $(PYTEST_ARGS)

# Full-page screenshots of every chapter at desktop and phone width, for review (_build/screenshots).
screenshots: book system-deps
	cd tests && ../$(BIN)/python screenshots.py

# Timings (medians) of set-up, builds, edits, nbval, PDF and the plain-Python floor; page weights.
bench: venv system-deps
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

clean:
	rm -rf _build
