"""`footnoted eval` end to end on the dev split: every mode and the baseline, report files."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def test_eval_writes_the_report_and_prints_json(engine, engine_home, tmp_path):
    out_dir = tmp_path / "report"
    out = subprocess.run([sys.executable, "-m", "app.cli", "eval", "--split", "dev", "--out",
                          str(out_dir), "--json", "--home", str(engine_home)],
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    summary = json.loads(out.stdout)
    assert set(summary["modes"]) == {"hybrid", "dense", "bm25", "tutorial baseline"}
    for name in ("report.md", "report.json", "results.jsonl", "recall_at_k.png",
                 "recall_by_type.png"):
        assert (out_dir / name).stat().st_size > 0, name
    hybrid = summary["modes"]["hybrid"]
    assert 0.0 <= hybrid["mrr@10"] <= 1.0 and hybrid["questions"] == summary["questions"]
    assert summary["timing"]["embed_ms"] > 0 and summary["timing"]["batch_n"] > 0
    rows = [json.loads(line) for line in (out_dir / "results.jsonl").open()]
    assert len(rows) == 4 * summary["questions"]
    assert "| hybrid |" in (out_dir / "report.md").read_text()


def test_eval_refuses_an_empty_split(engine_home, tmp_path):
    qset = tmp_path / "mine.jsonl"
    qset.write_text(json.dumps({"id": "x", "question": "Why?", "gold": [], "split": "dev"}) + "\n")
    out = subprocess.run([sys.executable, "-m", "app.cli", "eval", "--set", str(qset),
                          "--split", "test", "--home", str(engine_home)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "no questions in split 'test'" in out.stderr
