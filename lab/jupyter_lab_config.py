# JupyterLab for `make lab` (also used by tests/test_lab.py): this machine only, offline.
# The server runs in .venv-lab (requirements-lab.lock). Chapters' .md files open as notebooks
# through jupytext's contents manager (its server extension is enabled when jupytext and
# jupyter_server are installed) and run on the book's own kernel: "python3", .venv's Python,
# which `make lab-deps` registers in .venv-lab.
from pathlib import Path

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

c.ServerApp.ip = "127.0.0.1"
c.LabApp.extension_manager = "readonly"  # never query PyPI for extensions
c.LabApp.news_url = None  # no news feed
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# settings/overrides.json: a double click on a chapter's .md opens it as a notebook.
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "settings")
