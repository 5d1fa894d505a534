"""Hostile requests refused cheaply: an over-long question costs no memory before it is
refused, and a deeply nested JSON line is one bad line, not a crash."""

from __future__ import annotations

import json
import tracemalloc

import pytest

from index.engine import check_request
from ingest import InputError


def test_an_over_long_question_is_refused_before_it_is_cleaned():
    question = "How many? " * 2_000_000  # 20 MB, as a hostile client sent to /ask
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="the question is too long"):
            check_request(question, 5, "hybrid")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"refusing it allocated {peak / 1e6:.0f} MB"


def test_a_question_padded_with_spaces_is_judged_by_its_words():
    assert check_request("  What   is\tHanawon? " + " " * 1500, 5, "hybrid")[0] == \
        "What is Hanawon?"


def test_a_deeply_nested_json_line_is_one_bad_line():
    from ingest.questions import BadLine, parse_line

    line = '{"question": "q", "x": ' + "[" * 1500 + "]" * 1500 + "}"
    got = parse_line(line, 7)
    assert isinstance(got, BadLine) and got.line == 7 and "nested" in got.reason
    assert json.loads('{"question": "q", "x": [[1]]}')  # shallow nesting stays fine
