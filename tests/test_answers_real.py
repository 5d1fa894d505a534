"""The learned answer layer on real papers, with the real model and index: source answers with
their footnotes, a fact stated only in a footnote or in the title's note, how sure an answer
says it is, and the shipped models, reloaded and asked as `footnoted ask` asks, giving the
figures learning computed for them its own way (train and serve agree)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

import corpus

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def other(engine_home, embedder):
    """An engine over a corpus paper from another field (economics, built from a PDF)."""
    from index import open_engine

    paper = next(p for p in corpus.papers() if p.slug == "carroll-hafiscal")
    return open_engine(paper.path, engine_home, embedder=embedder)


def test_a_source_answer_names_the_resolved_ibid_then_the_claim(engine):
    a = engine.ask("Which study backs the statement that female defectors felt about as "
                   "socially supported as South Korean women?")
    assert a.kind == "source" and not a.abstained
    assert a.answer.startswith("Jeon, Woo-Taek, Shin-Eun Yu, Young-A Cho, and Jin-Sup Eom.")
    assert "(footnote 24, Ibid. of footnote 22)" in a.answer
    assert "for: \u201cFemale defectors reflected similar results" in a.answer


def test_a_claim_whose_footnote_is_missing_abstains_with_its_number(engine):
    a = engine.ask("Which work does the paper rely on for Andrei Lankov's periods of defection?")
    assert a.abstained and a.kind == "source"
    assert a.reason == "the paper cites footnote 3 for this; its text is not in this extract"


def test_a_fact_stated_only_in_a_footnote_is_answered_from_it(other):
    notes = {f.number: f.text for f in other.data.footnotes}
    # footnote 6 alone says it: "The NIPA accounts treat as 'durable' those goods whose
    # expected lifetime is 3 years or more"
    a = other.ask("How long must a good be expected to last for the national accounts to "
                  "class it as durable?")
    cited = [c for c in a.citations if c.sentence in notes.values()]
    assert not a.abstained and cited, a.answer
    number = next(n for n, t in notes.items() if t == cited[0].sentence)
    assert f"footnote {number}: " in a.answer


def test_a_real_paper_with_glyph_only_sentences_keeps_its_late_interaction(other):
    """carroll-hafiscal's formulas leave two sentences that are a lone private-use glyph;
    the index still holds every sentence's and source's tokens."""
    d = other.data
    assert any(s.text in ("\uf8f1", "\uf8f4") for s in d.sentences)
    assert d.has_tokens and len(d.token_offsets) == len(d.sentences) + len(d.footnotes) + 1


def test_a_note_on_the_title_is_searched_shown_and_answers(other):
    """The paper's "*" note (its marker on the title, no sentence cites it) says who funded the
    work: the passage of page 1 carries it, and the answer reads it."""
    star = next(f for f in other.data.footnotes if f.mark == "*")
    assert "European Research Council" in star.text
    assert not any(star.number in s.footnotes for s in other.data.sentences)
    a = other.ask("Which research council paid for this work, and under what grant?")
    shown = [p for p in a.passages[:5] if star.number in {f.number for f in p.footnotes}]
    assert shown and 1 in shown[0].pages, [p.id for p in a.passages]
    assert not a.abstained and f"footnote {star.number}: " in a.answer, a.answer


def test_an_abstention_says_why_and_an_answer_how_sure(engine):
    no = engine.ask("What is the boiling point of mercury in kelvin?")
    assert no.abstained and no.reason == "no passage comes close to the question"
    d = json.loads(json.dumps(no.to_dict()))
    assert d["reason"] == no.reason and d["confidence"] in ("high", "medium", "low")
    yes = engine.ask("Why do more women than men defect from North Korea?")
    assert not yes.abstained and yes.reason is None
    assert yes.confidence in ("high", "medium", "low")


def test_no_sentence_is_shown_twice_in_the_top_five_of_any_question(engine):
    from eval.questions import DEFAULT_SET
    from ingest.questions import read_questions

    for q in read_questions(DEFAULT_SET)[0]:
        a = engine.ask(q.question, k=5)
        shown = [p.text[s.start:s.end] for p in a.passages for s in p.sentences]
        assert len(shown) == len(set(shown)), q.id


def test_the_shipped_models_reload_and_reproduce_their_figures(engine, other, tmp_path):
    from eval.scoring import run, summarize
    from index.answers import load, save
    from ingest.questions import read_questions

    saved = load()
    save(saved, tmp_path / "copy.json")
    again = load(tmp_path / "copy.json")
    assert again == saved
    assert set(saved.trained["papers"]) == {p.slug for p in corpus.papers()}
    engines = {"bundled": engine}
    for slug, want in saved.trained["fit"].items():
        paper = next(p for p in corpus.papers() if p.slug == slug)
        e = engines.get(slug)
        if e is None:
            from index import open_engine

            e = open_engine(paper.path, engine.home, embedder=engine.embedder)
        s = summarize(run(replace(e, models=again).ask, read_questions(paper.questions)[0],
                          "hybrid", "hybrid"))
        assert {k: round(s[k], 6) for k in want} == want, slug
