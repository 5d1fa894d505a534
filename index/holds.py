"""What a sentence or a footnote holds that could answer a question: typed spans, found once
when the index is built and saved with it (`holds.jsonl`).

- `percentage`, `money`, `duration`, `number`: quantities as quantulum3 reads them (a
  percentage; a sum in any currency it knows; a number with a unit of time; any other
  number, written in digits or in words); a whole number from 1000 to 2099 without a unit
  is a year;
- `date`: a year (also "the 1990s"), or a month's name (from the calendar module) beside a
  number;
- `name`: a run of capitalised words that does not merely open the sentence;
- `reason`, `comparison`, `recommendation`, `definition`: the closed-class English words
  that give a cause, a comparison, advice or a definition (`CUES`).
At ask time `new_types` leaves out the spans the question already says: "How many ...
between 1953 and 1989?" is not answered by the years it names; `numbers_in` lists every
number a paper writes. Leaves out which kind asks for which type (`answers.kinds`) and any
weighting (`answers.candidates`, learned).
"""

from __future__ import annotations

import calendar
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass

CUES: dict[str, tuple[str, ...]] = {
    "reason": ("because", "since", "due to", "owing to", "as a result", "result of",
               "resulted in", "results in", "result in", "led to", "leads to", "lead to",
               "caused", "causes", "cause", "therefore", "thus", "hence", "consequently",
               "in order to", "so that", "so as to", "reason", "reasons", "why", "explains",
               "explained", "driven by", "motivated", "factor", "factors", "stems from",
               "attributed to", "contributed to", "given that", "thanks to", "for fear"),
    "comparison": ("more", "less", "fewer", "than", "whereas", "while", "unlike",
                   "compared", "comparison", "contrast", "differ", "differs", "differed",
                   "different", "difference", "differences", "similar", "similarly", "same",
                   "both", "higher", "lower", "greater", "better", "worse", "larger",
                   "smaller", "twice", "times as"),
    "recommendation": ("should", "ought", "recommend", "recommends", "recommended",
                       "recommendation", "recommendations", "propose", "proposes",
                       "proposed", "proposal", "suggest", "suggests", "must", "need to",
                       "needs to", "urge", "urges", "advise", "advises", "call for",
                       "calls for"),
    "definition": ("is a", "is an", "are a", "refers to", "refer to", "means", "meant",
                   "defined as", "known as", "called", "termed", "stands for"),
}
CUE_RES = {t: re.compile(r"\b(" + "|".join(re.escape(w) for w in ws) + r")\b", re.IGNORECASE)
           for t, ws in CUES.items()}
YEAR = re.compile(r"\b(1\d{3}|20\d{2})(s|['\u2019]s)?\b")
MONTHS = tuple(m for m in calendar.month_name if m)
MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\.?\s+\d|\d\s+(" + "|".join(MONTHS)
                   + r")\b")
CAPITAL = re.compile(r"[A-Z][\w'\u2019.-]*")
NAME_RUN = re.compile(r"\b[A-Z][\w'\u2019-]*(?:\s+(?:[A-Z][\w'\u2019-]*|[a-z]{1,3}\s+[A-Z][\w'"
                      r"\u2019-]*))*")
NOT_NAMES = frozenset(MONTHS) | frozenset(calendar.day_name) | {"I"}
# Capitalised function words that open a run only because they open a sentence or a title.
OPENERS = frozenset("The A An This That These Those In On At For By From Of And But It Its As "
                    "If When While After Before During Since Although However Thus Therefore "
                    "Yet So Such Some Most Many All Each".split())
_QUANTULUM = threading.Lock()


@dataclass(frozen=True)
class Span:
    type: str
    text: str


@contextmanager
def plain_quantulum():
    """quantulum3 without its unit classifier, whose pickle needs the scikit-learn version
    it was made with; scoped and locked, so no other caller sees the switch."""
    from quantulum3 import classifier

    with _QUANTULUM:
        before = classifier.USE_CLF
        classifier.USE_CLF = False
        try:
            yield
        finally:
            classifier.USE_CLF = before


def quantity_type(q) -> str:
    entity, unit = q.unit.entity.name, q.unit.name
    if unit == "percentage" or "%" in q.surface:
        return "percentage"
    if entity == "currency":
        return "money"
    if entity == "time":
        return "duration"
    if entity == "dimensionless" and YEAR.fullmatch(q.surface.strip()):
        return "date"
    return "number"


def names(text: str) -> list[str]:
    """Runs of capitalised words, less a lone word that merely opens the text (or a
    sentence inside it) and months, days and "I"."""
    out = []
    for m in NAME_RUN.finditer(text):
        words = m.group(0).split()
        opens = m.start() == 0 or re.search(r"[.!?:\"\u201c(]\s*$", text[:m.start()])
        while words and words[0] in OPENERS:
            words, opens = words[1:], False
        run = " ".join(words).rstrip(".,;:")
        if not run or run in NOT_NAMES or (len(words) == 1 and opens):
            continue
        out.append(run)
    return out


def cue_spans(text: str) -> list[Span]:
    return [Span(t, m.group(0).lower()) for t, rx in CUE_RES.items() for m in rx.finditer(text)]


def spans(texts: list[str]) -> list[tuple[Span, ...]]:
    """The typed spans of every text, in order."""
    from quantulum3 import parser

    out = []
    with plain_quantulum():
        for text in texts:
            found = [Span(quantity_type(q), q.surface) for q in parser.parse(text)] if text \
                else []
            found += [Span("date", m.group(0)) for m in YEAR.finditer(text)]
            found += [Span("date", m.group(0)) for m in MONTH.finditer(text)]
            found += [Span("name", n) for n in names(text)]
            found += cue_spans(text)
            out.append(tuple(dict.fromkeys(found)))
    return out


NUMBER = re.compile(r"\b\d[\d,.]*\b")


def numbers_in(texts: list[str]) -> frozenset[str]:
    return frozenset(n.rstrip(".,") for t in texts for n in NUMBER.findall(t))


def squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def new_types(found: tuple[Span, ...], question: str) -> frozenset[str]:
    """The types of the spans the question does not already say (a name counts as said
    when one of its words is a capitalised word of the question)."""
    said = f" {squash(question)} "
    capitals = {w.lower().strip(".") for w in CAPITAL.findall(question)}
    out = set()
    for span in found:
        if span.type == "name":
            if not {w.lower().strip(".,") for w in span.text.split()} & capitals:
                out.add("name")
        elif span.type in CUES or f" {squash(span.text)} " not in said:
            out.add(span.type)
    return frozenset(out)
