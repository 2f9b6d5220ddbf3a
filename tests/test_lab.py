"""`make lab`: a chapter's .md opens in Jupyter as a notebook and runs with the project's kernel.

The test starts the same JupyterLab server as ``make lab`` (``lab/jupyter_lab_config.py``),
headless on 127.0.0.1, serving a copy of the repository. Through the server's REST
API it opens ``chapters/01-timeline.md`` as a notebook (jupytext's contents
manager), starts a session with the notebook's kernel, executes every code cell
over the kernel's WebSocket, and finds the chapter's first glued value, equal to
the one stored in the committed, executed ``.ipynb``. JupyterLab comes from
``requirements-lab.lock``, which ``make test`` installs (``make lab-deps``) into an
environment of its own, ``.venv-lab``; the kernel is the book's own Python (``.venv``).
"""

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from qantar import paths

CHAPTER = "chapters/01-timeline.md"
LAB_ENV = paths.ROOT / ".venv-lab"  # the Jupyter server's environment (Makefile: LAB_VENV)
TOKEN = uuid.uuid4().hex
from conftest import COPY_IGNORE as IGNORE  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """JupyterLab as `make lab` starts it, on a copy of the repository (executing a chapter
    rewrites its figures); PYTHONPATH makes the kernel import the copy's own package."""
    jupyter = LAB_ENV / "bin" / "jupyter"
    if not jupyter.exists() or subprocess.run([str(jupyter), "lab", "--version"], capture_output=True).returncode:
        pytest.fail("JupyterLab missing: run `make lab-deps` (installs requirements-lab.lock into .venv-lab)")
    repo = tmp_path_factory.mktemp("lab") / "repo"
    shutil.copytree(paths.ROOT, repo, ignore=IGNORE)
    port = free_port()
    cmd = [str(jupyter), "lab", f"--config={repo / 'lab' / 'jupyter_lab_config.py'}", f"--ServerApp.root_dir={repo}",
           "--no-browser", f"--ServerApp.port={port}", f"--IdentityProvider.token={TOKEN}"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    env = dict(os.environ, PYTHONPATH=str(repo / "src"), JUPYTER_CONFIG_DIR=str(repo / "_build" / "jupyter"),
               JUPYTER_PATH=str(LAB_ENV / "share" / "jupyter"))  # as `make lab` sets it
    (repo / "_build").mkdir()
    log = (repo / "_build" / "lab.log").open("w")
    server = subprocess.Popen(cmd, cwd=repo, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # until the server answers (it was started above), at most ~60 s
            if server.poll() is not None:
                break
            try:
                api(base, "GET", "/api/status")
                break
            except OSError:
                time.sleep(0.1)
        assert server.poll() is None, (repo / "_build" / "lab.log").read_text()
        yield base, repo
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def api(base: str, method: str, path: str, body=None) -> dict:
    from urllib.request import Request, urlopen

    data = json.dumps(body).encode() if body is not None else None
    request = Request(base + path, data=data, method=method,
                      headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


async def execute(base: str, kernel_id: str, sources: list[str]) -> dict[str, dict]:
    """Run each source on the kernel through the server's WebSocket; return the glued
    values (display data carrying myst-nb's ``scrapbook`` metadata) by name, in order."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    ws = await websocket_connect(HTTPRequest(
        f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?session_id={session}",
        headers={"Authorization": f"token {TOKEN}"}))
    glued = {}
    try:
        for source in sources:
            msg_id = uuid.uuid4().hex
            await ws.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "test",
                           "session": session, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": source, "silent": False, "store_history": True, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True}}))
            reply, idle = None, False
            while reply is None or not idle:
                raw = await asyncio.wait_for(ws.read_message(), timeout=300)
                assert raw is not None, "the kernel's WebSocket closed"
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "execute_reply":
                    reply = content
                elif kind == "status":
                    idle = content["execution_state"] == "idle"
                elif kind == "error":
                    raise AssertionError(f"{content['ename']}: {content['evalue']}\n{source[:300]}")
                elif kind == "display_data" and "scrapbook" in content.get("metadata", {}):
                    glued[content["metadata"]["scrapbook"]["name"]] = content["data"]
            assert reply["status"] == "ok", reply
    finally:
        ws.close()
    return glued


def stored_glue(ipynb: Path) -> dict[str, dict]:
    nb = json.loads(ipynb.read_text(encoding="utf-8"))
    return {o["metadata"]["scrapbook"]["name"]: o["data"] for c in nb["cells"] for o in c.get("outputs", [])
            if "scrapbook" in o.get("metadata", {})}


def test_chapter_md_opens_as_a_notebook_and_runs_in_jupyter(lab_server):
    base, repo = lab_server
    # Opened as Lab opens it: the .md, read as a notebook by jupytext's contents manager.
    model = api(base, "GET", f"/api/contents/{CHAPTER}?type=notebook&content=1")
    assert model["type"] == "notebook", model.get("type")
    notebook = model["content"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    sources = [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]
    text = (repo / CHAPTER).read_text(encoding="utf-8")
    assert len(sources) == text.count("```{code-cell}")
    first = re.search(r"""\bglue\(\s*["'](\w+)["']""", text).group(1)

    session = api(base, "POST", "/api/sessions", {"path": CHAPTER, "type": "notebook", "name": "",
                                                   "kernel": {"name": "python3"}})
    probe = "import sys\nfrom myst_nb import glue\nglue('kernel_python', sys.executable, display=False)"
    try:
        glued = asyncio.run(execute(base, session["kernel"]["id"], sources + [probe]))
    finally:
        api(base, "DELETE", f"/api/sessions/{session['id']}")
    kernel_python = glued.pop("kernel_python")["application/papermill.record/text/plain"].strip("'")
    # The book's own environment (compared as folders: a copy of the repository may link its .venv).
    assert Path(kernel_python).parent.resolve() == Path(sys.executable).parent.resolve(), kernel_python
    assert list(glued)[0] == first, list(glued)[:3]
    assert glued[first] == stored_glue(repo / CHAPTER.replace(".md", ".ipynb"))[first]

    # `make lab` opens a chapter's .md as a notebook with a double click (settings override).
    viewers = api(base, "GET", "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    assert viewers["schema"]["properties"]["defaultViewers"]["default"]["markdown"] == "Jupytext Notebook"


def test_jupyterlab_stays_out_of_the_books_environment():
    """The book's environment holds exactly requirements.lock (and the book's own package):
    JupyterLab and its dependencies live in .venv-lab, so they never load when the book is
    built or tested (they slowed every Python start there by about 0.8 s)."""
    from importlib.metadata import distributions

    def name(n):
        return re.sub(r"[-_.]+", "-", n).lower()

    lock = {name(line.split("==")[0]): line.split("==")[1].strip()
            for line in (paths.ROOT / "requirements.lock").read_text().splitlines() if "==" in line}
    installed = {name(d.metadata["Name"]): d.version for d in distributions()}
    extra = sorted(set(installed) - set(lock) - {"qantar", "pip", "setuptools", "wheel"})
    assert not extra, f"installed in the book's environment but not in requirements.lock: {extra}"
    assert {n: installed.get(n) for n in lock} == lock
    lab = {name(line.split("==")[0]) for line in (paths.ROOT / "requirements-lab.lock").read_text().splitlines()
           if "==" in line}
    assert "jupyterlab" in lab and "jupyterlab" not in installed
