"""The browser app's handlers as plain functions, over the real engine (no server)."""

from __future__ import annotations

import re
from html import escape

import pytest

from app.cards import marked_text, reference
from app.web import Views, build_app, examples
from ingest.records import Footnote

pytestmark = pytest.mark.integration

FAMINE = ("Roughly how many North Koreans starved to death in the famine of the 1990s, "
          "according to the paper?")  # q012, dev split: "about half a million", p. 2
DEPRESSED = "Were male defectors more depressed than female defectors?"
SECTIONS = ("Introduction", "The Various Reasons for Defection and Measurements of Success",
            "Difficulties in Emotional and Mental Health", "Social and Cultural Assimilation",
            "Job Seeking", "Working Conditions for North Korea Defectors", "Conclusion")


@pytest.fixture(scope="module")
def views(engine, tmp_path_factory):
    return Views(engine, tmp_path_factory.mktemp("reports"))


def test_ask_gives_the_answer_with_linked_markers_and_cards(views, engine):
    html = views.ask(FAMINE, 5, "hybrid")
    first = engine.ask(FAMINE).passages[0]
    assert "half a million" in html
    assert html.count('<article class="card"') == 5
    assert "p. 2" in html and "paragraph 4" in html
    assert f'<button class="cite" data-open="{first.id}"' in html
    assert f'data-open="{first.id}">Open in paper</button>' in html
    assert "<mark>" in html and "<sup" in html


def test_slider_floats_are_taken_as_whole_numbers(views):
    assert views.ask(FAMINE, 3.0, "bm25").count('<article class="card"') == 3


def test_footnote_sources_show_escaped_and_resolved(views):
    html = views.ask(DEPRESSED, 5, "hybrid")
    assert "Jeon, Woo-Taek" in html
    assert "&quot;Traumatic Experiences" in html and '"Traumatic' not in html
    assert "= fn 22:" in html  # an Ibid. shown resolved to its full entry
    assert "not in this extract" in html  # footnote 21 is cited but missing


def test_the_users_html_is_escaped(views):
    html = views.ask("<script>alert(1)</script> What is Hanawon?", 5, "hybrid")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(("question", "k", "mode", "words"), [
    ("", 5, "hybrid", "the question is empty"),
    ("   ", 5, "hybrid", "the question is empty"),
    ("x" * 1001, 5, "hybrid", "too long (1001 characters"),
    (FAMINE, 0, "hybrid", "k must be"),
    (FAMINE, 5, "<b>fuzzy</b>", "unknown mode"),
])
def test_bad_input_gives_a_visible_one_line_message(views, question, k, mode, words):
    html = views.ask(question, k, mode)
    assert html.startswith('<div class="notice error" role="alert">')
    assert words in html and "<b>" not in html and "Traceback" not in html


def test_abstention_says_so_and_still_shows_passages(views):
    html = views.ask("How many North Korean defectors arrived in South Korea in 2015?", 5,
                     "hybrid")
    assert '<p class="verdict">Not in the paper</p>' in html
    assert '<p class="reason">The paper never mentions 2015.</p>' in html
    assert "The 5 closest passages, which do not answer it" in html
    assert html.count('<article class="card"') == 5 and 'class="cite"' not in html
    # no confidence badge at all: "high confidence" beside "not in the paper" misleads
    assert 'class="confidence' not in html and "confidence</span>" not in html


def test_api_returns_the_cli_json_and_refuses_bad_input(views, engine):
    import gradio as gr

    got = views.ask_api(FAMINE, 3, "bm25")
    want = engine.ask(FAMINE, k=3, mode="bm25").to_dict()
    assert got == want and "half a million" in got["answer"] and len(got["passages"]) == 3
    for bad in ("", "y" * 1001):
        with pytest.raises(gr.Error):
            views.ask_api(bad)


def test_paper_view_has_every_section_and_anchors_the_passage(views, engine):
    plain = views.paper()
    for title in SECTIONS:
        assert f". {escape(title)}</h3>" in plain
    assert 'class="hl"' not in plain
    assert all(f'id="c-{c.id}"' in plain for c in engine.data.chunks)
    assert len(re.findall(r'<span id="s-\d+"', plain)) == len(engine.data.sentences)
    assert plain.count('id="page-') == 10
    chunk = engine.data.chunks[12]
    html, tabs = views.open_passage(chunk.id)
    assert f'<span class="anchor target" id="c-{chunk.id}">' in html
    assert html.count('class="hl"') == len(chunk.sentences)
    assert all(f'<span id="s-{i}" class="hl">' in html for i in chunk.sentences)
    assert tabs.selected == "paper"


def test_an_unknown_passage_opens_the_plain_paper(views):
    html, tabs = views.open_passage("<no-such-chunk>")
    assert 'class="hl"' not in html and tabs.selected == "paper"


def test_footnotes_view_lists_all_54_and_flags_the_missing(views):
    html = views.footnotes()
    assert html.count("<tr") == 55  # header and 54 footnotes
    assert html.count("cited, but not in this extract") == 36
    assert html.count('class="missing-row"') == 36
    assert "(refers back to fn 22)" in html
    assert "<td>22</td><td>Jeon, Woo-Taek" in html


def test_copy_citation_names_section_page_and_sources(views, engine):
    answer = engine.ask(DEPRESSED)
    passage = next(p for p in answer.passages if any(f.number == 22 for f in p.footnotes))
    ref = reference(passage, views.meta)
    assert views.meta["working_title"] in ref
    assert f"section \u201c{passage.section}\u201d" in ref
    assert re.search(r"pp?\. \d", ref) and f"paragraph {passage.paragraph}" in ref
    assert "[fn 22] Jeon, Woo-Taek" in ref
    # pasted as it is: no internal id, no placeholder note, each stop once
    assert passage.id not in ref and "working title" not in ref and ".." not in ref
    html = views.ask(DEPRESSED, 5, "hybrid")
    assert f'data-copy="{escape(ref)}"' in html
    # and as BibTeX and RIS, the source of note 22 parsed as a reference manager wants it
    assert html.count('<pre class="export" aria-label="BibTeX">@misc{') == 5
    assert html.count('<pre class="export" aria-label="RIS">TY  - GEN') == 5
    assert "author = {Jeon, Woo-Taek and Shin-Eun Yu and Young-A Cho and Jin-Sup Eom}" in html
    assert "AU  - Jeon, Woo-Taek\nAU  - Shin-Eun Yu" in html and "pages = {213-20}" in html


def test_marked_text_highlights_escapes_and_places_superscripts():
    notes = {3: Footnote(3, "Ibid.", "Kim <2008>", False, 1, ibid_of=2)}
    text = "A <b> c. Second one. Third."
    spans = [(0, 8, (3,)), (9, 20, ()), (21, 27, ())]
    html = marked_text(text, spans, ((9, 20),), notes)
    assert html.startswith("A &lt;b&gt; c.<sup")
    assert 'title="Footnote 3: Ibid. = footnote 2: Kim &lt;2008&gt;"' in html
    assert "<mark>Second one.</mark> Third." in html


def test_evaluation_view_without_and_with_a_report(views, tmp_path, monkeypatch):
    import base64

    md, plots = views.evaluation()
    assert "No evaluation report yet" in md and plots == ""
    monkeypatch.setattr(views, "reports", tmp_path)
    (tmp_path / "report.md").write_text("# Retrieval benchmark (test split)\n", encoding="utf-8")
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                           "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    (tmp_path / "recall_at_k.png").write_bytes(png)
    md, plots = views.evaluation()
    assert md.startswith("# Retrieval benchmark") and "data:image/png;base64," in plots


def test_examples_are_answerable_questions_from_the_set(views):
    from eval.questions import DEFAULT_SET
    from ingest.questions import read_questions

    qs = {q.question: q for q in read_questions(DEFAULT_SET)[0]}
    got = examples(views.meta)
    assert len(got) == 6 and got[0] == FAMINE
    assert all(qs[q].answerable for q in got)
    assert examples({"title": None}) == []  # a paper without examples offers none


def test_build_app_lists_only_ask_as_a_public_endpoint(engine, tmp_path):
    demo = build_app(engine, tmp_path)
    public = [f.api_name for f in demo.fns.values() if f.api_visibility == "public"]
    assert public == ["ask"]


def test_a_comparison_question_shows_each_sides_evidence_in_two_cited_columns(views):
    html = views.ask(DEPRESSED, 5, "hybrid")
    view = html[html.index('<section class="compare"'):html.index("</section>",
                                                                   html.index('class="compare"'))]
    sides = view.split('<div class="side">')[1:]
    assert len(sides) == 2
    assert all('class="cite" data-open="p' in side for side in sides)  # every column cited
    assert "<h4>Male defectors</h4>" in sides[0] and "<h4>Female defectors</h4>" in sides[1]
    assert '<section class="compare"' not in views.ask(FAMINE, 5, "hybrid")  # no sides asked
