"""The app's Evaluation explorer, its run guard and the reader's own set, over the real engine
(handlers called as plain functions; the running server is `test_api`'s and `test_browser`'s)."""

from __future__ import annotations

import json
import time

import pytest

from app import judgements
from app.eval_runner import default_folder, has_report, make_report, report_dir
from app.eval_tab import Explorer
from eval.qset import load_set
from eval.questions import write_sample

pytestmark = pytest.mark.integration
FAMINE = ("Roughly how many North Koreans starved to death in the famine of the 1990s, "
          "according to the paper?")  # q012, dev split: "about half a million", p. 2


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return write_sample(tmp_path_factory.mktemp("sample") / "sample.jsonl")


@pytest.fixture(scope="module")
def explorer(engine, sample, tmp_path_factory):
    folder = tmp_path_factory.mktemp("app-reports")
    made = make_report(engine, folder, qset=sample)
    assert report_dir(folder) == made.resolve()
    return Explorer(engine, folder, sample)


def test_the_app_keeps_its_reports_under_the_home_folder(engine, engine_home):
    folder = default_folder(engine)
    assert folder.resolve().is_relative_to(engine_home.resolve()) and folder.name == "reports"


def test_the_page_opens_on_a_report_with_intervals_and_filters(explorer):
    header, tables, plots, qtype, split, a, b, pick, side = explorer.page()
    assert "14 questions" in header and 'download="report.md"' in header
    assert "In sample" in header  # the bundled questions were learned with: said so
    assert "| hybrid |" in tables and "Means with 95% intervals" in tables
    main = tables.split("Means with")[0]  # five headline metrics and the median latency
    assert "| latency_p50_ms |" in main and "budget_recall" not in main.split("Other")[0]
    assert "n/a" not in main  # latency measured: a number for every system
    assert "hybrid \u2212 dense" in tables and "p (Holm)" in tables
    assert plots.count("data:image/png;base64,") == 3
    assert qtype.choices[0] == ("all", "all") and ("multi-hop", "multi-hop") in qtype.choices
    # the bundled set has one split since its old test split joined dev (issue 21)
    assert [v for _, v in split.choices] == ["all", "dev"]
    assert (a.value, b.value) == ("hybrid", "dense")
    assert len(pick.choices) == 14 and "Pick a question" in side


def test_filters_recompute_the_tables_for_that_type_and_split(explorer):
    tables, pick = explorer.filter("multi-hop", "dev")
    assert tables.startswith("### 2 questions (type: multi-hop, split: dev)")
    assert [v for _, v in pick.choices] == ["q026", "q046"]
    none = explorer.filter("unanswerable", "dev")[0]  # no retrieval metric: intervals n/a
    assert none.count("| hybrid |") == 2 and "| hybrid | n/a | n/a |" in none


def test_a_question_side_by_side_with_the_gold_highlighted(explorer):
    html = explorer.question("q026")  # multi-hop: two gold quotes
    assert html.count('<section class="sys"') == 4
    assert '<span class="relflag">relevant</span>' in html
    assert '<div class="ptext">' in html and 'mark class="gold">The need to provide' in html
    assert "first relevant rank" in html and "answered" in html
    assert "<script" not in explorer.question("<script>")


def test_two_systems_compared(explorer):
    md = explorer.compare("hybrid", "tutorial baseline", "all", "all")
    assert md.startswith("## hybrid against tutorial baseline, question by question")
    assert "| budget_recall |" in md and "questions changed" in md
    assert explorer.compare("hybrid", "hybrid", "all", "all").startswith("Choose two different")


def test_the_first_report_is_made_in_the_background_one_run_at_a_time(engine, sample,
                                                                         tmp_path):
    """A fresh folder: `first` starts the run and returns (the server is serving meanwhile);
    the tab says the first report is coming and follows it; a second start is refused; once
    made, `first` starts nothing."""
    explorer = Explorer(engine, tmp_path / "reports", sample)
    runner = explorer.runner
    assert runner.first()
    opened = explorer.opening()
    header, note, timer = opened[0], opened[9], opened[10]
    assert "Evaluation of" in header and "questions" not in header
    assert "The first evaluation report is being made" in note
    assert "answers scored" in note and timer.active
    assert "already going" in runner.start()
    deadline = time.monotonic() + 600
    while runner.running and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not runner.running and runner.error is None, runner.error
    assert has_report(tmp_path / "reports") and runner.done == runner.total == 56
    report = json.loads((report_dir(tmp_path / "reports") / "report.json").read_text())
    assert report["split"] == "all" and "timing" not in report
    assert 0 < report["modes"]["hybrid"]["latency_p50_ms"] < 10_000  # timed, as asked alone
    assert not list((tmp_path / "reports" / "builds").glob("tmp-*"))
    assert not runner.first()  # a report is there: nothing more at start
    header, note, timer = (lambda o: (o[0], o[9], o[10]))(explorer.opening())
    assert "14 questions" in header and "finished at" in note and not timer.active


def test_the_reader_saves_judgements_that_eval_can_score(engine, paper, tmp_path, monkeypatch):
    path = tmp_path / "mine.jsonl"
    answer = engine.ask(FAMINE)
    choices = judgements.choices(answer)
    assert choices[-1] == ("Not answered in the paper", judgements.NONE)
    said = judgements.save(engine, path, FAMINE, answer.passages[0].id)
    assert said.startswith("Saved as mine-0001") and str(path) in said
    assert judgements.save(engine, path, FAMINE, answer.passages[0].id).startswith("Already")
    judgements.save(engine, path, "What did the Pope say about Hanawon?", judgements.NONE)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    assert rows[0]["gold"] == [answer.passages[0].text] and rows[1]["gold"] == []
    qs = load_set(path, paper)  # the format `footnoted eval --set` checks
    assert [q.type for q in qs] == ["reader", "unanswerable"] and qs[0].split is None
    from ingest import InputError

    with pytest.raises(InputError, match="no passage"):
        judgements.save(engine, path, FAMINE, "p99-s9-c99")
    with pytest.raises(InputError, match="the question is empty"):
        judgements.save(engine, path, "  ", judgements.NONE)
    monkeypatch.setattr(judgements, "MAX_QUESTIONS", 2)
    with pytest.raises(InputError, match="full"):
        judgements.save(engine, path, "Another question?", judgements.NONE)


def test_an_empty_report_folder_says_how_to_get_a_report(engine, tmp_path):
    header, tables, plots, *_ = Explorer(engine, tmp_path, title="A Paper").page()
    assert "Evaluation of <b>A Paper</b>" in header
    assert "No evaluation report for this paper yet" in header and "save some" in header
    assert tables == "" and plots == ""
