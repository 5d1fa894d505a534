"""`footnoted ask` and `footnoted eval` as a user runs them, in fresh processes."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def run(home, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args, "--home", str(home)],
                          capture_output=True, text=True, timeout=600, input=stdin)


def test_ask_json(engine, engine_home):
    out = run(engine_home, "ask", "Roughly how many North Koreans starved to death in the "
              "famine of the 1990s, according to the paper?", "--json", "--k", "3")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert "half a million" in data["answer"] and len(data["passages"]) == 3
    assert data["passages"][0]["section"] == "Introduction" and data["passages"][0]["pages"]


def test_batch_answers_good_lines_and_reports_bad_ones(engine, engine_home, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "question": "What is Hanawon?"}),
        "{not json",
        json.dumps({"id": "b"}),
        "What does Juche mean?",
        json.dumps({"id": "c", "question": ""}),
    ]) + "\n", encoding="utf-8")
    out = run(engine_home, "ask", "--batch", str(batch), "--json")
    assert out.returncode == 1  # some lines failed
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "line-4"]
    errors = out.stderr.strip().splitlines()
    assert any(":2: bad JSON" in e for e in errors)
    assert any(":3: no 'question'" in e for e in errors)
    assert any(":5: the question is empty" in e for e in errors)
    assert "Traceback" not in out.stderr


def test_cite_adds_the_cited_passages_and_their_sources_as_bibtex_or_ris(engine, engine_home,
                                                                         tmp_path):
    import bibtexparser
    import rispy

    source_q = ("What source does the paper rely on to say that a North Korean man's absence "
                "from work is viewed with suspicion?")
    out = run(engine_home, "ask", source_q, "--cite", "bibtex")
    assert out.returncode == 0, out.stderr
    entries = bibtexparser.loads(out.stdout[out.stdout.index("@"):]).entries
    assert entries[0]["ENTRYTYPE"] == "misc" and entries[0]["title"].startswith("[Gender")
    assert any(e.get("author") == "Kim, Mike" and e["ENTRYTYPE"] == "book" for e in entries)
    data = json.loads(run(engine_home, "ask", source_q, "--cite", "ris", "--json").stdout)
    assert data["cite"]["format"] == "ris"
    refs = [r for e in data["cite"]["entries"] for r in rispy.loads(e)]
    assert refs[0]["type_of_reference"] == "GEN" and len(refs) == len(data["cite"]["entries"])
    batch = tmp_path / "q.txt"
    batch.write_text("What is Hanawon?\n", encoding="utf-8")
    bad = run(engine_home, "ask", "--batch", str(batch), "--cite", "bibtex")
    assert bad.returncode == 2 and "--cite cites one QUESTION" in bad.stderr


def test_bad_options_exit_2_with_one_line(engine_home):
    for args, message in [(("ask", "q", "--k", "0"), "k must be"),
                          (("ask", "q", "--mode", "fuzzy"), "invalid choice"),
                          (("ask", "q", "--k", "many"), "invalid int value")]:
        out = run(engine_home, *args)
        assert out.returncode == 2 and message in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1


def test_questions_can_be_piped_into_a_batch(engine, engine_home):
    piped = "What is Hanawon?\n" + json.dumps({"id": "j", "question": "What does Juche mean?"}) \
        + "\n{broken\n"
    for source in ("-", "/dev/stdin"):
        out = run(engine_home, "ask", "--batch", source, "--json", stdin=piped)
        assert out.returncode == 1, out.stderr  # the broken line fails, the others answer
        assert [json.loads(line)["id"] for line in out.stdout.splitlines()] == ["line-1", "j"]
        assert ":3: bad JSON" in out.stderr and "Traceback" not in out.stderr


def test_building_an_index_prints_no_library_chatter(tmp_path):
    out = subprocess.run([sys.executable, "-m", "app.cli", "index", "--home", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert "Building index" not in out.stderr and "Loading weights" not in out.stderr
    said = [line for line in out.stderr.replace("\r", "\n").splitlines()
            if line.strip() and "%|" not in line]  # the build's own progress bars may show
    assert said == ["building the index: no index yet"]


def test_ask_several_papers_names_each_passages_paper(engine, engine_home, tmp_path):
    """`--library` and `--paper A --paper B`: one question over several papers, each passage
    and the answer naming its paper; an unknown paper is one line and exit 2."""
    import shutil

    from tests.test_across import SECOND

    home = tmp_path / "home"
    # the bundled paper's index, not the library other tests add papers to
    shutil.copytree(engine_home, home, symlinks=True, ignore=shutil.ignore_patterns("papers"))
    paper = tmp_path / "ice-cores.md"
    paper.write_text(SECOND, encoding="utf-8")
    assert run(home, "add", str(paper)).returncode == 0
    out = run(home, "ask", "--library", "By how much did rainfall fall during the dry spell?",
              "--json", "--k", "3")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [p["name"] for p in data["papers"]] == ["bundled", "ice-cores"]
    assert data["passages"][0]["paper"] == "ice-cores" and "a fifth" in data["answer"]
    text = run(home, "ask", "--paper", "bundled", "--paper", "ice-cores", "How were the "
               "cores cut?", "--k", "2").stdout
    # a Markdown paper is named by its leading heading, its title
    assert "Papers searched: " in text and \
        "[1] Ice Cores and the Little Ice Age, Methods, p. 1" in text
    bad = run(home, "ask", "--paper", "bundled", "--paper", "nope", "anything")
    assert bad.returncode == 2 and "no paper named 'nope'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
