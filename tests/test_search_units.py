"""Pure parts of search and answering: fusion, index text, abstention rules, baseline windows."""

import numpy as np
import pytest

from eval.systems import char_windows
from index.abstain import (
    gives_quantity,
    missing_numbers,
    numbers_in,
    reason_to_abstain,
    wants_quantity,
)
from index.config import SearchConfig
from index.search import minmax, rrf, top_k
from index.texts import index_text
from ingest import Chunking, Footnote, chunk, parse_document
from tests.conftest import TINY


def test_minmax_and_rrf():
    assert minmax(np.array([2.0, 4.0, 3.0])).tolist() == [0.0, 1.0, 0.5]
    assert minmax(np.array([1.0, 1.0])).tolist() == [0.0, 0.0]  # no signal, no preference
    fused = rrf(np.array([3.0, 2.0, 1.0]), np.array([1.0, 2.0, 3.0]), k=60)
    assert fused[0] == pytest.approx(fused[2])  # first once and last once: a tie
    assert fused[0] == pytest.approx(1 / 61 + 1 / 63)
    agree = rrf(np.array([3.0, 2.0, 1.0]), np.array([3.0, 1.0, 2.0]), k=60)
    assert int(np.argmax(agree)) == 0  # first in both lists wins
    assert [h.chunk for h in top_k(np.array([0.1, 0.9, 0.5]), 2)] == [1, 2]


def test_search_config_is_validated():
    with pytest.raises(ValueError, match="alpha"):
        SearchConfig(alpha=1.5)
    with pytest.raises(ValueError, match="fusion"):
        SearchConfig(fusion="vote")


def test_index_text_variants_add_section_and_cited_sources():
    doc = parse_document(TINY)
    c = next(c for c in chunk(doc, Chunking(chars=120)) if 1 in c.footnotes)
    notes = {1: Footnote(1, "Kim, Mike. Escaping North Korea.", "Kim, Mike. Escaping North "
                         "Korea.", False, 1)}
    assert index_text(c, notes, "plain") == c.text
    assert index_text(c, notes, "section").startswith("Introduction. ")
    assert index_text(c, notes, "sources").endswith("Sources: Kim, Mike. Escaping North Korea.")
    with pytest.raises(ValueError, match="index text"):
        index_text(c, notes, "everything")


def test_abstention_rules():
    known = numbers_in(["Only 607 North Koreans defected between 1953 and 1989.", "p. 81."])
    assert known == {"607", "1953", "1989", "81"}
    assert missing_numbers("How many arrived in 2015?", known) == ["2015"]
    assert missing_numbers("What happened between 1953 and 1989?", known) == []
    assert wants_quantity("What percentage of defectors had jobs?")
    assert wants_quantity("How many defected?") and not wants_quantity("Why did women defect?")
    close = 0.9
    assert reason_to_abstain("Why?", 0.1, 0.3, ["A sentence."], known) is not None
    assert reason_to_abstain("How many arrived in 2015?", close, 0.3, ["Many did."], known)
    assert "asks for a sum of money" in reason_to_abstain("How much is the stipend?", close, 0.3,
                                           ["They receive a stipend."], known)
    assert reason_to_abstain("How much is the stipend?", close, 0.3,
                             ["It is about two hundred dollars."], known) is None
    assert reason_to_abstain("Why did women defect?", close, 0.3, ["To feed family."],
                             known) is None



@pytest.mark.parametrize("question, sentence, answered", [
    # the kind of quantity asked for must be the kind found, not just any digit
    ("What percentage of defectors are women?", "Most defectors after 1991 were female.", False),
    ("What percentage of defectors had jobs?", "46.3% of all defectors had jobs.", True),
    ("What proportion go back to the North?", "They left between 1991 and 2010.", False),
    ("What share were traders?", "Seventy six percent agreed.", True),
    ("How many refugees took part in the study?", "Men showed three times the rate.", False),
    ("How many refugees took part in the study?", "The survey was run in 2007.", False),
    ("How many refugees took part in the study?", "It was 56.4% of them.", False),
    ("How many defected between 1953 and 1989?", "Only 607 North Koreans defected.", True),
    ("How many people died in the famine?", "About half a million starved.", True),
    ("How many periods of defection are there?", "There are four distinct periods.", True),
    ("When did Hanawon open?", "Opened on July 9, 1998, it houses 100.", True),
    ("Until what year was the border unprotected?", "It stayed open for many years.", False),
    ("What was the average age of the refugees?", "They were 120 refugees.", False),
    ("How old are most defectors?", "Most are in their thirties.", True),
    ("How large is the settlement payment?", "They receive a lifelong stipend since 1953.", False),
    ("How much does it cost to bribe a guard?", "It costs about 500 dollars.", True),
    ("How long is the survival course?", "It provides a two-month survival course.", True),
    ("How long is the survival course?", "It houses around 100 defectors.", False),
    ("How much more depression did men show?", "Men showed three times the rate.", True),
    ("When did Hanawon open, and how many does it house?", "It houses around 100.", True),
    ("Why did women defect?", "To feed their families.", True),
])
def test_a_quantity_answer_must_be_of_the_kind_asked(question, sentence, answered):
    assert gives_quantity(question, [sentence]) is answered
    reason = reason_to_abstain(question, 0.9, 0.3, [sentence], frozenset({"1953", "1989"}))
    assert (reason is None) is answered

def test_tutorial_windows_cover_the_text_with_overlap():
    text = ("word " * 600).strip()
    spans = char_windows(text, 1000, 200)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(e - s <= 1000 for s, e in spans)
    assert all(b[0] < a[1] for a, b in zip(spans, spans[1:], strict=False))  # they overlap
