"""Run files (JSONL and TREC), scoring a run, and TREC export checked with ir_measures."""

from __future__ import annotations

import json

import ir_measures
import pytest

from eval.runs import Entry, Retrieved, Run, read_run, save_run, slug
from eval.scoring import score_run, summarize
from eval.trec import MEASURES, export
from ingest import InputError
from tests.eval_data import GOLD_A, GOLD_B, OFF, QUESTIONS, run_one, run_two, tiny_results


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_scores_follow_the_gold_quotes_not_the_ids():
    res = {r.qid: r for r in tiny_results()["one"]}
    assert res["q1"].first_relevant == 1 and res["q1"].answer_hit is True
    assert res["q2"].recall[1] == 0.0 and res["q2"].recall[3] == 1.0  # both golds at rank 2
    assert res["q2"].answer_hit is False and res["q3"].answer_hit is None
    two = {r.qid: r for r in tiny_results()["two"]}
    assert two["q2"].recall[10] == 0.5  # gold B, held by a footnote source shown with it
    assert two["q1"].answer is None and two["q1"].answer_hit is None
    s = summarize(tiny_results()["two"])
    assert s["answer_hit"] != s["answer_hit"]  # nan: no answer text, not a zero


def test_jsonl_round_trip_scores_the_same(tmp_path):
    run = run_one()
    save_run(run, tmp_path / "one.jsonl")
    back = read_run(tmp_path / "one.jsonl")
    assert back.system == "one" and back.entries == run.entries
    assert summarize(score_run(back, QUESTIONS)) == pytest.approx(
        summarize(score_run(run, QUESTIONS)), nan_ok=True)


def test_minimal_jsonl_lines_and_a_missing_question(tmp_path):
    path = write(tmp_path / "mine.jsonl", [
        json.dumps({"id": "q1", "passages": [OFF, f"so {GOLD_A}"]}),
        json.dumps({"id": "q2", "passages": [{"text": GOLD_B, "id": "x9"}],
                    "answer": GOLD_B, "abstained": False}),
    ])
    run = read_run(path)
    assert run.system == "mine" and run.entry("q1").passages[1].id == "r2"
    assert run.entry("q3").passages == ()  # not in the run: nothing retrieved
    res = {r.qid: r for r in score_run(run, QUESTIONS)}
    assert res["q1"].first_relevant == 2 and res["q2"].passages == ("x9",)
    assert res["q2"].recall[1] == 0.5 and res["q2"].answer_hit is True


@pytest.mark.parametrize(("line", "reason"), [
    ("{bad", "bad JSON"),
    ('["q1"]', "expected a JSON object"),
    ('{"passages": []}', "no 'id'"),
    ('{"id": "q1", "passages": "text"}', "'passages' must be a list"),
    ('{"id": "q1", "passages": [3]}', "passage 1 must be a text"),
    ('{"id": "q1", "passages": [], "answer": 3}', "'answer' must be a string"),
    ('{"id": "q1", "passages": [], "abstained": "no"}', "'abstained' must be true or false"),
    ('{"id": "q1", "passages": [], "seconds": -1}', "'seconds' must be a number"),
])
def test_bad_jsonl_lines_name_file_line_and_reason(tmp_path, line, reason):
    path = write(tmp_path / "bad.jsonl", [json.dumps({"id": "q0", "passages": []}), line])
    with pytest.raises(InputError, match=f"bad.jsonl:2: .*{reason}"):
        read_run(path)


def test_a_question_twice_or_two_systems_are_refused(tmp_path):
    line = json.dumps({"id": "q1", "passages": []})
    with pytest.raises(InputError, match="appears twice"):
        read_run(write(tmp_path / "twice.jsonl", [line, line]))
    with pytest.raises(InputError, match="several systems"):
        read_run(write(tmp_path / "two.jsonl", [
            json.dumps({"id": "q1", "passages": [], "system": "a"}),
            json.dumps({"id": "q2", "passages": [], "system": "b"})]))


def test_trec_runs_are_ranked_by_score_and_read_through_the_index(tmp_path):
    texts = {"a": Retrieved("a", GOLD_A), "b": Retrieved("b", OFF)}
    path = write(tmp_path / "run.txt", ["q1 Q0 b 1 0.2 bm25x", "q1 Q0 a 2 0.9 bm25x",
                                        "q2 Q0 a 1 1.0 bm25x"])
    run = read_run(path, texts.get)
    assert run.system == "bm25x" and [p.id for p in run.entry("q1").passages] == ["a", "b"]
    assert score_run(run, QUESTIONS)[0].first_relevant == 1
    with pytest.raises(InputError, match="run.txt:1: passage 'zz' is not in this paper"):
        read_run(write(tmp_path / "run.txt", ["q1 Q0 zz 1 1 t"]), texts.get)
    with pytest.raises(InputError, match=r"expected 'qid Q0 docid rank score tag'"):
        read_run(write(tmp_path / "run.txt", ["q1 Q0 a 1"]), texts.get)
    with pytest.raises(InputError, match="needs the paper's index"):
        read_run(write(tmp_path / "run.txt", ["q1 Q0 a 1 1 t"]))


def test_slug_names_files():
    assert slug("tutorial baseline") == "tutorial-baseline" and slug("../x") == "x"


def per_query(folder, run_file):
    qrels = list(ir_measures.read_trec_qrels(str(folder / "qrels.txt")))
    run = list(ir_measures.read_trec_run(str(folder / run_file)))
    measures = [ir_measures.parse_measure(m) for m in MEASURES.values()]
    got: dict = {}
    for m in ir_measures.iter_calc(measures, qrels, run):
        got.setdefault(m.query_id, {})[str(m.measure)] = m.value
    return got


def ours(r, metric):
    if metric.startswith("recall@"):
        return r.recall[int(metric[7:])]
    return r.rr if metric == "mrr@10" else r.ndcg


def test_exported_trec_files_give_the_same_figures_through_ir_measures(tmp_path):
    results = tiny_results()
    done = export(results, QUESTIONS, tmp_path)
    assert (tmp_path / "qrels.txt").read_text().split("\n")[:3] == [
        "q1 0 q1/g0 1", "q2 0 q2/g0 1", "q2 0 q2/g1 1"]
    # run one's q2 holds both golds in one passage: footnoted counts two, TREC one
    assert done["doubles"] == {"one": 1, "two": 0}
    for system, rs in results.items():
        got = per_query(tmp_path, done["runs"][system])
        for r in rs:
            if not r.answerable:
                assert r.qid not in got  # no qrels: left out, as footnoted leaves it out
                continue
            for metric, name in MEASURES.items():
                if system == "one" and r.qid == "q2" and metric.startswith("recall@"):
                    continue  # the one double, checked below
                assert got[r.qid][name] == pytest.approx(ours(r, metric)), (system, r.qid, name)
    assert per_query(tmp_path, done["runs"]["one"])["q2"]["R@3"] == 0.5
    assert "1 rank(s) held two new gold quotes" in (tmp_path / "README.md").read_text()


def test_run_without_passages_is_scored_as_nothing_found():
    run = Run("empty", (Entry("q1", ()),))
    r = score_run(run, QUESTIONS[:1])[0]
    assert r.recall[10] == 0.0 and r.first_relevant is None and r.budget_recall == 0.0
    assert r.passage_chars != r.passage_chars  # nan: no passages to measure
    assert run_two().entry("q1").passages[1].evidence == GOLD_A


def test_saved_runs_keep_apart_from_systems_and_each_other(tmp_path):
    from types import SimpleNamespace

    from eval.benchmark import saved

    for name in ("a.jsonl", "b.jsonl"):
        save_run(Run("hybrid", run_one().entries), tmp_path / name)
    index = SimpleNamespace(data=SimpleNamespace(chunks=(), footnote_map={}))
    runs = saved([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], index, QUESTIONS, ["hybrid"])
    assert list(runs) == ["hybrid (a.jsonl)", "hybrid (b.jsonl)"]
    assert [r.system for r in runs.values()] == list(runs)
    write(tmp_path / "stray.jsonl", [json.dumps({"id": "q9", "passages": []})])
    with pytest.raises(InputError, match="question 'q9' is not in the question set"):
        saved([tmp_path / "stray.jsonl"], index, QUESTIONS)
