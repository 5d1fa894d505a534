"""`footnoted eval` end to end on the dev split: every mode and the baseline, intervals and
significance, saved runs scored again, comparisons, TREC export, the gate and the sweep."""

import json
import math
import subprocess
import sys

import ir_measures
import pytest

from eval.trec import MEASURES

pytestmark = pytest.mark.integration


def cli(*args, timeout=900):
    return subprocess.run([sys.executable, "-m", "app.cli", "eval", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def full(engine, engine_home, tmp_path_factory):
    """One full run on dev, with TREC files: (summary, report folder, TREC folder)."""
    out_dir = tmp_path_factory.mktemp("report")
    trec = tmp_path_factory.mktemp("trec")
    out = cli("--split", "dev", "--out", out_dir, "--json", "--home", engine_home,
              "--export-trec", trec)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout), out_dir, trec


def same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(
        x == b[k] or (isinstance(x, float) and math.isnan(x) and math.isnan(b[k]))
        for k, x in a.items())


def test_eval_writes_the_report_with_intervals_and_significance(full):
    summary, out_dir, _ = full
    assert set(summary["modes"]) == {"hybrid", "dense", "bm25", "tutorial baseline"}
    for name in ("report.md", "report.json", "results.jsonl", "questions.jsonl",
                 "recall_at_k.png", "intervals.png", "recall_by_type.png",
                 "runs/hybrid.jsonl", "runs/tutorial-baseline.jsonl"):
        assert (out_dir / name).stat().st_size > 0, name
    hybrid = summary["modes"]["hybrid"]
    assert 0.0 <= hybrid["mrr@10"] <= 1.0 and hybrid["questions"] == summary["questions"]
    assert summary["timing"]["embed_ms"] > 0 and summary["timing"]["batch_n"] > 0
    mean, low, high, n = summary["stats"]["intervals"]["hybrid"]["budget_recall"]
    assert low <= mean <= high and mean == pytest.approx(hybrid["budget_recall"], abs=1e-12)
    assert n == hybrid["answerable"]
    pairs = summary["stats"]["pairs"]
    assert len(pairs) == 6 * len({p["metric"] for p in pairs})  # 4 systems: 6 pairs a metric
    vs_baseline = next(p for p in pairs if p["metric"] == "budget_recall"
                       and (p["a"], p["b"]) == ("hybrid", "tutorial baseline"))
    assert vs_baseline["significant"] and vs_baseline["p_holm"] >= vs_baseline["p"]
    rows = [json.loads(line) for line in (out_dir / "results.jsonl").open()]
    assert len(rows) == 4 * summary["questions"] and {r["split"] for r in rows} == {"dev"}
    md = (out_dir / "report.md").read_text()
    assert "| hybrid |" in md and "## Means with 95% intervals" in md
    assert "| budget_recall | hybrid \u2212 tutorial baseline | +" in md and "significant" in md
    assert f"Resting on {hybrid['answerable']} questions for budget_recall" in md


def test_a_saved_run_reproduces_its_figures_exactly(full, engine_home, tmp_path):
    summary, out_dir, _ = full
    out = cli("--run", out_dir / "runs" / "tutorial-baseline.jsonl", "--split", "dev",
              "--out", tmp_path, "--json", "--home", engine_home)
    assert out.returncode == 0, out.stderr[-2000:]
    again = json.loads(out.stdout)
    assert list(again["modes"]) == ["tutorial baseline"] and "timing" not in again
    assert same(again["modes"]["tutorial baseline"], summary["modes"]["tutorial baseline"])


def test_a_trec_run_over_passage_ids_scores_as_the_engine_did(full, engine):
    from eval.runs import index_passages, read_run
    from eval.scoring import score_run, summarize
    from ingest.questions import read_questions

    summary, out_dir, tmp = full
    rows = [json.loads(line) for line in (out_dir / "results.jsonl").open()]
    lines = [f"{r['qid']} Q0 {pid} {rank} {100 - rank} mine" for r in rows
             if r["system"] == "hybrid" for rank, pid in enumerate(r["passages"], start=1)]
    (tmp / "mine.trec").write_text("\n".join(lines) + "\n")
    run = read_run(tmp / "mine.trec", index_passages(engine.data))
    questions, _ = read_questions(out_dir / "questions.jsonl")
    got = summarize(score_run(run, questions))
    for metric in ("mrr@10", "ndcg@10", "recall@1", "recall@5", "recall@10"):
        assert got[metric] == summary["modes"]["hybrid"][metric], metric
    # a TREC run names ids only, so its passages are the index's whole ones; the engine shows
    # each trimmed of sentences a higher passage already showed, and fits more in the budget
    assert got["budget_recall"] <= summary["modes"]["hybrid"]["budget_recall"]


def test_exported_trec_files_give_the_same_figures_through_ir_measures(full):
    summary, out_dir, trec = full
    rows = [json.loads(line) for line in (out_dir / "results.jsonl").open()]
    qrels = list(ir_measures.read_trec_qrels(str(trec / "qrels.txt")))
    measures = [ir_measures.parse_measure(m) for m in MEASURES.values()]
    doubles = summary["trec"]["doubles"]
    for system, name in summary["trec"]["runs"].items():
        run = list(ir_measures.read_trec_run(str(trec / name)))
        got: dict = {}
        for m in ir_measures.iter_calc(measures, qrels, run):
            got.setdefault(m.query_id, {})[str(m.measure)] = m.value
        mine = [r for r in rows if r["system"] == system and r["answerable"]]
        split = 0
        for r in mine:
            assert got[r["qid"]]["RR@10"] == pytest.approx(r["rr"])
            assert got[r["qid"]]["nDCG@10"] == pytest.approx(r["ndcg"])
            double = any(len(set(c) - set().union(*map(set, r["covered"][:i]))) > 1
                         for i, c in enumerate(r["covered"]))
            for k in (1, 3, 5, 10):
                if double:  # one passage first to hold two gold quotes: TREC counts one
                    assert got[r["qid"]][f"R@{k}"] <= r["recall"][str(k)] + 1e-12
                else:
                    assert got[r["qid"]][f"R@{k}"] == pytest.approx(r["recall"][str(k)])
            split += double
        assert split <= doubles[system]  # each such question is counted in the export
        agg = ir_measures.calc_aggregate(measures, qrels, run)
        s = summary["modes"][system]
        assert agg[ir_measures.parse_measure("RR@10")] == pytest.approx(s["mrr@10"])
        assert agg[ir_measures.parse_measure("nDCG@10")] == pytest.approx(s["ndcg@10"])
        if doubles[system] == 0:
            assert agg[ir_measures.parse_measure("R@5")] == pytest.approx(s["recall@5"])


def test_compare_two_saved_runs_and_the_gate(full, engine_home, tmp_path):
    summary, out_dir, _ = full
    runs = out_dir / "runs"
    out = cli("--compare", runs / "hybrid.jsonl", runs / "dense.jsonl", "--split", "dev",
              "--out", tmp_path, "--json", "--home", engine_home,
              "--fail-under", "recall_budget=0.5,mrr=0.99")
    assert out.returncode == 1, out.stderr[-2000:]
    assert "hybrid below the floor: mrr@10" in out.stderr and "(short by" in out.stderr
    assert "budget_recall" not in out.stderr
    comp = json.loads(out.stdout)["compare"]
    t = comp["metrics"]["budget_recall"]
    assert (comp["a"], comp["b"]) == ("hybrid", "dense")
    assert t["wins"] + t["ties"] + t["losses"] == summary["modes"]["hybrid"]["answerable"]
    changed = {c["qid"] for c in comp["changed"]}
    assert changed and all(c["a"]["passages"] for c in comp["changed"])
    assert "## hybrid against dense, question by question" in (tmp_path / "report.md").read_text()
    ok = cli("--run", runs / "hybrid.jsonl", "--split", "dev", "--out", tmp_path / "ok",
             "--home", engine_home, "--fail-under", "recall_budget=0.5")
    assert ok.returncode == 0, ok.stderr[-2000:]


def test_sweep_refuses_the_test_split_before_loading_anything(engine_home):
    out = cli("--sweep", "alpha=0.5:0.9:0.1", "--split", "test", "--home", engine_home,
              timeout=300)
    assert out.returncode == 2 and "runs on the dev split only" in out.stderr
    assert "test split is kept" in out.stderr and "Traceback" not in out.stderr


def test_a_sweep_on_dev_scores_each_value_against_the_current_one(engine, tmp_path):
    from eval.qset import choose, load_set
    from eval.questions import write_sample
    from eval.sweep import sweep
    from eval.sweep_report import write_sweep
    from ingest import load_document

    path = write_sample(tmp_path / "sample.jsonl")
    dev = choose(load_set(path, load_document(engine.paper)), "dev", path)
    result = sweep(engine, dev, "alpha=0.5,0.9")
    assert result["values"] == ["alpha=0.8", "alpha=0.5", "alpha=0.9"]  # the current first
    assert result["current"] == "alpha=0.8" and result["questions"] == len(dev)
    assert {(p["a"], p["b"]) for p in result["stats"]["pairs"]} == {
        ("alpha=0.8", "alpha=0.5"), ("alpha=0.8", "alpha=0.9")}
    md = write_sweep(result, tmp_path / "out")
    assert "**alpha=0.8** (current)" in md and (tmp_path / "out" / "sweep.png").stat().st_size
    assert engine.config.search.alpha == 0.8  # variants are new engines


def test_eval_refuses_an_empty_split(engine_home, tmp_path):
    qset = tmp_path / "mine.jsonl"
    qset.write_text(json.dumps({"id": "x", "question": "Why?", "gold": [], "split": "dev"}) + "\n")
    out = cli("--set", qset, "--split", "test", "--home", engine_home, timeout=300)
    assert out.returncode == 2 and "no questions in split 'test'" in out.stderr
