"""The running app in real headless Chromium: ask, read the evidence, follow a citation.

Needs Chromium at /usr/bin/chromium (Debian's `chromium` package); without it these tests
fail, they do not skip. Screenshots go to reports/screenshots/ (their paths are printed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live_server import live_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parent.parent / "reports" / "screenshots"
FAMINE = ("Roughly how many North Koreans starved to death in the famine of the 1990s, "
          "according to the paper?")  # q012, dev split: "about half a million", p. 2
DEPRESSED = "Were male defectors more depressed than female defectors?"
WAIT = 60_000  # ms for an answer


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def open_app(browser, url: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Your question").wait_for(timeout=WAIT)
    return page


def ask(page, question: str):
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_selector("#answer-view .notice, #answer-view .card", timeout=WAIT)
    page.wait_for_function(
        "q => document.querySelector('#answer-view').innerText.includes(q.slice(0, 40)) || "
        "document.querySelector('#answer-view .notice')", arg=question, timeout=WAIT)


def select_tab(page, name: str) -> None:
    """Click a tab; on a narrow screen Gradio may fold it into its "More tabs" menu."""
    tab = page.get_by_role("tab", name=name)
    if tab.is_visible():
        tab.click()
        return
    page.get_by_role("button", name="More tabs").click()
    page.locator(".overflow-dropdown button", has_text=name).first.click()


def shot(page, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path}")
    return path


def test_ask_shows_the_answer_cards_and_follows_a_citation(browser, live_server):  # noqa: F811
    page = open_app(browser, live_server)
    ask(page, FAMINE)
    assert "half a million" in page.inner_text("#answer-view .answer")
    first = page.locator("#answer-view .card").first
    assert first.locator(".meta").inner_text().startswith("p. 2")
    assert first.locator("mark").first.is_visible()
    assert shot(page, "ask.png").stat().st_size > 10_000
    cited = page.locator("#answer-view .cite").first
    passage = cited.get_attribute("data-open")
    cited.click()
    page.wait_for_selector("#paper-view .hl", state="visible", timeout=WAIT)
    assert page.get_by_role("tab", name="Paper").get_attribute("aria-selected") == "true"
    assert page.locator(f'#paper-view [id="c-{passage}"]').get_attribute("class") == \
        "anchor target"
    hl = page.locator("#paper-view .hl").first
    page.wait_for_function("() => { const r = document.querySelector('#paper-view .hl')"
                           ".getBoundingClientRect(); return r.top >= 0 && "
                           "r.bottom <= window.innerHeight; }", timeout=10_000)
    assert "half a million" in " ".join(page.locator("#paper-view .hl").all_inner_texts())
    assert hl.is_visible()
    shot(page, "paper.png", full_page=False)  # the viewport: the passage in view


def test_footnote_sources_show_on_cards_and_copy_citation(browser, live_server):  # noqa: F811
    page = open_app(browser, live_server)
    ask(page, DEPRESSED)
    notes = page.locator("#answer-view .card-notes")
    assert "Jeon, Woo-Taek" in " ".join(notes.all_inner_texts())
    sup = page.locator("#answer-view sup.fn", has_text="22").first
    assert "Jeon, Woo-Taek" in sup.get_attribute("title")
    card = page.locator("#answer-view .card", has=page.locator("sup.fn", has_text="22")).first
    section = card.locator(".where").inner_text()
    card.get_by_role("button", name="Copy citation").click()
    page.wait_for_timeout(300)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert section in copied and "Jeon, Woo-Taek" in copied and "p. " in copied
    card.locator("details.ref summary").click()
    assert section in card.locator("details.ref code").inner_text()


def test_phone_width_has_no_horizontal_overflow(browser, live_server):  # noqa: F811
    page = open_app(browser, live_server, width=390)
    ask(page, FAMINE)
    assert "half a million" in page.inner_text("#answer-view .answer")
    for tab in ("Ask", "Paper", "Footnotes", "Evaluation"):
        select_tab(page, tab)
        page.wait_for_timeout(300)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, tab
    select_tab(page, "Ask")
    shot(page, "ask-390.png")


def test_bad_and_hostile_questions_give_visible_messages(browser, live_server):  # noqa: F811
    page = open_app(browser, live_server)
    ask(page, "<img src=x onerror=window.__pwned=1> What is Hanawon?")
    assert "<img src=x onerror=window.__pwned=1>" in page.inner_text("#answer-view .question")
    assert page.evaluate("window.__pwned") is None
    ask(page, "x" * 1001)
    assert "too long" in page.inner_text("#answer-view .notice")
    page.get_by_label("Your question").fill("")
    page.get_by_role("button", name="Ask", exact=True).click()
    page.wait_for_function("() => document.querySelector('#answer-view').innerText"
                           ".includes('the question is empty')", timeout=WAIT)


def test_footnotes_and_evaluation_views(browser, live_server):  # noqa: F811
    page = open_app(browser, live_server)
    select_tab(page, "Footnotes")
    rows = page.locator("table.notes tbody tr")
    rows.first.wait_for(timeout=WAIT)
    assert rows.count() == 54
    assert page.locator("table.notes tr.missing-row").count() == 36
    select_tab(page, "Evaluation")
    assert page.get_by_role("button", name="Run the benchmark again").is_visible()


def test_evaluation_explorer_shows_a_report_a_question_and_a_comparison(browser,
                                                                       live_server):  # noqa: F811
    """A report with nothing pressed (the first one is made in the background when the server
    starts, and the tab says so until it is there, then shows it), a question side by side
    with its gold highlighted, and two systems compared."""
    page = open_app(browser, live_server)
    select_tab(page, "Evaluation")
    page.wait_for_function("() => document.querySelector('#eval-tables table') || document"
                           ".querySelector('#eval-status').innerText.includes('first evaluation "
                           "report is being made')", timeout=WAIT)
    page.wait_for_selector("#eval-tables table", timeout=600_000)
    tables = page.inner_text("#eval-tables")
    assert "Means with 95% intervals" in tables and "p (Holm)" in tables
    assert "hybrid − dense" in tables and page.locator("#eval-head a[download]").count() == 2
    assert not page.get_by_text("No evaluation report").count()
    page.get_by_label("Question type").click()
    page.get_by_role("option", name="multi-hop", exact=True).click()
    page.wait_for_function("() => document.querySelector('#eval-tables').innerText"
                           ".includes('type: multi-hop')", timeout=WAIT)
    page.locator("#eval-question input").click()
    page.get_by_role("option", name="q026", exact=False).first.click()  # multi-hop: two golds
    page.wait_for_selector("#eval-side .sys", timeout=WAIT)
    assert page.locator("#eval-side section.sys").count() == 4
    gold = page.locator("#eval-side .ptext mark.gold").first
    assert gold.is_visible() and "The need to provide" in gold.inner_text()
    assert "first relevant rank" in page.inner_text("#eval-side .verdict >> nth=0")
    shot(page, "evaluation-question.png")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_selector("#eval-compare table", timeout=WAIT)
    compared = page.inner_text("#eval-compare")
    assert "hybrid against dense, question by question" in compared and "wins" in compared
    shot(page, "evaluation-compare.png")


def test_a_reader_saves_a_judgement_and_starts_a_run(browser, live_server,  # noqa: F811
                                                     engine_home):
    import json

    page = open_app(browser, live_server)
    ask(page, FAMINE)
    pick = page.get_by_label("Save to my own set: which passage answers it?")
    first = page.get_by_role("option").first
    for _ in range(60):  # its choices follow the answer shown, a moment after it
        pick.click()
        first.wait_for(timeout=WAIT)
        if first.inner_text().startswith("[1] "):
            break
        page.keyboard.press("Escape")  # close it, and leave it: a focused box opens on focus
        page.keyboard.press("Tab")
        page.wait_for_timeout(500)
    assert first.inner_text().startswith("[1] ")
    first.click()
    page.get_by_role("button", name="Save to my set").click()
    page.wait_for_selector("#judge-status .notice", timeout=WAIT)
    assert "Saved as mine-" in page.inner_text("#judge-status") or \
        "Already in your set" in page.inner_text("#judge-status")
    saved = [json.loads(line) for path in engine_home.glob("*/my_questions.jsonl")
             for line in path.read_text().splitlines()]
    assert any(r["question"] == FAMINE and "half a million" in r["gold"][0] for r in saved)
    select_tab(page, "Evaluation")
    before = page.inner_text("#eval-status")  # the first report's line, when it has ended
    page.get_by_role("button", name="Run the benchmark again").click()
    # the click's own line: started, or the first report still going; a run quick enough
    # to end before the page looks says when it finished (a later time than before)
    page.wait_for_function(
        "before => { const t = document.querySelector('#eval-status').innerText;"
        " return t !== before && /Benchmark started|already going|running|being made|"
        "finished at/.test(t); }", arg=before, timeout=WAIT)
    # the timer follows the run and, when it ends, the page shows the new report
    page.wait_for_function("() => document.querySelector('#eval-status').innerText"
                           ".includes('finished at')", timeout=600_000)
    assert "Means with 95% intervals" in page.inner_text("#eval-tables")


def test_enter_asks_shift_enter_breaks_the_line_and_the_answer_says_how_sure(
        browser, live_server):  # noqa: F811
    page = open_app(browser, live_server)
    box = page.get_by_label("Your question")
    box.fill("Which book does the paper cite for con artists offering women jobs")
    box.press("Shift+Enter")
    box.type("in China?")
    assert "\n" in box.input_value()  # Shift+Enter only starts a new line
    assert page.locator("#answer-view .card").count() == 0
    box.press("Enter")  # Enter asks
    page.wait_for_selector("#answer-view .card", timeout=WAIT)
    answer = page.locator("#answer-view .answer")
    assert answer.locator(".confidence").inner_text().endswith("confidence")
    assert "source the paper cites" in answer.locator(".answer-kind").inner_text()
    text = answer.inner_text()
    assert text.index("Kim, Mike") < text.index("Sometimes North Korean citizens")
