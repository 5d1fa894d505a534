"""Bad input everywhere: the question zoo through the Python API, the app, `/ask` and the CLI;
bad options; bad batch files; bad corpus files. Each gets an answer or a one-line error.

The cases already covered elsewhere (an empty or 1,001-character question on the engine, bad
JSON and a line without `question` in a batch, empty/binary/non-UTF-8 papers to `ingest`) are
not repeated here; `docs/reliability.md` lists every case and where it is tested.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import escape

import pytest

from app.batch import ask_batch
from ingest import InputError
from tests.live_server import live_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration

TOO_LONG = "the question is too long (100000 characters; at most 1000)"
# (name, question, the one-line error it must give, or None when it must be answered)
ZOO = [
    ("empty", "", "the question is empty"),
    ("blank", " \t\n\u3000\u00a0 ", "the question is empty"),
    ("only NUL and controls", "\x00\x00\x07\x1b", "the question is empty"),
    ("100,000 characters", "x" * 100_000, TOO_LONG),
    ("NUL and control characters", "What\x00 is\x07 Hanawon\x1b[2J?\x7f\r", None),
    ("right-to-left", "\u202eما هو هانا وون؟ \u05e9\u05dc\u05d5\u05dd \u200fHanawon?", None),
    ("emoji", "What is Hanawon? \U0001f600\U0001f1f0\U0001f1f7 \U0001f469\u200d\U0001f467",
     None),
    ("CJK", "하나원이란 무엇인가? 脱北者はなぜ逃げたのか", None),
    ("script tag", "<script>alert(1)</script> What is Hanawon?", None),
    ("img onerror", '<img src=x onerror="alert(1)"> Why did women defect?', None),
    ("Markdown link and image",
     "[click](javascript:alert(1)) ![x](http://127.0.0.1:9/x.png) **What is Juche?**", None),
    ("only punctuation", "?!...,;:\u2014()[]{}", None),
]
IDS = [name for name, _, _ in ZOO]


def printable(text: str) -> bool:
    return all(ch.isprintable() for ch in text)


def fingerprint(d: dict) -> tuple:
    return d["answer"], [p["id"] for p in d["passages"]]


# --- the Python API -------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "question", "error"), ZOO, ids=IDS)
def test_python_api(engine, name, question, error):
    if error:
        with pytest.raises(InputError, match=re.escape(error)) as caught:
            engine.ask(question)
        assert "\n" not in str(caught.value)
        return
    d = engine.ask(question, qid=name).to_dict()
    text = json.dumps(d, ensure_ascii=False, allow_nan=False)
    assert json.loads(text)["question"] == d["question"]
    assert printable(d["question"]) and d["question"].strip() == d["question"]
    assert len(d["passages"]) == 5 and d["answer"]


# --- the app's Ask view (what the browser shows) --------------------------------------------

@pytest.fixture(scope="module")
def views(engine, tmp_path_factory):
    from app.web import Views

    return Views(engine, tmp_path_factory.mktemp("reports"))


@pytest.mark.parametrize(("name", "question", "error"), ZOO, ids=IDS)
def test_app_shows_escaped_text(views, engine, name, question, error):
    html = views.ask(question, 5, "hybrid")
    for raw in ("<script", "<img", "<a ", "<strong", "href="):
        assert raw not in html
    if error:
        assert html == f'<div class="notice error" role="alert">Cannot ask that: {error}.</div>'
        return
    shown = engine.ask(question).question
    assert f'<p class="question">Q: {escape(shown)}</p>' in html
    assert html.count('<article class="card"') == 5


# --- the /ask endpoint of the running server ------------------------------------------------

@pytest.fixture(scope="module")
def client(live_server):  # noqa: F811
    from gradio_client import Client

    return Client(live_server, verbose=False, analytics_enabled=False)


@pytest.mark.parametrize(("name", "question", "error"), ZOO, ids=IDS)
def test_api(client, engine, name, question, error):
    from gradio_client.exceptions import AppError

    if error:
        with pytest.raises(AppError, match=re.escape(error)):
            client.predict(question, api_name="/ask")
        return
    got = client.predict(question, api_name="/ask")
    assert fingerprint(got) == fingerprint(engine.ask(question).to_dict())
    assert printable(got["question"])


@pytest.mark.parametrize(("k", "mode", "words"), [
    (-1, "hybrid", "k must be a whole number from 1 to 50, got -1"),
    (10**9, "hybrid", "k must be a whole number from 1 to 50, got 1000000000"),
    (5, "fuzzy", "unknown mode 'fuzzy'; valid modes: hybrid, dense, bm25"),
])
def test_api_refuses_bad_options(client, k, mode, words):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match=re.escape(words)):
        client.predict("What is Hanawon?", k, mode, api_name="/ask")


# --- the command line -----------------------------------------------------------------------

def cli(home, *args: str | bytes) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args, "--home", str(home)],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(("args", "words"), [
    (("ask", ""), "the question is empty"),
    (("ask", " \t "), "the question is empty"),
    (("ask", "x" * 100_000), TOO_LONG),
    (("ask", "q", "--k", "-1"), "k must be a whole number from 1 to 50, got -1"),
    (("ask", "q", "--k", "1000000000"), "k must be a whole number from 1 to 50"),
    (("ask", "q", "--mode", "fuzzy"), "(choose from 'hybrid', 'dense', 'bm25')"),
])
def test_cli_refuses_with_one_line_and_exit_2(engine_home, args, words):
    out = cli(engine_home, *args)
    assert out.returncode == 2 and out.stdout == ""
    assert words in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_cli_question_with_controls_rtl_emoji_cjk_html_and_bad_utf8(engine, engine_home):
    # argv cannot carry NUL; it can carry escapes and bytes that are not UTF-8 (\xff)
    question = ("\x1b[31m\u202eWhat is Hanawon? \U0001f600 하나원 <script>alert(1)</script> "
                "[x](javascript:x)").encode() + b" \xff\xfe"
    out = cli(engine_home, b"ask", question, b"--json")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert printable(got["question"]) and "<script>alert(1)</script>" in got["question"]
    assert got["passages"] and "Traceback" not in out.stderr


def test_cli_batch_zoo_keeps_json_valid_and_reports_each_bad_line(engine, engine_home,
                                                                   tmp_path):
    lines = [json.dumps({"id": name, "question": q}) for name, q, _ in ZOO]
    batch = tmp_path / "zoo.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = cli(engine_home, "ask", "--batch", str(batch), "--json")
    assert out.returncode == 1 and "Traceback" not in out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == [name for name, _, error in ZOO if not error]
    assert all(printable(r["question"]) for r in rows)
    errors = out.stderr.strip().splitlines()
    bad = [(n, e) for n, (_, _, e) in enumerate(ZOO, start=1) if e]
    assert errors[:-1] == [f"{batch}:{n}: {e}" for n, e in bad]
    assert errors[-1] == f"{len(bad)} of {len(ZOO)} lines failed"


@pytest.mark.parametrize(("content", "words"), [
    (b"", "the file is empty"),
    (b"\n  \n\t\n", "the file is empty"),
    (b"\xef\xbb\xbf\n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks like a binary file"),
    (b"\xff\xfeW\x00h\x00y\x00?\x00", "UTF-16 text; save it as UTF-8"),
    (b'{"question": "caf\xe9?"}\n', "not UTF-8 text"),
])
def test_cli_batch_file_that_is_empty_binary_or_not_utf8(engine_home, tmp_path, content,
                                                         words):
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(content)
    out = cli(engine_home, "ask", "--batch", str(batch), "--json")
    assert out.returncode == 2 and out.stdout == ""
    assert words in out.stderr and len(out.stderr.strip().splitlines()) == 1


# --- batch lines, in-process (the same function the CLI calls) ------------------------------

def test_batch_odd_lines(engine, tmp_path, capsys):
    batch = tmp_path / "odd.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "\ud800", "question": "What is Hanawon?"}),  # 1: lone surrogate id
        json.dumps({"id": 7, "question": 7}),                            # 2: not a string
        '"just a string"',                                               # 3: a plain line
        "",                                                              # 4: skipped
        json.dumps({"id": "ok", "question": "What is Juche?"}),          # 5
        json.dumps({"id": "nul", "question": "What\u0000 is Hanawon?"}),  # 6
        json.dumps({"id": "long", "question": "y" * 100_000}),           # 7
    ]) + "\n", encoding="utf-8")
    assert ask_batch(engine, str(batch), 3, "hybrid", as_json=True) == 1
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["line-3", "ok", "nul"]
    assert rows[2]["question"] == "What is Hanawon?"
    assert err.splitlines() == [
        f"{batch}:1: the id is not valid Unicode (a lone surrogate)",
        f"{batch}:2: no 'question' string",
        f"{batch}:7: {TOO_LONG}",
        "3 of 6 lines failed",
    ]


def test_batch_text_output_sends_no_control_characters_to_the_terminal(engine, tmp_path,
                                                                       capsys):
    batch = tmp_path / "ansi.jsonl"
    batch.write_text(json.dumps({"id": "\x1b[31mred", "question": "What\x1b[2J is Hanawon?\x00"})
                     + "\n", encoding="utf-8")
    assert ask_batch(engine, str(batch), 2, "hybrid", as_json=False) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("##  [31mred: What [2J is Hanawon?\n")
    assert all(ch.isprintable() or ch == "\n" for ch in out)


# --- corpus files ---------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "words"), [
    (b"\xef\xbb\xbf  \n\n", "the file is empty"),
    ("\u3000\u00a0\n".encode(), "the file is empty"),
    ("A paper\n".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00", "damaged PDF"),  # read as a PDF
    (b"na\xefve caf\xe9\n", "not UTF-8 text (invalid continuation byte at byte 2)"),
])
def test_ingest_refuses_what_is_not_a_text_paper(tmp_path, capsys, content, words):
    from app.cli import main

    path = tmp_path / "paper.txt"
    path.write_bytes(content)
    assert main(["ingest", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and words in err and len(err.strip().splitlines()) == 1


def test_the_engine_refuses_a_bad_paper_before_building(tmp_path, embedder):
    from index import open_engine

    path = tmp_path / "paper.bin"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" * 8)
    with pytest.raises(InputError, match="looks like a binary file"):
        open_engine(paper=path, home=tmp_path / "home", embedder=embedder)


@pytest.mark.parametrize("text", [
    "... --- !!! ???\n",
    "One line with no headings, no footnotes and no full stop",
    "\u4e2d\u6587\u7684\u8bba\u6587\u3002\u6ca1\u6709\u6807\u9898\u3002\n",
])
def test_a_paper_with_no_headings_footnotes_or_words_gives_a_sensible_engine(tmp_path,
                                                                            embedder, text):
    from index import open_engine

    path = tmp_path / "odd.txt"
    path.write_text(text, encoding="utf-8")
    engine = open_engine(paper=path, home=tmp_path / "home", embedder=embedder)
    for mode in ("hybrid", "dense", "bm25"):
        a = engine.ask("What is this paper about?", k=3, mode=mode)
        assert a.passages and a.passages[0].section == "Untitled"
        json.dumps(a.to_dict(), allow_nan=False)
