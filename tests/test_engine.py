"""The engine on the real paper with the real model: answers, citations, abstention, input."""

import json

import pytest

from ingest import InputError

pytestmark = pytest.mark.integration


def test_a_factoid_is_answered_with_its_passage_and_citation(engine):
    a = engine.ask("Roughly how many North Koreans starved to death in the famine of the 1990s, "
                   "according to the paper?")  # q012, a dev-split question
    assert not a.abstained and "half a million" in a.answer and "[1]" in a.answer
    top = a.passages[0]
    assert "starved to death about half a million North Koreans" in top.text
    assert top.section == "Introduction" and top.pages == (2,) and top.rank == 1
    assert any(f.number == 7 and f.missing for f in top.footnotes)
    assert a.citations[0].passage == top.id
    start, end = top.highlights[0]
    assert "half a million" in top.text[start:end]


def test_a_question_on_male_depression_shows_footnote_22s_source(engine):
    a = engine.ask("Were male defectors more depressed than female defectors?")
    notes = {f.number: f for p in a.passages for f in p.footnotes}
    assert 22 in notes and notes[22].source.startswith("Jeon, Woo-Taek")
    assert "three times the rate of depression" in " ".join(p.text for p in a.passages[:3])


def test_a_question_about_a_source_finds_the_footnote_and_the_passage(engine):
    """The default k=5 passages hold the study's own passage first and the passage citing
    footnote 22 (Psychiatry Investigation). Since late interaction the footnoted passage ranks
    5th rather than 3rd: the sentences naming the study match the question word for word."""
    a = engine.ask("Which journal published the study of refugees' mental health?")
    assert "Traumatic Experiences and Mental Health" in a.passages[0].text
    cited = [p.rank for p in a.passages for f in p.footnotes
             if "Psychiatry Investigation" in (f.source or "")]
    assert cited and cited[0] <= 5


def test_an_unrelated_question_abstains_but_still_shows_passages(engine):
    a = engine.ask("What is the boiling point of mercury in kelvin?")
    assert a.abstained and a.citations == () and len(a.passages) == 5
    assert a.answer == ("The paper does not seem to answer this question: "
                        "no passage comes close to the question.")


def test_a_quantity_question_answered_by_no_quantity_abstains_and_says_which(engine):
    a = engine.ask("What percentage of North Korean defectors living in South Korea are women?")
    assert a.abstained and a.citations == ()
    assert "asks for a percentage" in a.answer


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_every_mode_returns_k_ranked_passages(engine, mode):
    a = engine.ask("Why do women defect?", k=7, mode=mode)
    assert [p.rank for p in a.passages] == list(range(1, 8)) and a.mode == mode
    scores = [p.score for p in a.passages]
    assert scores == sorted(scores, reverse=True)


def test_json_object_has_the_documented_fields(engine):
    data = json.loads(json.dumps(engine.ask("What is Hanawon?", qid="h1").to_dict()))
    assert {"id", "question", "answer", "abstained", "citations", "passages"} <= set(data)
    p = data["passages"][0]
    assert {"id", "rank", "score", "text", "section", "pages", "paragraph",
            "footnotes", "highlights", "sentences"} <= set(p)
    assert data["id"] == "h1"
    # the sentences tile the passage text, each with the footnote markers that follow it
    spans = p["sentences"]
    assert spans[0]["start"] == 0 and spans[-1]["end"] == len(p["text"])
    assert all(a["end"] <= b["start"] for a, b in zip(spans, spans[1:], strict=False))
    cited = [n for s in spans for n in s["footnotes"]]
    assert set(cited) == {f["number"] for f in p["footnotes"]}


@pytest.mark.parametrize("question, k, mode, message", [
    ("", 5, "hybrid", "empty"),
    (" \x00\t ", 5, "hybrid", "empty"),
    ("x" * 1001, 5, "hybrid", "too long"),
    ("ok?", 0, "hybrid", "k must be"),
    ("ok?", -3, "hybrid", "k must be"),
    ("ok?", 10**9, "hybrid", "k must be"),
    ("ok?", 5, "fuzzy", "valid modes: hybrid, dense, bm25"),
])
def test_bad_requests_raise_one_clear_input_error(engine, question, k, mode, message):
    with pytest.raises(InputError, match=message):
        engine.ask(question, k=k, mode=mode)


def test_an_in_memory_variant_answers_and_variants_share_the_index(embedder):
    from dataclasses import FrozenInstanceError, replace

    from eval.systems import engine_variant
    from index.config import Config, SearchConfig
    from ingest import Chunking, parse_document
    from tests.conftest import TINY

    doc = parse_document(TINY)
    variant = engine_variant(doc, embedder, Config(chunking=Chunking(chars=120)))
    assert variant.status == "in memory" and variant.paper is None
    assert variant.config.chunking.chars == 120
    answer = variant.ask("Why did women leave?", k=2)
    assert "Women left for food" in answer.passages[0].text
    bm25_only = replace(variant, config=replace(variant.config, mode="bm25",
                                                search=SearchConfig(alpha=0.0)))
    assert bm25_only.data is variant.data and variant.config.mode == "hybrid"
    assert bm25_only.ask("Why did women leave?", k=2).mode == "bm25"
    with pytest.raises(FrozenInstanceError):
        variant.config = Config()  # variants are new engines, never edits of a shared one


def test_the_stages_give_what_ask_gives(engine):
    q = "Were male defectors more depressed than female defectors?"
    retrieval = engine.retrieve(q)
    assert len(retrieval.hits) == engine.config.k and retrieval.query.mode == "hybrid"
    evidence = engine.evidence(retrieval)
    assert evidence.picks and 0 < evidence.strength <= 1
    assert engine.verdict(evidence) is None
    assert engine.answer(evidence).to_dict() == engine.ask(q).to_dict()
    seen: list[str] = []
    engine.retrieve(q, lap=seen.append)
    assert seen == ["embed", "faiss", "sentence_cosines", "late", "bm25", "fusion"]
