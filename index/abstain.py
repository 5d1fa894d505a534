"""When to say that the paper does not answer: weak evidence, or a missing quantity.

Three checks, any of which makes the answer abstain:
- weak evidence: no sentence or cited source of the top passages comes within
  `abstain_below` (cosine) of the question;
- a number the question names ("in 2015") appears nowhere in the paper;
- the question asks for a quantity and none of the answer sentences holds one of the kind it
  asks for: a percentage for "what percentage", a share for "what proportion", a year or a
  date for "when" and "what year", an age for "how old", a sum of money for "how much is the
  stipend", a span of time for "how long", a count (not a year, a percentage or "three times")
  for "how many", and any number for the rest ("what rate", "what number").
A small embedding model rates related-but-unanswered questions as close as answered ones, so
the last two carry most of the weight; they were designed from the question kinds and checked on
the dev split only (eval/tuning.md). Leaves out picking the answer sentences (`answer`).
"""

from __future__ import annotations

import re

QUANTITY = re.compile(
    r"\b(how (many|much|long|old|often|large|big)|what (percentage|percent|proportion|share|"
    r"fraction|number|year|date|age)|in what year|which year|when (did|was|were)|rate|average)\b",
    re.IGNORECASE)
NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve twenty thirty "
                "forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
                "million millions half twice percent dozen decade").split()
HAS_NUMBER = re.compile(r"\d|\b(" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
NAMED_NUMBER = re.compile(r"\b\d[\d,.]*\b")


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


CARDINAL = r"(\d[\d,.]*|" + "|".join(NUMBER_WORDS) + r"|few|several|a|an)"
MONEY_WORDS = (r"(payment|stipend|wage|salary|cost|costs|money|income|bribe|price|sum|amount|"
               r"award|grant|pay)")
PERCENT = _words(r"\d\s*%|\bper\s?cent\b")
SHARE = _words(r"\d\s*%|\bper\s?cent\b|\b(half|halves|quarters?|thirds?|fifths?|tenths?)\b|"
               r"\b\d+ (in|out of) \d+\b|\bone in\b")
DATE = _words(r"\b(1[6-9]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|"
              r"september|october|november|december)\b")
AGE = _words(r"\bage[ds]?\b|\byears? old\b|\bteen|\b(twenties|thirties|forties|fifties)\b")
MONEY = _words(r"[$₩€£¥]|\b(won|dollars?|usd|krw|yuan|euros?|pounds)\b")
DURATION = _words(r"\b" + CARDINAL + r"[\s-]+(days?|weeks?|months?|years?|decades?)\b|"
                  r"\b(lifelong|for life)\b")
# A count: a number that is not a year, a percentage, a multiplier ("three times") or a range
# of numbers, or a number word other than "one" (which is rarely a count: "one of the factors").
COUNT = _words(r"\b(?!(1[89]|20)\d\d\b)(?>\d+(?:[,.]\d+)*)(?!\s*(%|percent|per cent|times\b)|-\d)|"
               r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
               r"forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|"
               r"million|millions|dozen|dozens)\b(?!\s*(times|percent|per cent)\b)")

# What a question asks for -> (its name, what an answer sentence must hold). Checked in this
# order; a question that asks for several (a date and a count) is answered when any is found.
EXPECTS: tuple[tuple[re.Pattern[str], str, re.Pattern[str]], ...] = (
    (_words(r"\b(what|which) (percentage|percent)\b|\bhow many percent\b"), "a percentage",
     PERCENT),
    (_words(r"\b(what|which) (proportion|share|fraction)\b"), "a share", SHARE),
    (_words(r"\b(in |until |by |since )?(what|which) (year|date|month)\b|\bwhen (did|was|were|is|"
            r"does|do)\b"), "a date", DATE),
    (_words(r"\bhow old\b|\b(what|average|mean|typical) age\b"), "an age", AGE),
    (_words(r"\b(how (much|large|big|high)|what is the (amount|size|level))\b.*\b"
            + MONEY_WORDS + r"\b|\b" + MONEY_WORDS + r"\b.*\bhow much\b|\bhow much (money|does it "
            r"cost)\b|\b(average|monthly|yearly|annual) (wage|salary|income|pay)\b"),
     "a sum of money", MONEY),
    (_words(r"\bhow long\b"), "a length of time", DURATION),
    (_words(r"\bhow many\b"), "a count", COUNT),
)


def numbers_in(texts: list[str]) -> frozenset[str]:
    return frozenset(n.rstrip(".,") for t in texts for n in NAMED_NUMBER.findall(t))


def missing_numbers(question: str, known: frozenset[str]) -> list[str]:
    """Numbers the question names that the paper never mentions."""
    return [n.rstrip(".,") for n in NAMED_NUMBER.findall(question) if n.rstrip(".,") not in known]


def wants_quantity(question: str) -> bool:
    return bool(QUANTITY.search(question))


def expected_kinds(question: str) -> list[tuple[str, re.Pattern[str]]]:
    """What an answer must hold for a quantity question: (name, pattern) per kind asked for
    (any number when it asks for a quantity of no specific kind); [] when it asks none."""
    kinds = [(name, answer) for asked, name, answer in EXPECTS if asked.search(question)]
    return kinds or ([("a number", HAS_NUMBER)] if wants_quantity(question) else [])


def missing_kind(question: str, sentences: list[str]) -> str | None:
    """The kind of quantity the question asks for and no sentence holds ("a percentage"),
    or None when it asks none or one of the kinds asked is found."""
    kinds = expected_kinds(question)
    if not kinds or any(k.search(s) for _, k in kinds for s in sentences):
        return None
    return " or ".join(name for name, _ in kinds)


def gives_quantity(question: str, sentences: list[str]) -> bool:
    """True when the question asks no quantity, or a sentence holds one of the kind asked."""
    return missing_kind(question, sentences) is None


def reason_to_abstain(question: str, strength: float, threshold: float,
                      answer_sentences: list[str], known: frozenset[str]) -> str | None:
    """Why the paper seems not to answer (one phrase), or None when it does."""
    if not answer_sentences or strength < threshold:
        return "no passage comes close to the question"
    missing = missing_numbers(question, known)
    if missing:
        return f"the paper never mentions {', '.join(missing)}"
    kind = missing_kind(question, answer_sentences)
    if kind:
        return f"the question asks for {kind} and no passage close to it gives one"
    return None
