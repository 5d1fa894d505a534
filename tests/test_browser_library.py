"""The library in real headless Chromium: upload a PDF, watch it being added, ask it, read the
cited page and a footnote's source, switch back to the bundled paper, then ask the whole
library from there: the answer and its card name the uploaded paper.

The PDF is drawn at test time (reportlab, tests/pdf_cases.py): two pages with a heading each,
a raised footnote marker after a sentence and its footnote under a rule at the page bottom.
Screenshots go to reports/screenshots/ like the other browser tests'.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.live_server import live_server  # noqa: F401 - the fixture
from tests.pdf_cases import FILLER, Page, document
from tests.test_browser import WAIT, ask, browser, open_app, select_tab, shot  # noqa: F401

pytestmark = pytest.mark.integration

GROWERS = ("A survey of 312 tea growers in Boseong found that most of them had come from the "
           "North after the famine of the late 1990s. ")
SOURCE = "Park, Ji-Hoon. Tea and Exile: The Growers of Boseong. Seoul: Hanul, 2011, p. 44."
QUESTION = "How many tea growers did the survey in Boseong cover?"
UPLOAD = "input[type=file][accept*='.pdf']"  # the "Add a paper" button's own file input


def tea_pdf() -> bytes:
    def page1(p: Page) -> None:
        p.heading("Tea in the Highlands")
        p.paragraph(FILLER + GROWERS + FILLER, marks={"1990s.": "1"})
        p.paragraph(FILLER * 2)
        p.notes([("1", SOURCE)])
        p.footer("1")

    def page2(p: Page) -> None:
        p.heading("Markets")
        p.paragraph("The growers sold their leaves at the Gwangju market every autumn, where "
                    "traders paid less to those who spoke with a northern accent. " + FILLER)
        p.footer("2")

    return document([page1, page2])


def pick(page, label: str) -> None:
    """Choose a paper in the picker (a Gradio dropdown) by its label."""
    page.locator("#paper-picker input").click()
    page.get_by_role("option", name=label).click()


def test_upload_a_pdf_ask_it_and_switch_back(browser, live_server, tmp_path):  # noqa: F811
    pdf = tmp_path / "Tea and Exile.pdf"
    pdf.write_bytes(tea_pdf())
    page = open_app(browser, live_server)
    page.locator(UPLOAD).set_input_files(str(pdf))
    page.wait_for_function(  # the handler's own steps, shown while it works
        "() => /Parsing the file|Indexing \\d+ sentences/.test(document.body.innerText)",
        timeout=WAIT)
    shot(page, "upload-progress.png", full_page=False)
    status = page.locator("#library-status .notice")
    status.wait_for(timeout=2 * WAIT)
    assert "Added Tea and Exile (tea-and-exile): 2 pages, 2 sections, 1 footnote linked" \
        in status.inner_text()
    assert page.locator("#paper-picker input").input_value() == "Tea and Exile · tea-and-exile"
    page.wait_for_function("() => document.body.innerText.includes('Ask Tea and Exile')",
                           timeout=WAIT)

    assert not page.locator("#ask-examples").is_visible()  # they are the bundled paper's
    ask(page, QUESTION)
    assert "312 tea growers" in page.inner_text("#answer-view .answer")
    card = page.locator("#answer-view .card").first
    assert card.locator(".meta").inner_text().startswith("p. 1")
    assert "Tea in the Highlands" in card.locator(".where").inner_text()
    assert SOURCE in " ".join(page.locator("#answer-view .card-notes").all_inner_texts())
    assert SOURCE in card.locator("sup.fn").first.get_attribute("title")
    shot(page, "upload-answer.png")
    select_tab(page, "Paper")
    assert "312 tea growers" in page.inner_text("#paper-view")
    select_tab(page, "Footnotes")
    assert "Tea and Exile: The Growers" in page.inner_text("table.notes")
    select_tab(page, "Evaluation")  # it follows the picked paper, and names it
    page.wait_for_function("() => document.querySelector('#eval-head').innerText"
                           ".includes('Evaluation of Tea and Exile')", timeout=WAIT)
    assert "No evaluation report for this paper yet" in page.inner_text("#eval-head")
    assert "Save to my set" in page.inner_text("#eval-head")
    shot(page, "evaluation-second-paper.png")

    select_tab(page, "Ask")
    pick(page, "Gender and North Korean defectors: reasons for leaving and assimilation in "
               "South Korea")
    page.wait_for_function("() => document.body.innerText.includes('Ask Gender and North')",
                           timeout=WAIT)
    assert page.locator("#ask-examples").is_visible()
    ask(page, "Roughly how many North Koreans starved to death in the famine of the 1990s, "
              "according to the paper?")
    assert "half a million" in page.inner_text("#answer-view .answer")
    select_tab(page, "Footnotes")
    assert page.locator("table.notes tbody tr").count() == 54

    # the whole library asked from the bundled paper: the answer is in the second paper
    select_tab(page, "Ask")
    page.get_by_label("The whole library").check()
    ask(page, QUESTION)
    assert re.match(r"Asked of \d+ papers: .*Tea and Exile",
                    page.inner_text("#answer-view .searched"))
    assert "312 tea growers" in page.inner_text("#answer-view .answer")
    card = page.locator("#answer-view .card").first
    assert card.locator(".card-paper").inner_text().startswith("Tea and Exile")
    assert card.get_attribute("data-passage") and \
        card.locator("[data-open]").first.get_attribute("data-paper") == "tea-and-exile"
    shot(page, "library-whole-ask.png")
    card.locator("[data-open]").first.click()  # opens in its own paper, not the picked one
    page.wait_for_function("() => document.querySelector('#paper-view').innerText"
                           ".includes('312 tea growers')", timeout=WAIT)


def test_a_refused_upload_shows_one_line_and_keeps_the_paper(browser, live_server,  # noqa: F811
                                                           tmp_path):
    bad = tmp_path / "Broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n" + b"\x00" * 50)
    page = open_app(browser, live_server)
    before = page.locator("#paper-picker input").input_value()
    page.locator(UPLOAD).set_input_files(str(bad))
    status = page.locator("#library-status .notice.error")
    status.wait_for(timeout=WAIT)
    assert status.inner_text().startswith("Cannot add that file: damaged PDF, cannot be read")
    assert "Broken.pdf" in status.inner_text() and "\n" not in status.inner_text()
    assert page.locator("#paper-picker input").input_value() == before
    assert Path(live_server)  # the server lives on: ask it
    ask(page, "What is Hanawon?")
    assert "Hanawon" in page.inner_text("#answer-view")
