"""The answer layer's parts on a tiny inline paper: source answers, the candidates (footnotes
included), the choice of sentences, the text, and the generic hard rules of abstention.
The learned models on real papers: tests/test_answers_real.py."""

from __future__ import annotations

import numpy as np

from index.answers import sources
from index.answers.abstain import ABOUT_THE_PAPER, missing_numbers, ruled, unknown_words
from index.answers.candidates import Candidates, gather_units, question_words, unit_text
from index.answers.compose import compose, picks, select
from index.build import IndexData
from index.embed import DIM
from index.holds import numbers_in, spans
from index.records import Evidence, Hit, Query, Retrieval
from ingest import chunk, parse_document
from tests.conftest import TINY


def tiny() -> IndexData:
    doc = parse_document(TINY)
    chunks = tuple(chunk(doc))
    empty = np.zeros((0, DIM), np.float32)
    holds = spans([s.text for s in doc.sentences] + [f.text for f in doc.footnotes])
    return IndexData(chunks, doc.sentences, doc.footnotes, tuple(c.text for c in chunks),
                     empty, empty, empty, None, None, holds=tuple(holds))


def sentence_with(data: IndexData, words: str) -> int:
    return next(s.index for s in data.sentences if words in s.text)


def retrieval_over(data: IndexData, first: int, end: int, question: str = "q?") -> Retrieval:
    query = Query(question, 5, "hybrid", np.zeros(DIM, np.float32), None)
    return Retrieval(query, (Hit(0, 1.0, (first, end)),))


def cands_of(units: list[int]) -> Candidates:
    n = len(units)
    return Candidates(tuple(units), (1,) * n, np.zeros((n, 1), np.float32),
                      (frozenset(),) * n, frozenset(), np.zeros(0))


def test_the_words_a_paper_never_uses_are_content_words_only():
    """'Why' and 'did' say what is asked, not about what: a short paper never using them must
    not be told it never mentions them."""
    data = tiny()
    assert unknown_words(data, "Why did women leave, and which of them did so?") == ["leave"]
    assert question_words("Why did women leave?") == {"women", "leav"}


def test_a_number_the_question_names_must_be_in_the_paper():
    known = numbers_in(["Only 607 defected between 1953 and 1989.", "p. 81."])
    assert missing_numbers("How many arrived in 2015?", known) == ["2015"]
    assert missing_numbers("What happened between 1953 and 1989?", known) == []


def test_a_question_about_the_paper_itself_is_recognised():
    assert ABOUT_THE_PAPER.search("What does the paper conclude?")
    assert ABOUT_THE_PAPER.search("What is the author's main argument?")
    assert not ABOUT_THE_PAPER.search("According to the paper, what is the speed of light?")


def test_a_footnote_cited_by_a_retrieved_sentence_is_a_candidate_unless_missing_or_ibid():
    data = tiny()
    m = len(data.sentences)
    units = gather_units(data, retrieval_over(data, 0, m), pool=1)
    notes = {u - m for u in units if u >= m}
    assert [data.footnotes[r].number for r in notes] == [1]  # 2 is an Ibid., 3 missing
    assert unit_text(data, m + min(notes)).startswith("Kim, Mike. Escaping North Korea")


def test_the_sentence_that_carries_the_lead_on_joins_it():
    data = tiny()
    met = sentence_with(data, "Defectors met Dr. Kim")
    hard = sentence_with(data, "It was hard")
    cands = cands_of([met, hard, met + 2])
    chosen = select(data, cands, np.array([0.8, 0.1, 0.1]), False, join=1.01, most=3)
    assert chosen == [0, 1]  # "It was hard." points back to the lead
    assert select(data, cands, np.array([0.1, 0.8, 0.1]), False, 1.01, 3) == [1]


def test_a_footnote_answer_is_named_by_its_number():
    data = tiny()
    m = len(data.sentences)
    row = next(i for i, f in enumerate(data.footnotes) if f.number == 1)
    cands = cands_of([m + row])
    chosen = picks(data, cands, np.array([1.0]), [0])
    ev = Evidence(retrieval_over(data, 0, m), chosen, 0.5)
    assert compose(ev).startswith("footnote 1: Kim, Mike. Escaping North Korea") \
        and compose(ev).endswith("[1]")


def test_a_claim_takes_the_footnotes_that_close_its_passage():
    data = tiny()
    grew = sentence_with(data, "Soviet-controlled North grew")
    b = sources.backing(data, grew)  # no marker of its own: the paragraph's next one counts
    assert [f.number for f in b.notes] == [1] and b.carrier > grew
    assert sources.problem(b, data) is None
    assert sources.describe(b.notes[0]).startswith("Kim, Mike. Escaping North Korea")


def test_an_ibid_footnote_gives_its_entry_with_its_own_page():
    data = tiny()
    lazy = sources.backing(data, sentence_with(data, "North Koreans are lazy"))
    note = lazy.notes[0]
    assert note.number == 2 and note.ibid_of == 1 and "p. 90" in note.source
    assert sources.describe(note).endswith("(footnote 2, Ibid. of footnote 1)")


def test_a_missing_footnote_is_said_not_guessed():
    data = tiny()
    b = sources.backing(data, sentence_with(data, "Women left for food"))
    assert [f.number for f in b.notes] == [3] and b.notes[0].missing
    assert sources.problem(b, data) == ("the paper cites footnote 3 for this; its text is not "
                                        "in this extract")


def test_a_work_named_in_the_question_is_found_once_with_its_ibids():
    data = tiny()
    assert sources.named(data, "Which page of Escaping North Korea by Mike Kim is cited?") == (1,)
    assert sources.named(data, "What did the defectors say?") == ()


def test_a_quantity_asked_for_with_no_number_among_the_candidates_is_refused_by_rule():
    data = tiny()
    hard = sentence_with(data, "It was hard")
    r = retrieval_over(data, hard, hard + 1, "How many people left?")
    chosen = picks(data, cands_of([hard]), np.array([1.0]), [0])
    no_number = Evidence(r, chosen, 0.5, "count", types=(frozenset({"name"}),))
    assert ruled(data, no_number, floor=0.0) == ("it asks for a count and no passage close "
                                                 "to it gives one")
    with_number = Evidence(r, chosen, 0.5, "count", types=(frozenset({"number"}),))
    assert ruled(data, with_number, floor=0.0) is None
    too_far = Evidence(r, chosen, -0.5, "count", types=(frozenset({"number"}),))
    assert ruled(data, too_far, floor=0.0) == "no passage comes close to the question"


def test_a_missing_span_counts_against_its_own_group_of_kinds_only():
    from index.answers.kinds import FAMILIES, KINDS, held_in

    probs = {"date": 0.6, "person": 0.3, "fact": 0.1}
    no_date = frozenset({"name"})
    # the date asked is missing (0.6 of the probability), the person asked is answered
    assert held_in(probs, no_date, "quantity") == 1.0 - 0.6
    assert held_in(probs, no_date, "name") == 1.0
    assert held_in(probs, frozenset({"date"}), "quantity") == 1.0
    assert held_in(probs, frozenset({"date"}), "name") == 1.0 - 0.3
    # a group the question does not ask for says nothing
    assert held_in(probs, frozenset(), "cue") == held_in(probs, frozenset(), "source") == 1.0
    # every kind that a span answers sits in exactly one group
    typed = [k for k, (_, types) in KINDS.items() if types]
    assert sorted(typed) == sorted(k for f in FAMILIES.values() for k in f)
