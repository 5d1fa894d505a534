"""Question sets checked against a paper, the regression gate, sweep specs, comparisons and
gold highlighting: the pure parts of `footnoted eval`'s options."""

from __future__ import annotations

import json
from html import escape

import pytest

from eval.compare import compare, tally
from eval.gate import parse_floors, shortfalls
from eval.highlight import gold_span, mark, tokens_with_offsets
from eval.qset import choose, load_set
from eval.sweep import REFUSED, parse, refuse_split, settings
from ingest import InputError, parse_document
from tests.conftest import TINY
from tests.eval_data import GOLD_A, QUESTIONS, run_one, run_two, tiny_results

DOC = parse_document(TINY)


def set_file(tmp_path, rows):
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_a_minimal_set_without_splits_is_scored_whole(tmp_path):
    path = set_file(tmp_path, [
        {"id": "a", "question": "Who did defectors meet?", "gold": ["met Dr. Kim in the U.S."]},
        {"id": 2, "question": "Why did women leave?", "gold": ["women left for food"],
         "type": "why"},
        {"id": "c", "question": "What did the Pope say?", "gold": []},
    ])
    qs = load_set(path, DOC)
    assert [q.id for q in qs] == ["a", "2", "c"] and {q.split for q in qs} == {None}
    assert qs[1].type == "why" and not qs[2].answerable
    assert choose(qs, "test", path) == qs  # no splits: --split does not thin it out


@pytest.mark.parametrize(("rows", "reason"), [
    ([{"id": "a", "question": "Q?", "gold": ["not in this paper at all"]}],
     "set.jsonl:1: gold quote 1 is not in the paper: 'not in this paper at all'"),
    ([{"id": "a", "question": "Q?", "gold": []}, {"id": "a", "question": "R?", "gold": []}],
     "set.jsonl:2: id 'a' is already used on line 1"),
    ([{"question": "Q?", "gold": []}], "set.jsonl:1: no 'id'"),
    ([{"id": "a", "question": "Q?"}], "set.jsonl:1: no 'gold'"),
    (["Why did women leave?"], "set.jsonl:1: not a JSON object with id, question and gold"),
    (["{nope"], "set.jsonl:1: bad JSON"),
    ([{"id": "a", "question": "Q?", "gold": "women left for food"}], "'gold' must be a list"),
    ([{"id": "a", "question": "Q?", "gold": [], "split": "train"}], "'split' must be one of"),
    ([{"id": "a", "question": "x" * 1001, "gold": []}], "set.jsonl:1: question: the question"),
    ([{"id": "a", "question": " ", "gold": []}], "question: the question is empty"),
    ([{"id": "a", "question": "Q?", "gold": [], "split": "dev"},
      {"id": "b", "question": "R?", "gold": []}],
     "set.jsonl:2: no 'split', while other questions have one"),
])
def test_bad_sets_get_one_line_errors(tmp_path, rows, reason):
    with pytest.raises(InputError, match=reason.replace("?", r"\?").replace(".", r"\.")) as e:
        load_set(set_file(tmp_path, rows), DOC)
    assert "\n" not in str(e.value)


def test_an_empty_split_is_refused(tmp_path):
    path = set_file(tmp_path, [{"id": "a", "question": "Q?", "gold": [], "split": "dev"}])
    with pytest.raises(InputError, match="no questions in split 'test'"):
        choose(load_set(path, DOC), "test", path)


def test_floors_parse_with_aliases_and_report_the_shortfall():
    floors = parse_floors("recall_budget=0.90, mrr=0.75,ndcg@10=0.5")
    assert floors == {"budget_recall": 0.9, "mrr@10": 0.75, "ndcg@10": 0.5}
    got = shortfalls({"budget_recall": 0.871, "mrr@10": 0.8, "ndcg@10": float("nan")}, floors)
    assert got[0] == "budget_recall 0.871 < 0.900 (short by 0.029)"
    assert len(got) == 2 and got[1].startswith("ndcg@10 has no value")
    assert shortfalls({"budget_recall": 0.95, "mrr@10": 0.8, "ndcg@10": 0.6}, floors) == []


@pytest.mark.parametrize(("text", "words"), [
    ("mrr", "METRIC=VALUE"), ("speed=0.5", "unknown metric 'speed'"),
    ("false_abstention=0.1", "unknown metric"), ("mrr=high", "needs a number"),
    ("mrr=1.5", "from 0 to 1"), ("", "METRIC=VALUE"),
])
def test_bad_floors_are_refused(text, words):
    with pytest.raises(InputError, match=words):
        parse_floors(text)


def test_sweep_specs():
    assert parse("alpha=0.5:0.9:0.1") == ("search", "alpha", [0.5, 0.6, 0.7, 0.8, 0.9])
    assert parse("answer.pool=1:3:1") == ("answer", "pool", [1, 2, 3])
    assert parse("fusion=score,rrf") == ("search", "fusion", ["score", "rrf"])
    assert parse("threshold=0.2,0.3") == ("answer", "threshold", [0.2, 0.3])
    assert {"alpha", "late", "search.rrf_k", "answer.join"} <= set(settings())


@pytest.mark.parametrize(("spec", "words"), [
    ("alpha", "NAME=START:STOP:STEP"), ("chunk_chars=300:600:100", "unknown setting"),
    ("alpha=0.9:0.5:0.1", "STOP >= START"), ("alpha=0:1:0.001", "at most 50"),
    ("pool=1:2:0.5", "whole numbers"), ("pool=a,b", "expected int values"),
    # issue 22: each of these ended in a traceback, the last after 80 s of arithmetic
    ("alpha=0:1:NaN", "finite numbers"), ("alpha=0:Infinity:1", "finite numbers"),
    ("alpha=0:1E+999999999:1", "finite numbers"), ("alpha=0:1:1E-999999", "finite numbers"),
    ("alpha=nan,0.5", "finite numbers"), ("alpha=inf", "finite numbers"),
    ("alpha=1e400", "finite numbers"), ("alpha=0:1000:0.001", "at most 50"),
])
def test_bad_sweep_specs(spec, words):
    with pytest.raises(InputError, match=words):
        parse(spec)


@pytest.mark.parametrize("split", ["test", "all"])
def test_sweep_refuses_any_split_but_dev(split):
    with pytest.raises(InputError) as e:
        refuse_split(split)
    assert str(e.value).startswith(REFUSED) and "test split" in str(e.value)
    refuse_split("dev")


def test_wins_ties_losses_and_changed_questions():
    assert tally({"a": 1, "b": 0, "c": 0.5}, {"a": 0, "b": 0, "c": 1, "z": 1}) == {
        "wins": 1, "ties": 1, "losses": 1, "n": 3}
    res = tiny_results()
    got = compare(res["one"], res["two"], {q.id: q.question for q in QUESTIONS},
                  {"one": run_one(), "two": run_two()})
    assert got["metrics"]["mrr@10"] == {"wins": 1, "ties": 0, "losses": 1, "n": 2}
    changed = {c["qid"]: c for c in got["changed"]}
    assert set(changed) == {"q1", "q2", "q3"}
    assert changed["q3"]["metrics"] == ["abstention_recall"]  # one abstained, two did not
    q1 = changed["q1"]
    assert set(q1["better"].values()) == {"one"} and q1["a"]["first_relevant"] == 1
    assert q1["b"]["passages"][1] == {"id": "a", "text": GOLD_A, "relevant": True}


def test_gold_span_and_marking():
    text = "The study found that \u201conly 607 North Koreans\u201d defected <then>."
    span = gold_span(text, "only 607 North Koreans defected to the South")
    assert text[span[0]:span[1]] == "only 607 North Koreans\u201d defected"
    html = mark(text, [span, (span[0] + 5, span[1] + 3)], escape)
    assert html.count('<mark class="gold">') == 1 and html.endswith("hen&gt;.")
    assert gold_span(text, "nothing shared here") is None
    assert gold_span("The Life of Labor", "The need to provide for their families") is None
    assert tokens_with_offsets("\u2460 x") is None or gold_span("\u2460 x", "x") is not None


def test_text_from_sets_and_runs_cannot_add_markdown():
    from eval.report import compare_lines, md

    assert md("Why *this* [x](http://e) <img src=x> | ![i](u)\nnext") == \
        "Why \\*this\\* \\[x\\](http://e) \\<img src=x\\> \\| \\!\\[i\\](u) next"
    comp = {"a": "a|b", "b": "c", "metrics": {}, "changed": [
        {"qid": "q1", "type": "t", "question": "[click](http://e)", "better": {"mrr@10": "c"},
         "a": {"first_relevant": None, "passages": []},
         "b": {"first_relevant": 1, "passages": [{"id": "p1", "relevant": True}]}}]}
    text = "\n".join(compare_lines(comp))
    assert "\\[click\\](http://e)" in text and "a\\|b" in text and "p1\\*" in text
