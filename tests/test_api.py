"""The named `/ask` endpoint of the running app, through gradio_client as any caller would."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.live_server import live_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration

FAMINE = ("Roughly how many North Koreans starved to death in the famine of the 1990s, "
          "according to the paper?")  # q012, dev split: "about half a million", p. 2


@pytest.fixture(scope="module")
def client(live_server):  # noqa: F811
    from gradio_client import Client

    return Client(live_server, verbose=False)


def test_ask_is_listed_with_its_inputs(client):
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    assert list(endpoints) == ["/ask"]
    params = {p["parameter_name"]: p for p in endpoints["/ask"]["parameters"]}
    assert list(params) == ["question", "k", "mode", "paper", "scope", "papers"]
    assert not params["question"]["parameter_has_default"]
    assert params["k"]["parameter_default"] == 5
    assert params["mode"]["parameter_default"] == "hybrid"
    assert params["paper"]["parameter_default"] == "bundled"  # optional: old calls still work
    assert params["scope"]["parameter_default"] == "paper"


def test_ask_returns_the_cli_json_object(client):
    got = client.predict(FAMINE, api_name="/ask")
    assert set(got) == {"id", "question", "answer", "abstained", "confidence", "kind", "mode",
                        "reason", "citations", "passages"}
    assert got["reason"] is None  # an answer; an abstention says why
    assert got["confidence"] in ("high", "medium", "low") and got["kind"] == "count"
    assert "half a million" in got["answer"] and not got["abstained"] and got["mode"] == "hybrid"
    assert len(got["passages"]) == 5
    first = got["passages"][0]
    assert first["section"] == "Introduction" and first["pages"] and first["rank"] == 1
    assert got["citations"][0]["passage"] in {p["id"] for p in got["passages"]}


def test_ask_takes_k_and_mode(client):
    got = client.predict(FAMINE, 3, "bm25", api_name="/ask")
    assert got["mode"] == "bm25" and len(got["passages"]) == 3
    got = client.predict(FAMINE, k=2, mode="dense", api_name="/ask")
    assert got["mode"] == "dense" and len(got["passages"]) == 2


def test_ask_shows_a_footnote_source(client):
    got = client.predict("Were male defectors more depressed than female defectors?",
                         api_name="/ask")
    notes = {f["number"]: f for p in got["passages"] for f in p["footnotes"]}
    assert notes[22]["source"].startswith("Jeon, Woo-Taek")
    assert "(2008)" in notes[22]["source"] and not notes[22]["missing"]


@pytest.mark.parametrize(("question", "words"), [
    ("", "the question is empty"),
    ("z" * 1001, "too long (1001 characters; at most 1000)"),
])
def test_bad_input_is_a_clear_error_and_the_server_lives_on(client, question, words):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=re.escape(words)):
        client.predict(question, api_name="/ask")
    assert "half a million" in client.predict(FAMINE, 1, api_name="/ask")["answer"]


def test_bad_k_is_refused(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="k must be a whole number from 1 to 50"):
        client.predict(FAMINE, 0, api_name="/ask")


def test_html_in_the_question_comes_back_as_plain_text(client):
    question = "<b>What is Hanawon?</b> <script>alert(1)</script>"
    got = client.predict(question, api_name="/ask")
    assert got["question"] == question


def test_ask_takes_a_library_paper_by_name(client, engine_home, embedder, tmp_path):
    from gradio_client.exceptions import AppError

    from index.library import add
    from tests.conftest import TINY

    path = tmp_path / "Tiny API paper.txt"
    path.write_text(TINY + "\nAn API test paper ends here.", encoding="utf-8")
    name = add(path, engine_home, embedder).entry.name
    got = client.predict("Why had the women left?", 3, "hybrid", name, api_name="/ask")
    # the named paper's passage comes back; its answer may be an abstention: the abstention
    # model, learned on the bundled paper, does not carry over to a 16-sentence paper
    top = got["passages"][0]
    assert top["section"] == "Method and Results" and "Women left for food" in top["text"]
    assert "half a million" in client.predict(FAMINE, 3, "hybrid", api_name="/ask")["answer"]
    with pytest.raises(AppError, match="no paper named 'nope' in the library"):
        client.predict(FAMINE, 3, "hybrid", "nope", api_name="/ask")

    # several papers at once: the whole library, or those named; each passage names its paper
    every = client.predict("Why had the women left?", 3, "hybrid", "bundled", "library",
                           api_name="/ask")
    assert {"bundled", name} <= {p["name"] for p in every["papers"]}
    assert every["passages"][0]["paper"] == name
    assert all(p["paper"] in {q["name"] for q in every["papers"]} for p in every["passages"])
    some = client.predict(FAMINE, 2, "hybrid", "bundled", "selected", [name, "bundled"],
                          api_name="/ask")
    assert [p["name"] for p in some["papers"]] == [name, "bundled"]
    assert some["passages"][0]["paper"] == "bundled" and "half a million" in some["answer"]
    with pytest.raises(AppError, match="scope must be one of paper, selected, library"):
        client.predict(FAMINE, 3, "hybrid", "bundled", "all", api_name="/ask")
    with pytest.raises(AppError, match="pick the papers to ask"):
        client.predict(FAMINE, 3, "hybrid", "bundled", "selected", [], api_name="/ask")


def test_the_upload_route_refuses_a_file_over_50_mb(live_server, tmp_path,  # noqa: F811
                                                     engine_home):
    import httpx

    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024 + 1)
    with big.open("rb") as f:
        got = httpx.post(f"{live_server}gradio_api/upload", files={"files": ("big.pdf", f)},
                         timeout=120)
    assert got.status_code == 413
    assert got.text == "File size exceeded maximum allowed size of 52428800 bytes."
    small = tmp_path / "small.txt"
    small.write_text("A small file.", encoding="utf-8")
    with small.open("rb") as f:
        ok = httpx.post(f"{live_server}gradio_api/upload", files={"files": ("small.txt", f)})
    assert ok.status_code == 200 and ok.json()[0].endswith("small.txt")
    assert Path(ok.json()[0]).resolve().is_relative_to(engine_home.resolve() / "uploads")


def test_the_benchmark_run_cannot_be_queued_against_questions(client, live_server,  # noqa: F811
                                                              engine_home):
    """64 anonymous posts to the raw queue route of the Evaluation tab's run button: every
    one returns at once (one run starts, the rest are told one is going), /ask still answers,
    and the run writes under the home folder, not the server's working folder."""
    import json
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from eval.perf.load import ROOT

    config = json.load(urllib.request.urlopen(live_server + "config", timeout=30))
    buttons = {c["id"] for c in config["components"] if c.get("type") == "button"
               and str(c.get("props", {}).get("value", "")).startswith("Run the benchmark")}
    fn = next(d["id"] for d in config["dependencies"]
              if any(t[0] in buttons for t in d["targets"]))
    before = sorted((ROOT / "reports").rglob("*")) if (ROOT / "reports").exists() else []

    def post(i: int) -> int:
        body = json.dumps({"data": [None], "fn_index": fn,  # the picked paper: the first
                           "session_hash": f"flood{i}"}).encode()
        req = urllib.request.Request(live_server + "gradio_api/queue/join", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status

    with ThreadPoolExecutor(16) as pool:
        assert list(pool.map(post, range(64))) == [200] * 64
    said = []
    for i in (0, 1, 2):
        url = f"{live_server}gradio_api/queue/data?session_hash=flood{i}"
        with urllib.request.urlopen(url, timeout=60) as stream:
            for line in stream:
                if b"process_completed" in line:
                    said.append(json.loads(line.decode()[5:])["output"]["data"][0])
                    break
    assert sum("already going" in s for s in said) >= 2 and len(said) == 3
    for _ in range(3):
        assert "half a million" in client.predict(FAMINE, api_name="/ask")["answer"]
    after = sorted((ROOT / "reports").rglob("*")) if (ROOT / "reports").exists() else []
    assert after == before  # nothing written into the server's working folder
    deadline = time.monotonic() + 600  # the run going (this one, or the first report's) ends
    while not list(engine_home.glob("*/reports/builds/report-*")) and \
            time.monotonic() < deadline:
        time.sleep(1)
    runs = list(engine_home.glob("*/reports/builds/*"))
    assert runs and len([r for r in runs if r.name.startswith("tmp-")]) <= 1

