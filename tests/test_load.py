"""The load test in a reduced form: 16 concurrent clients, 2 questions each, against the real
server on loopback, bounded in time. The full run (400 questions) is `python -m eval.load`;
its figures are in `docs/reliability.md`.
"""

from __future__ import annotations

import pytest

from eval.load import pick_questions, rss_kib, run_load
from tests import live_server as server
from tests.live_server import live_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration

CLIENTS = 16
QUESTIONS = 2 * CLIENTS
DEADLINE_S = 180  # the loaded phase; on this 2-core machine it takes a few seconds
RSS_NOISE_MIB = 64  # the full run measures growth; here only a gross leak would show


def test_concurrent_clients_get_the_single_client_answers(live_server):  # noqa: F811
    pid = server._server["proc"].pid  # the shared server's process, for its RSS
    assert rss_kib(pid)
    out = run_load(live_server, pid, pick_questions(QUESTIONS), CLIENTS, timeout=DEADLINE_S)
    assert out["errors"] == 0, out["error_samples"]
    assert out["completed"] == QUESTIONS and out["unasked"] == 0
    assert out["differing_answers"] == 0, out["differing_samples"]
    assert out["wall_s"] < DEADLINE_S
    assert 0 < out["latency_ms"]["p50"] <= out["latency_ms"]["p95"] <= out["latency_ms"]["p99"]
    assert out["rss_mib"]["growth"] < RSS_NOISE_MIB, out["rss_mib"]


def test_a_url_off_this_machine_is_refused():
    with pytest.raises(ValueError, match="expected a loopback URL"):
        run_load("http://example.com:7860/", None, ["q"], 1, timeout=1)
