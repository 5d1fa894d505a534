"""Admission control (issue 22): what an anonymous client can make the server do.

The buckets and the benchmark guard as plain code; the live server (its own, since the flood
leaves two slow parses running) under a flood of upload joins and two slow PDFs while
questions are asked, oversize and malformed requests refused before they are read, one log
line each, and its memory after a burst of 20 MB questions."""

from __future__ import annotations

import socket
import statistics
import time
import uuid
from pathlib import Path

import pytest

from app.admission import Admission, Buckets
from app.eval_tab import Explorer


def test_a_bucket_gives_its_burst_then_says_how_long_to_wait():
    b = Buckets(capacity=3, refill=10.0)
    assert [b.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert b.take("a", now=0.0) == pytest.approx(10.0)
    assert b.take("b", now=0.0) == 0.0  # another client has its own
    assert b.take("a", now=5.0) == pytest.approx(5.0)
    assert b.take("a", now=10.5) == 0.0  # one came back


def test_files_and_parses_have_their_own_buckets_and_the_server_one_for_all():
    rules = Admission(upload_bytes=1000, per_client=2, per_server=3, refill=60.0)
    assert [rules.take("a", "file") for _ in range(2)] == [0.0, 0.0]
    assert rules.take("a", "file") > 0 and rules.take("a", "parse") == 0.0
    assert rules.take("b", "file") == 0.0  # the server's third
    assert rules.take("c", "file") > 0  # client c has tokens, the server none
    assert rules.limit("/gradio_api/upload") == 1000
    assert rules.limit("/gradio_api/queue/join") == 256 * 1024


def test_each_client_has_an_hourly_quota_of_megabytes_posted():
    rules = Admission(upload_bytes=50 << 20, quota_mb=100)
    assert [rules.take("a", "mb", 45) for _ in range(2)] == [0.0, 0.0]
    assert rules.take("a", "mb", 45) == pytest.approx(36 * 35, rel=0.01)  # 35 MB to come back
    assert rules.take("b", "mb", 45) == 0.0  # another client's own quota
    assert rules.take("c", "mb", 101) == float("inf")  # more than a quota never fits


def test_old_uploads_and_dead_adds_are_cleaned_at_start(tmp_path):
    import os

    from app.cli import clean_at_start

    uploads, papers = tmp_path / "uploads", tmp_path / "papers"
    (uploads / "old").mkdir(parents=True)
    (uploads / "old" / "f.pdf").write_bytes(b"x")
    (uploads / "new.pdf").write_bytes(b"y")
    os.utime(uploads / "old", (0, 0))
    (papers / ".tmp-999999999-1").mkdir(parents=True)  # an add whose process died
    clean_at_start(tmp_path, uploads)
    assert [p.name for p in uploads.iterdir()] == ["new.pdf"]
    assert not list(papers.iterdir())


@pytest.mark.integration  # the real engine
def test_a_benchmark_run_is_for_loopback_clients_of_an_unshared_server(engine, tmp_path):
    local = Explorer(engine, tmp_path)
    assert local.may_run("127.0.0.1") and local.may_run("::1")
    assert not local.may_run("203.0.113.5") and not local.may_run(None)
    notice, timer = local.start("203.0.113.5")
    assert "off for remote clients" in notice and not local.runner.running
    assert not Explorer(engine, tmp_path, runs="none").may_run("127.0.0.1")  # --share
    assert Explorer(engine, tmp_path, runs="all").may_run("203.0.113.5")


# --- the live server ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(engine_home, tmp_path_factory):
    from eval.perf.load import start_server, stop_server
    from eval.questions import write_sample

    work = tmp_path_factory.mktemp("admission")
    log = work / "server.log"
    sample = write_sample(work / "sample.jsonl")  # a first report in the background: small
    proc, url = start_server(str(engine_home), log, ("--eval-set", str(sample)))
    yield proc, url, log
    stop_server(proc)


def raw(url: str, head: bytes, body: bytes = b"") -> bytes:
    """The status line of a hand-written request. A body over 64 KB is sent after the
    answer, as far as the server lets it (one refused from its length is never read)."""
    host, port = url.split("//")[1].strip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        small = len(body) <= 1 << 16
        s.sendall(head + body if small else head)
        status = s.recv(200).split(b"\r\n")[0]
        if not small:
            try:
                s.sendall(body)
            except OSError:  # the server closed after refusing it
                pass
        return status


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def children(pid: int) -> list[str]:
    return [c for t in Path(f"/proc/{pid}/task").iterdir()
            for c in (t / "children").read_text().split()]


@pytest.mark.integration
def test_oversize_and_malformed_requests_are_refused_unread_in_one_log_line(server):
    proc, url, log = server
    big = (b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: x\r\nContent-Type: "
           b"application/json\r\nContent-Length: 20000000\r\n\r\n")
    assert raw(url, big).startswith(b"HTTP/1.1 413")
    bad = (b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: x\r\nContent-Type: "
           b"application/json\r\nContent-Length: 5\r\n\r\n")
    assert raw(url, bad, b'{"a":').startswith(b"HTTP/1.1 400")
    chunked = (b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
               b"chunked\r\n\r\n")
    assert raw(url, chunked, b"5\r\nhello\r\n0\r\n\r\n").startswith(b"HTTP/1.1 411")
    time.sleep(0.5)
    text = log.read_text(errors="replace")
    assert "refused POST /gradio_api/queue/join from 127.0.0.1: the body is 20,000,000 " \
           "bytes; the limit is 262,144 (413)" in text
    assert "not a queue request (400)" in text and "a body needs its length (411)" in text
    assert "Traceback" not in text


@pytest.mark.integration
def test_a_burst_of_20_mb_questions_leaves_the_memory_where_it_was(server):
    proc, url, _ = server
    body = b'{"data": ["' + b"x" * (20 << 20) + b'"], "fn_index": 16}'
    head = (b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: x\r\nContent-Type: "
            b"application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
    raw(url, head, body)  # settle the server's buffers once
    before = rss_mb(proc.pid)
    for _ in range(24):
        assert raw(url, head, body).startswith(b"HTTP/1.1 413")
    assert rss_mb(proc.pid) <= before * 1.10, (before, rss_mb(proc.pid))


@pytest.mark.integration
def test_questions_stay_fast_through_an_upload_flood_and_two_slow_pdfs(server):
    import httpx

    from eval.perf.load import ask, client
    from tests.hostile_files import slow_pdf

    proc, url, log = server
    h = httpx.Client(base_url=url, timeout=60)
    add = next(d["id"] for d in h.get("config").json()["dependencies"]
               if d.get("api_name") == "add")

    def join(path: str, name: str) -> int:
        return h.post("gradio_api/queue/join", json={
            "data": [{"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}],
            "event_data": None, "fn_index": add, "trigger_id": None,
            "session_hash": uuid.uuid4().hex[:10]}).status_code

    for i in range(2):  # two PDFs whose parse takes half a minute each, in the sandbox
        r = h.post("gradio_api/upload", files={"files": (f"slow{i}.pdf", slow_pdf(17) + b"%"
                                                         + bytes([48 + i]), "application/pdf")})
        assert r.status_code == 200 and join(r.json()[0], f"slow{i}.pdf") == 200
    deadline = time.monotonic() + 30
    while not children(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert children(proc.pid), "no parse is running"
    tiny = h.post("gradio_api/upload", files={"files": ("t.pdf", b"%PDF-1.4", "application/pdf")})
    codes = [join(tiny.json()[0], "t.pdf") for _ in range(64)]
    assert codes.count(429) >= 60  # the client's burst is spent
    c, times = client(url), []
    for q in ["What is Hanawon?", "Why do women defect?", "What did the famine do?"] * 7:
        r = ask(c, q)
        assert r.error is None, r.error  # never "queue is full"
        times.append(r.seconds)
    p95 = sorted(times)[int(0.95 * len(times)) - 1]
    assert p95 < 2.0, (p95, statistics.median(times))
    assert "too many papers added" in log.read_text(errors="replace")
