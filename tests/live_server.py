"""The real app in a subprocess (`python -m app.cli serve`), shared by the API and browser tests.

Import the fixture into a test module with `from tests.live_server import live_server`. One
server serves the whole session (a module-level singleton, since each importing module gets its
own fixture definition); it is stopped when the session ends.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.perf.load import start_server, stop_server
from eval.questions import write_sample

_server: dict = {}


def start(home: Path, work: Path) -> dict:
    """The app on a free loopback port (eval.perf.load's launcher); a failed start fails the
    test."""
    log = work / "server.log"
    sample = write_sample(work / "sample.jsonl")  # the Evaluation tab's set: quick to score
    try:
        proc, url = start_server(str(home), log, ("--eval-set", str(sample)))
    except RuntimeError as e:
        pytest.fail(str(e))
    return {"proc": proc, "url": url, "path": log}


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
        stop_server(_server["proc"])
        _server.clear()
