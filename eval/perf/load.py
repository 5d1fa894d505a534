"""Load test of the running app's `/ask` endpoint: concurrent gradio_client callers on loopback.

    python -m eval.perf.load --clients 16 --questions 400            # starts its own server
    python -m eval.perf.load --url http://127.0.0.1:7860/ --pid PID  # or hammers a running one

Steps: one client asks every distinct question once, in turn (the reference answers); a
warm-up round of one question per client gives the server's workers their first use; the
server's RSS is read; then `--clients` threads, each with its own `Client`, share
`--questions` requests (the hand-built set, cycled) until done or `--timeout` passes; RSS is
read again (and sampled twice a second in between for the peak). Figures: requests, errors,
latency p50/p95/p99, throughput, RSS before/after/peak, and how many answers differ from the
single-client answer to the same question (same answer text and passage ids). They are
printed and written as JSON to `--out`. The run always ends by itself, and a server it started
is stopped. Loopback only: a `--url` elsewhere is refused.
Leaves out the server's own settings (`app.web`: queue size and concurrency limit).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ..metrics import percentile
from ..questions import write_sample

ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = ("127.0.0.1", "localhost", "::1")
START_TIMEOUT = 300  # seconds: the model load, and an index build if the home has none


@dataclass(frozen=True)
class Result:
    question: str
    seconds: float
    answer: tuple[str, tuple[str, ...]] | None  # answer text and passage ids
    error: str | None = None


def fingerprint(got: dict) -> tuple[str, tuple[str, ...]]:
    """What must not change under load: the answer's text and the passages, in order."""
    return got["answer"], tuple(p["id"] for p in got["passages"])


def rss_kib(pid: int | None) -> int | None:
    """The resident set size of a process, from /proc/<pid>/status (None when unknown)."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def start_server(home: str | None, log_path: Path, extra: Sequence[str] = ()
                 ) -> tuple[subprocess.Popen, str]:
    """`python -m app.cli serve` on a free loopback port (`extra`: more options); returns
    once the app answers."""
    port = free_port()
    env = os.environ | {"HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
                        "TRANSFORMERS_VERBOSITY": "error"}
    cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), *extra]
    if home:
        cmd += ["--home", home]
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None and not answers(url):
        time.sleep(0.5)
    if not answers(url):
        stop_server(proc)
        tail = log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the app did not answer at {url} within {START_TIMEOUT} s:\n{tail}")
    return proc, url


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def client(url: str, light: bool = False):
    """A gradio_client `Client`, or with `light` the standard-library caller (`http_ask`)."""
    if light:
        from .http_ask import HttpClient

        return HttpClient(url)
    from gradio_client import Client

    return Client(url, verbose=False, analytics_enabled=False, download_files=False,
                  httpx_kwargs={"timeout": 60})


def ask(c, question: str) -> Result:
    t0 = time.perf_counter()
    try:
        got = c.predict(question, api_name="/ask")
    except Exception as e:  # any failure is a figure, not a crash of the run
        return Result(question, time.perf_counter() - t0, None, f"{type(e).__name__}: {e}")
    return Result(question, time.perf_counter() - t0, fingerprint(got))


def reference(url: str, questions: Sequence[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The single-client answer to each distinct question, asked one after another."""
    c = client(url)
    out = {}
    for q in dict.fromkeys(questions):
        r = ask(c, q)
        if r.answer is None:
            raise RuntimeError(f"the single-client pass failed on {q!r}: {r.error}")
        out[q] = r.answer
    return out


def hammer(url: str, questions: Sequence[str], clients: int, timeout: float,
           light: bool = False) -> list[Result]:
    """`clients` threads, one Client each, share the questions until done or out of time."""
    todo: queue.Queue[str] = queue.Queue()
    for q in questions:
        todo.put(q)
    results: list[Result] = []
    lock = threading.Lock()
    deadline = time.monotonic() + timeout
    start = threading.Barrier(clients + 1)

    def work() -> None:
        try:
            c = client(url, light)
        except Exception as e:
            with lock:
                results.append(Result("(connect)", 0.0, None, f"{type(e).__name__}: {e}"))
            c = None
        start.wait()
        while c is not None and time.monotonic() < deadline:
            try:
                q = todo.get_nowait()
            except queue.Empty:
                return
            r = ask(c, q)
            with lock:
                results.append(r)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    start.wait(timeout=120)
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()) + 5)
    with lock:
        return list(results)


class RssSampler(threading.Thread):
    """Reads a process's RSS every `every` seconds until stopped; keeps the peak."""

    def __init__(self, pid: int | None, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, rss_kib(pid)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            now = rss_kib(self.pid)
            if now is not None and (self.peak is None or now > self.peak):
                self.peak = now


def figures(results: list[Result], wanted: int, wall: float,
            ref: dict[str, tuple[str, tuple[str, ...]]]) -> dict:
    ok = [r for r in results if r.error is None]
    failed = [r.error for r in results if r.error is not None]
    asked = sum(r.question != "(connect)" for r in results)
    differ = [r.question for r in ok if r.answer != ref.get(r.question)]
    ms = [r.seconds * 1000 for r in ok]
    return {"requests": wanted, "completed": len(ok), "unasked": wanted - asked,
            "errors": len(failed) + wanted - asked, "error_samples": failed[:5],
            "differing_answers": len(differ), "differing_samples": differ[:5],
            "wall_s": round(wall, 2), "throughput_qps": round(len(ok) / wall, 2),
            "latency_ms": {name: round(percentile(ms, p), 1) if ms else None
                           for name, p in (("p50", 50), ("p95", 95), ("p99", 99),
                                           ("max", 100))}}


def run_load(url: str, pid: int | None, questions: Sequence[str], clients: int,
             timeout: float = 600, ref: dict | None = None, light: bool = False) -> dict:
    """The whole measured run against a server at `url` (its process id for RSS); `ref`: the
    single-client answers to compare with (default: asked of this server first, always with
    gradio_client); `light`: the loaded callers use `http_ask` instead of gradio_client."""
    host = urlparse(url).hostname
    if host not in LOOPBACK:
        raise ValueError(f"expected a loopback URL (127.0.0.1 or localhost), got {url}")
    t0 = time.perf_counter()
    ref = reference(url, questions) if ref is None else ref
    single_s = time.perf_counter() - t0
    idle = rss_kib(pid)
    hammer(url, questions[:clients], clients, timeout, light)  # warm-up: the workers' first use
    before = rss_kib(pid)
    sampler = RssSampler(pid)
    sampler.start()
    t0 = time.perf_counter()
    results = hammer(url, questions, clients, timeout, light)
    wall = time.perf_counter() - t0
    sampler.done.set()
    sampler.join()
    after = rss_kib(pid)
    out = {"clients": clients, "caller": "http_ask" if light else "gradio_client",
           "distinct_questions": len(ref),
           "single_client_pass_s": round(single_s, 2)}
    out |= figures(results, len(questions), wall, ref)
    out["rss_mib"] = {"single_client": mib(idle), "before": mib(before), "after": mib(after),
                      "peak": mib(sampler.peak),
                      "growth": mib(after - before) if before and after else None}
    return out


def mib(kib: int | None) -> float | None:
    return None if kib is None else round(kib / 1024, 1)


def pick_questions(n: int) -> list[str]:
    """`n` questions: the hand-built set in its order, cycled."""
    from eval.questions import DEFAULT_SET
    from ingest.questions import read_questions

    pool = [q.question for q in read_questions(DEFAULT_SET)[0]]
    return [pool[i % len(pool)] for i in range(n)]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.perf.load", description=__doc__.split("\n")[0])
    p.add_argument("--clients", type=int, default=16, help="concurrent clients (threads)")
    p.add_argument("--questions", type=int, default=400, help="requests in all")
    p.add_argument("--url", help="a running app on loopback (default: start one)")
    p.add_argument("--pid", type=int, help="the running app's process id, for its RSS")
    p.add_argument("--home", help="index folder for a server it starts")
    p.add_argument("--timeout", type=float, default=600, help="seconds for the loaded phase")
    p.add_argument("--out", default="reports/load.json", help="where to write the figures")
    p.add_argument("--light", action="store_true",
                   help="loaded callers use the standard library, not gradio_client (http_ask)")
    args = p.parse_args(argv)
    if args.clients < 1 or args.questions < 1:
        p.error("--clients and --questions must be at least 1")
    questions = pick_questions(args.questions)
    with tempfile.TemporaryDirectory(prefix="footnoted-load-") as work:
        proc = None
        if args.url is None:
            # a small set for the Evaluation tab's first report: this run measures /ask
            sample = write_sample(Path(work) / "sample.jsonl")
            proc, url = start_server(args.home, Path(work) / "server.log",
                                     ("--reports", str(Path(work) / "reports"),
                                      "--eval-set", str(sample)))
            pid = proc.pid
        else:
            url, pid = args.url, args.pid
        try:
            out = run_load(url, pid, questions, args.clients, args.timeout, light=args.light)
        finally:
            if proc is not None:
                stop_server(proc)
    out["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    text = json.dumps(out, indent=2)
    print(text)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0 if out["errors"] == 0 and out["differing_answers"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
