"""The load test in a reduced form: 16 concurrent clients, 2 questions each, against the real
server on loopback, bounded in time. The full run (400 questions) is `python -m eval.perf.load`;
its figures are in `docs/reliability.md`.
"""

from __future__ import annotations

import pytest

from eval.perf.load import pick_questions, rss_kib, run_load
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


def test_the_light_caller_gets_the_same_answers_as_gradio_client(live_server):  # noqa: F811
    questions = pick_questions(CLIENTS)
    out = run_load(live_server, None, questions, CLIENTS, timeout=DEADLINE_S, light=True)
    assert out["caller"] == "http_ask" and out["completed"] == CLIENTS
    assert out["errors"] == 0 and out["differing_answers"] == 0, out


def test_the_light_caller_reads_gradio_events():
    from eval.perf.http_ask import AskError, outcome

    assert outcome('event: heartbeat\ndata: {}\n\nevent: complete\ndata: [{"a": 1}]\n') \
        == {"a": 1}
    with pytest.raises(AskError, match="the question is empty"):
        outcome('event: error\ndata: {"error": "the question is empty"}\n')
    with pytest.raises(AskError, match="no result"):
        outcome("event: heartbeat\ndata: {}\n")
