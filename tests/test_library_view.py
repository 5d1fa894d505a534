"""The app's library handlers, called as Gradio calls them but without a server: upload a
paper, switch to it, ask it, follow a citation into it; refused files give one visible line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from app.library_view import Shelf
from app.web import Views
from tests.conftest import TINY

pytestmark = pytest.mark.integration


@pytest.fixture
def shelf(engine, tmp_path):
    first = Views(replace(engine, home=tmp_path / "home"), tmp_path / "reports")
    return Shelf(first, lambda e: Views(e, tmp_path / "reports"))


def upload(shelf, path: Path):
    steps = []
    picker, status = shelf.upload(str(path), lambda f, what: steps.append(what))
    return picker, status, steps


def test_an_upload_is_added_and_the_picker_switches_to_it(shelf, tmp_path):
    path = tmp_path / "My Paper.txt"
    path.write_text(TINY, encoding="utf-8")
    picker, status, steps = upload(shelf, path)
    assert picker.value == "my-paper"
    assert ("My Paper \u00b7 my-paper", "my-paper") in picker.choices
    assert picker.choices[0][1] == "bundled"
    assert "Added <b>My Paper</b> (my-paper): 2 pages, 2 sections, 2 footnotes linked" in status
    assert steps[0] == "Checking the file" and any(s.startswith("Indexing") for s in steps)
    header, paper, notes, answer = shelf.show("my-paper")
    assert "Ask *My Paper*" in header and answer == ""
    assert "Women left for food" in paper and "Kim, Mike. Escaping North Korea" in notes
    got = shelf.ask("Why did women leave?", 5, "hybrid", "my-paper")
    assert "food" in got and "card" in got
    bundled = shelf.ask("What is Hanawon?", 5, "hybrid", "bundled")
    assert "Hanawon" in bundled and "Women left for food" not in bundled
    api = shelf.ask_api("Why did women leave?", 3, "dense", "my-paper")
    assert len(api["passages"]) == 2 and "Women left for food" in api["passages"][0]["text"]
    chunk = api["passages"][0]["id"]
    html, tabs = shelf.open_passage(chunk, "my-paper")
    assert f'id="c-{chunk}"' in html and "hl" in html


def test_the_same_upload_twice_says_it_is_already_there(shelf, tmp_path):
    path = tmp_path / "paper.txt"
    path.write_text(TINY, encoding="utf-8")
    upload(shelf, path)
    picker, status, _ = upload(shelf, path)
    assert picker.value == "paper" and "was already in the library" in status


@pytest.mark.parametrize(("data", "message"), [
    (None, "Choose a file to add."),
    (b"\x00\x01binary" * 50, "Cannot add that file: looks like a binary file, not extracted "
                             "text: bad.txt."),
    (b"42\n", "Cannot add that file: "),
])
def test_a_refused_upload_gives_one_visible_line_and_no_switch(shelf, tmp_path, data, message):
    path = None
    if data is not None:
        path = tmp_path / "bad.txt"
        path.write_bytes(data)
    picker, status = shelf.upload(str(path) if path else None, lambda f, w: None)
    assert message in status and 'class="notice' in status
    assert picker.value is None  # an empty update: the picker keeps its paper
    assert [n for _, n in shelf.choices()] == ["bundled"]


def test_an_oversized_upload_is_refused_before_it_is_read(shelf, tmp_path):
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        f.truncate(51 * 1024 * 1024)
    _, status, _ = upload(shelf, big)
    assert "Cannot add that file: the file is larger than 50 MB (53,477,376 bytes)." in status


def test_an_unknown_paper_is_a_message_not_a_crash(shelf):
    import gradio as gr

    assert "Cannot ask that: no paper named &#x27;nope&#x27; in the library" in \
        shelf.ask("Why?", 5, "hybrid", "nope")
    header, paper, notes, _ = shelf.show("nope")
    assert "Cannot show that paper" in paper and "Ask *Gender" in header
    with pytest.raises(gr.Error, match="no paper named"):
        shelf.ask_api("Why?", 5, "hybrid", "nope")


def test_a_pdf_shows_its_title_byline_title_note_and_headings_numbered_once(shelf, tmp_path):
    from tests.pdf_cases import document, title_page

    path = tmp_path / "wp.pdf"
    path.write_bytes(document([title_page]))
    picker, status, _ = upload(shelf, path)
    title = "Fences and Neighbours in the Early Republic"
    assert (f"{title} (1999) \u00b7 wp", "wp") in picker.choices
    assert f"Added <b>{title}</b> (wp)" in status
    header, paper, notes, _ = shelf.show("wp")
    assert f"Ask *{title}*, Ada Lovelace, Charles Babbage (1999), and see" in header
    assert f'{title}<sup><a href="#fn-2">*</a></sup></h2>' in paper
    assert '<p class="byline">Ada Lovelace, Charles Babbage (1999)</p>' in paper
    assert '">1 Introduction</h3>' in paper and "1. 1 Introduction" not in paper
    assert "every note cited in the text has its text here" in notes
    got = shelf.ask("What did the transition prove?", 5, "hybrid", "wp")
    assert f"Ada Lovelace, Charles Babbage (1999). \u201c{title}\u201d" in got
