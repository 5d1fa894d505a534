"""`footnoted ingest` as a user runs it: summary, JSON, and one-line errors."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True,
                          text=True, timeout=120)


def test_summary_names_pages_sections_and_footnotes():
    out = run("ingest")
    assert out.returncode == 0
    assert "pages 10, sections 7" in out.stdout
    assert "18 found (12-16, 22-34), 36 missing (1-11, 17-21, 35-54)" in out.stdout


def test_json_document_model():
    out = run("ingest", "--json")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert len(data["sections"]) == 7 and {"title", "page"} <= set(data["sections"][0])
    note = next(f for f in data["footnotes"] if f["number"] == 33)
    assert {"number", "text", "source", "missing"} <= set(note) and "p. 71" in note["source"]
    first = data["chunks"][0]
    assert {"id", "text", "section", "pages", "paragraph", "footnotes", "start",
            "end"} <= set(first)
    assert data["body"][first["start"]:first["end"]] == first["text"]


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary", "binary"),
    (b"caf\xe9 au lait", "not UTF-8"),
])
def test_bad_files_get_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "paper.txt"
    path.write_bytes(content)
    out = run("ingest", str(path))
    assert out.returncode == 2
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_missing_file_and_folder(tmp_path):
    for target, message in [(tmp_path / "nope.txt", "no such file"), (tmp_path, "not a file")]:
        out = run("ingest", str(target))
        assert out.returncode == 2 and message in out.stderr


def test_a_paper_without_footnotes_or_headings_still_chunks(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("A short note about defectors.\nIt has no headings.\n", encoding="utf-8")
    data = json.loads(run("ingest", str(path), "--json").stdout)
    assert [s["title"] for s in data["sections"]] == ["Untitled"]
    assert data["chunks"][0]["pages"] == [1] and data["footnotes"] == []
