"""When to say that the paper does not answer: weak evidence, or a missing quantity.

Three checks, any of which makes the answer abstain:
- weak evidence: no sentence or cited source of the top passages comes within
  `abstain_below` (cosine) of the question;
- a number the question names ("in 2015") appears nowhere in the paper;
- the question asks for a quantity (how many, how much, what percentage, what year, a rate)
  and none of the answer sentences holds a number.
A small embedding model rates related-but-unanswered questions as close as answered ones, so
the last two carry most of the weight; they were designed from the question kinds and checked on
the dev split only (eval/tuning.md).
"""

from __future__ import annotations

import re

QUANTITY = re.compile(
    r"\b(how (many|much|long|old|often)|what (percentage|percent|proportion|share|fraction|"
    r"number|year|date|age)|in what year|which year|when (did|was|were)|rate|average)\b",
    re.IGNORECASE)
NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve twenty thirty "
                "forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
                "million millions half twice percent dozen decade").split()
HAS_NUMBER = re.compile(r"\d|\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
NAMED_NUMBER = re.compile(r"\b\d[\d,.]*\b")


def numbers_in(texts: list[str]) -> frozenset[str]:
    return frozenset(n.rstrip(".,") for t in texts for n in NAMED_NUMBER.findall(t))


def missing_numbers(question: str, known: frozenset[str]) -> list[str]:
    """Numbers the question names that the paper never mentions."""
    return [n.rstrip(".,") for n in NAMED_NUMBER.findall(question) if n.rstrip(".,") not in known]


def wants_quantity(question: str) -> bool:
    return bool(QUANTITY.search(question))


def reason_to_abstain(question: str, strength: float, threshold: float,
                      answer_sentences: list[str], known: frozenset[str]) -> str | None:
    """Why the paper seems not to answer (one phrase), or None when it does."""
    if not answer_sentences or strength < threshold:
        return "no passage comes close to the question"
    missing = missing_numbers(question, known)
    if missing:
        return f"the paper never mentions {', '.join(missing)}"
    if wants_quantity(question) and not any(HAS_NUMBER.search(s) for s in answer_sentences):
        return "the question asks for a quantity and no passage gives one"
    return None
