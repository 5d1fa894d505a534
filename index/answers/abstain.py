"""When to say that the paper does not answer, and why: one phrase for every abstention.

Generic hard rules first, in order, then the learned model:
- a source question whose claim has no source in this extract (a missing footnote, or
  none: `sources.problem`), said with the footnote's number;
- no candidate at all, or none within the similarity floor (a cosine learned across
  papers) unless the question is about the paper itself ("What does the paper conclude?"
  comes close to no one sentence);
- a number the question names ("in 2015") that the paper never writes;
- a quantity asked for (the likeliest kind is one, `kinds.QUANTITIES`) when no candidate
  holds a span of its type (a percentage for a percentage, a sum for a sum of money: kept
  over "any number" by its count on the dev papers, 27 more unanswerable questions
  refused for 7 answerable ones);
- the abstention model (`models`, over `signals`) rates it likely that the paper does not
  answer: the reason then names the kind of answer none of the best candidates gives, or
  the question's words the paper never uses, or says that no passage covers what it asks.
Leaves out picking the answer (`compose`) and the features (`signals`).
"""

from __future__ import annotations

import re

from ..build import IndexData, tokenize
from ..holds import NUMBER
from ..records import Evidence
from .kinds import KINDS, QUANTITIES
from .signals import FEATURES

# A question about the paper itself, its argument, conclusion or recommendations: it names no
# subject a sentence could come close to. "According to the paper, ...?" is not one.
ABOUT_THE_PAPER = re.compile(
    r"\b(the|this) (paper|author|article|study|essay|report|thesis)(['\u2019]s)?\s+((main|"
    r"central|overall|key|chief|principal)\s+)?(conclu\w*|argu\w*|recommend\w*|suggest\w*|"
    r"find\w*|propos\w*|thesis|aims?|purpose|questions?|claims?|focus\w*|sets? out|makes?|"
    r"say|says|show\w*|contribut\w*|looks? at|examin\w*|goals?)\b|"
    r"\bwhat is (the|this) (paper|article|essay|report) about\b", re.IGNORECASE)


def missing_numbers(question: str, known: frozenset[str]) -> list[str]:
    """Numbers the question names that the paper never writes."""
    return [n.rstrip(".,") for n in NUMBER.findall(question) if n.rstrip(".,") not in known]


def unknown_words(data: IndexData, question: str) -> list[str]:
    """The question's content words (as written) whose stem the paper never uses."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    stop = set(STOPWORDS_EN_PLUS)
    words = [w for w in re.findall(r"[A-Za-z][\w'\u2019-]*", question) if w.lower() not in stop]
    stems = tokenize(words, list(STOPWORDS_EN_PLUS)) if words else []
    return list(dict.fromkeys(w for w, s in zip(words, stems, strict=True)
                              if s and not set(s) & data.vocabulary))


def learned_reason(data: IndexData, evidence: Evidence) -> str:
    """What the abstention model saw: the kind asked missing from the best candidates, else
    the question's words the paper never uses, else no coverage."""
    held = float(evidence.signals[FEATURES.index("held")]) if len(evidence.signals) else 1.0
    if evidence.kind != "fact" and held < 0.5:
        return f"it asks for {KINDS[evidence.kind][0]} and no passage close to it gives one"
    words = unknown_words(data, evidence.retrieval.query.text)
    if words:
        return "the paper never mentions " + ", ".join(f"\u2018{w}\u2019" for w in words[:3])
    return "no passage covers what the question asks"


def ruled(data: IndexData, evidence: Evidence, floor: float) -> str | None:
    """The hard rules' reason, or None when none applies."""
    question = evidence.retrieval.query.text
    if evidence.note:
        return evidence.note
    if (not evidence.picks and not evidence.cited) or (
            evidence.strength < floor and not ABOUT_THE_PAPER.search(question)):
        return "no passage comes close to the question"
    missing = missing_numbers(question, data.numbers)
    if missing:
        return f"the paper never mentions {', '.join(missing)}"
    if evidence.kind in QUANTITIES and not any(t & KINDS[evidence.kind][1]
                                                for t in evidence.types):
        return f"it asks for {KINDS[evidence.kind][0]} and no passage close to it gives one"
    return None


def reason_to_abstain(data: IndexData, evidence: Evidence, threshold: float,
                      floor: float) -> str | None:
    """Why the paper seems not to answer (one phrase), or None when it does."""
    rule = ruled(data, evidence, floor)
    if rule is not None:
        return rule
    if evidence.unanswerable >= threshold:
        return learned_reason(data, evidence)
    return None
