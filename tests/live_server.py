"""The real app in a subprocess (`python -m app.cli serve`), shared by the API and browser tests.

Import the fixture into a test module with `from tests.live_server import live_server`. One
server serves the whole session (a module-level singleton, since each importing module gets its
own fixture definition); it is stopped when the session ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eval.load import answers, free_port

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 180  # seconds: model load, and an index build if the home is empty

_server: dict = {}


def start(home: Path, work: Path) -> dict:
    port = free_port()
    log = open(work / "server.log", "w")  # noqa: SIM115 - closed in stop()
    env = os.environ | {"HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
                        "TRANSFORMERS_VERBOSITY": "error"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--home", str(home),
         "--reports", str(work / "reports")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None and not answers(url):
        time.sleep(1)
    server = {"proc": proc, "url": url, "log": log, "path": work / "server.log"}
    if not answers(url):
        stop(server)
        tail = (work / "server.log").read_text(errors="replace")[-3000:]
        pytest.fail(f"the app did not answer at {url} within {START_TIMEOUT} s:\n{tail}")
    return server


def stop(server: dict) -> None:
    proc = server["proc"]
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    server["log"].close()


@pytest.fixture(scope="session")
def live_server(engine_home, tmp_path_factory):
    """The URL of the running app, started once per session on a free loopback port."""
    if not _server:
        _server.update(start(engine_home, tmp_path_factory.mktemp("live-server")))
        owner = True
    else:
        owner = False
    if _server["proc"].poll() is not None:
        pytest.fail("the app's server has exited:\n" + _server["path"].read_text()[-3000:])
    yield _server["url"]
    if owner and _server:
        stop(_server)
        _server.clear()
