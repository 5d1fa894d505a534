"""Property: ingest never raises on any text, and no word of the input is lost."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import Chunking, chunk, parse_document

WORD = re.compile(r"\w+")

# Lines drawn from the shapes this layout has, mixed with arbitrary text.
LINE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["", " ", "   ", " " * 40, "12", "3", " Introduction ", "Job Seeking ",
                     "12 Kim, Mike. Escaping North Korea. p. 81.", "13 Ibid.", "14 Ibid, p. 7",
                     "the Soviet-", "controlled North.", "Dr. Park and the U.S. met.",
                     " a one-space page start", "\x00\x01\t\r", "\u202e\u05d0 \U0001f600 \u4e2d"]),
)


def output_words(text: str) -> set[str]:
    doc = parse_document(text)
    chunks = chunk(doc, Chunking(chars=80, overlap=1))
    pieces = [c.text for c in chunks] + [s.title for s in doc.sections]
    pieces += [f"{f.number} {f.text}" for f in doc.footnotes]
    return set(WORD.findall(" ".join(pieces)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=40))
def test_ingest_never_raises_and_keeps_every_word(lines):
    text = "\n".join(lines)
    assert set(WORD.findall(text)) <= output_words(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text(text):
    assert set(WORD.findall(text)) <= output_words(text)


def test_a_footnote_number_printed_twice_keeps_both_texts():
    # found by the property above: the second "12" block's words were dropped
    text = "\n".join(["          ", "12 0", "          ", "12 00"])
    assert {"0", "00", "12"} <= output_words(text)
    (note,) = parse_document(text).footnotes
    assert (note.number, note.text, note.source) == (12, "0 00", "0 00")
