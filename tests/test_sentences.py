"""Sentence splits around this paper's abbreviations, with NLTK Punkt's bundled English tables."""

import pytest

from ingest.sentences import split, split_spans


@pytest.mark.parametrize("text, expected", [
    ("At the beginning when the U.S. and Soviet Union were each controlling their half. "
     "The border was open.",
     ["At the beginning when the U.S. and Soviet Union were each controlling their half.",
      "The border was open."]),
    ("Dr. Young-ja Park's study highlights the differences. In general, it is hard.",
     ["Dr. Young-ja Park's study highlights the differences.", "In general, it is hard."]),
    ("Lanham, MD: Rowman & Littlefield Pub., 2008. p. 81. Print.",
     ["Lanham, MD: Rowman & Littlefield Pub., 2008. p. 81.", "Print."]),
    ("See the same source. Ibid. The next note follows.",
     ["See the same source.", "Ibid.", "The next note follows."]),
    ("NK News. N.p., 31 Jul. 2014. Next.", ["NK News.", "N.p., 31 Jul. 2014.", "Next."]),
])
def test_splits_around_abbreviations(text, expected):
    assert split(text) == expected


def test_spans_cover_every_character_but_whitespace():
    text = "  One. Two three?  Four!!  "
    spans = split_spans(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "") == text.replace(" ", "")
    assert split_spans("") == [] and split_spans("   ") == []
