"""The reader's view in real headless Chromium, at a laptop's 1366x768 and a phone's 390x844:
the answer in view after asking with Enter, example questions that ask, links that reopen an
answer at its passage, Back between questions, abstentions without a confidence, and axe-core
(the `axe-playwright-python` package bundles it) finding no serious or critical violation on
any tab. Screenshots of each view at both sizes go to reports/ui/ (their paths are printed).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote_plus

import pytest

from tests.live_server import live_server  # noqa: F401 - the fixture
from tests.test_browser import DEPRESSED, FAMINE, WAIT, browser, select_tab  # noqa: F401

pytestmark = pytest.mark.integration

UI = Path(__file__).resolve().parent.parent / "reports" / "ui"
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
UNSAID = "How many North Korean defectors arrived in South Korea in 2015?"  # not in the paper
LINKED = "#answer-view .card.linked"


def open_at(chromium, url: str, size: str):
    width, height = SIZES[size]
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Your question").wait_for(timeout=WAIT)
    return page


def shot(page, name: str) -> Path:
    UI.mkdir(parents=True, exist_ok=True)
    path = UI / name
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


def ask_with_enter(page, question: str) -> None:
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function("q => { const r = document.querySelector('#answer-view .result');"
                           " return r && r.innerText.includes(q.slice(0, 40)); }",
                           arg=question, timeout=WAIT)


def in_view(page, selector: str) -> bool:
    """The element's first line is inside the viewport."""
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] and box["y"] + 20 <= height


def serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in found
            if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_answer_is_in_view_after_enter_and_an_example_asks_on_click(browser, live_server,  # noqa: F811
                                                                        size):
    page = open_at(browser, live_server, size)
    shot(page, f"start-{size}.png")
    ask_with_enter(page, FAMINE)
    assert in_view(page, "#answer-view .answer"), "the answer starts below the fold"
    assert "half a million" in page.inner_text("#answer-view .answer")
    shot(page, f"answer-{size}.png")
    example = page.locator("#ask-examples button.gallery-item").nth(1)
    example.scroll_into_view_if_needed()
    wanted = example.inner_text()[:40]
    example.click()  # nothing else pressed: the example is asked
    page.wait_for_function("w => document.querySelector('#answer-view .result').innerText"
                           ".includes(w.slice(0, 30))", arg=wanted.rstrip(". "), timeout=WAIT)
    assert in_view(page, "#answer-view .answer")
    page.context.close()


def test_a_shared_link_reopens_the_answer_at_its_passage_and_back_returns(  # noqa: F811
        browser, live_server):  # noqa: F811
    page = open_at(browser, live_server, "laptop")
    ask_with_enter(page, DEPRESSED)
    assert "q=" in page.url and "paper=" in page.url  # the address carries the question
    sides = page.locator("#answer-view .compare .side")  # a comparison: two cited columns
    assert sides.count() == 2 and all(s.locator(".cite").count() for s in sides.all())
    boxes = [s.bounding_box() for s in sides.all()]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["x"] < boxes[1]["x"]  # side by side
    shot(page, "comparison-laptop.png")
    third = page.locator("#answer-view .card").nth(2).get_attribute("data-passage")
    shared = f"{page.url.split('#')[0]}#{third}"

    other = open_at(browser, shared, "phone")  # someone else opens the link
    other.wait_for_selector(LINKED, timeout=WAIT)
    assert other.locator(LINKED).get_attribute("data-passage") == third
    assert other.get_by_label("Your question").input_value() == DEPRESSED
    other.wait_for_function(f"() => {{ const r = document.querySelector('{LINKED}')"
                            ".getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
                            timeout=WAIT)  # scrolled to the passage
    shot(other, "link-phone.png")
    other.context.close()

    ask_with_enter(page, FAMINE)
    assert quote_plus(FAMINE)[:30] in page.url
    page.go_back()
    page.wait_for_function("q => document.querySelector('#answer-view .result').innerText"
                           ".includes(q.slice(0, 40))", arg=DEPRESSED, timeout=WAIT)
    assert page.get_by_label("Your question").input_value() == DEPRESSED
    page.go_forward()
    page.wait_for_function("q => document.querySelector('#answer-view .result').innerText"
                           ".includes(q.slice(0, 40))", arg=FAMINE, timeout=WAIT)
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_no_serious_accessibility_violation_on_any_view(browser, live_server, size):  # noqa: F811
    page = open_at(browser, live_server, size)
    page.wait_for_timeout(1000)  # the page's own loading overlay gone
    found = {"start": serious(page)}
    page.locator("#paper-picker input").click()  # a keyboard user tabs past the picker:
    page.get_by_role("option").first.wait_for(timeout=WAIT)
    page.keyboard.press("Tab")  # its list closes, focus on the next control
    page.wait_for_function("() => !document.querySelector('[role=option]')", timeout=WAIT)
    ask_with_enter(page, DEPRESSED)
    page.wait_for_timeout(800)  # the answer's fade-in done: colours read at full strength
    found["answer"] = serious(page)
    ask_with_enter(page, UNSAID)
    page.wait_for_timeout(800)
    assert "Not in the paper" in page.inner_text("#answer-view .answer")
    assert page.locator("#answer-view .confidence").count() == 0  # no badge on an abstention
    assert "do not answer it" in page.inner_text("#answer-view .result h3")
    found["abstention"] = serious(page)
    shot(page, f"abstention-{size}.png")
    for tab in ("Paper", "Footnotes", "Evaluation"):
        select_tab(page, tab)
        page.wait_for_timeout(1500)
        found[tab] = serious(page)
        shot(page, f"{tab.lower()}-{size}.png")
    assert not any(found.values()), found
    page.context.close()


def test_the_evaluation_tab_fits_a_laptop_and_shows_measured_latency(browser,  # noqa: F811
                                                                    live_server):  # noqa: F811
    page = open_at(browser, live_server, "laptop")
    select_tab(page, "Evaluation")
    page.wait_for_selector("#eval-tables table", timeout=600_000)  # the first report: made
    assert "Evaluation of" in page.inner_text("#eval-head")  # it names the paper
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert page.evaluate("(() => { const t = document.querySelector('#eval-tables');"
                         " return t.scrollWidth <= t.clientWidth + 1; })()")
    heads = page.locator("#eval-tables table").first.locator("th").all_inner_texts()
    col = heads.index("latency_p50_ms")
    rows = page.locator("#eval-tables table").first.locator("tbody tr").all()
    cells = [r.locator("td").nth(col).inner_text() for r in rows]
    assert cells and all(float(c) > 0 for c in cells), cells  # numbers, not "n/a"
    shot(page, "evaluation-laptop.png")
    page.context.close()
