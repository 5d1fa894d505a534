"""Properties (hypothesis) over ask and over reading files: nothing raises but `InputError`,
and what comes out is valid JSON. `test_fuzz_ingest.py` has the ingest properties (no raise on
any text, no word lost); this adds arbitrary bytes as a file, batch lines, and `Engine.ask`.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index.config import MODES
from ingest import Chunking, InputError, chunk, load_document
from ingest.questions import BadLine, Question, parse_line

WORD = re.compile(r"\w+")
# Every code point, surrogates and controls included, and the awkward ones more often.
CHAR = st.one_of(st.characters(exclude_categories=()),
                 st.sampled_from(["\x00", "\x1b", "\x7f", "\ud800", "\udfff", "\u202e", "\u200d",
                                  "\ufeff", "\u3000", "\n", "<", "&", "]", "("]))
QUESTION = st.one_of(st.text(CHAR, max_size=80), st.text(CHAR, min_size=990, max_size=1100),
                     st.sampled_from(["", " ", "?", "What is Hanawon?", "\x00" * 5]))
ANY_K = st.one_of(st.integers(-5, 60), st.none(), st.booleans(), st.floats(),
                  st.text(max_size=3), st.just(10**30))
ANY_MODE = st.one_of(st.sampled_from(MODES), st.none(), st.text(max_size=8), st.integers())


@pytest.mark.integration
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(question=QUESTION, k=ANY_K, mode=ANY_MODE)
@example(question="What\x00 is\ud800 Hanawon?\x1b[2J", k=5, mode="hybrid")
@example(question="x" * 100_000, k=5, mode="hybrid")
def test_ask_raises_only_input_error_and_gives_json(engine, question, k, mode):
    try:
        answer = engine.ask(question, k=k, mode=mode)
    except InputError as e:
        assert str(e) and "\n" not in str(e)
        return
    d = answer.to_dict()
    text = json.dumps(d, ensure_ascii=False, allow_nan=False)
    text.encode("utf-8")  # no lone surrogate survives into the output
    assert json.loads(text)["question"] == d["question"]
    assert all(ch.isprintable() for ch in d["question"]) and d["question"]
    assert 1 <= len(d["passages"]) <= 50
    assert {c["passage"] for c in d["citations"]} <= {p["id"] for p in d["passages"]}


def file_bytes() -> st.SearchStrategy[bytes]:
    text = st.text(CHAR.filter(lambda c: not "\ud800" <= c <= "\udfff"), max_size=300)
    return st.one_of(st.binary(max_size=300), text.map(lambda t: t.encode("utf-8")),
                     text.map(lambda t: t.encode("utf-16")),
                     text.map(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")))


@settings(max_examples=200, deadline=None)
@given(data=file_bytes())
def test_reading_any_bytes_as_a_paper_raises_only_input_error_and_keeps_words(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "paper.txt"
        path.write_bytes(data)
        try:
            doc = load_document(path)
        except InputError as e:
            assert "\n" not in str(e)
            return
    text = data.decode("utf-8-sig")
    chunks = chunk(doc, Chunking(chars=80, overlap=1))
    pieces = [c.text for c in chunks] + [s.title for s in doc.sections]
    pieces += [f"{f.number} {f.text}" for f in doc.footnotes]
    assert set(WORD.findall(text)) <= set(WORD.findall(" ".join(pieces)))


JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.text(CHAR),
                          lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                          max_leaves=8)
KEYS = st.sampled_from(["id", "question", "gold", "answer", "type", "section", "footnotes",
                        "split"])
BATCH_LINE = st.one_of(
    st.text(CHAR, max_size=120),
    st.dictionaries(KEYS, JSON_VALUE, max_size=8).map(json.dumps),
    st.dictionaries(KEYS, JSON_VALUE, max_size=8).map(lambda d: json.dumps(d)[:-1]),
)


@settings(max_examples=300, deadline=None)
@given(line=BATCH_LINE)
@example(line='{"question": "q", "footnotes": 5}')
def test_a_batch_line_is_a_question_a_bad_line_or_blank_and_never_raises(line):
    parsed = parse_line(line, 3)
    assert parsed is None or isinstance(parsed, Question | BadLine)
    if isinstance(parsed, BadLine):
        assert parsed.line == 3 and "\n" not in parsed.reason
