"""What a question asks for: a learned guess over sixteen kinds of answer.

The kinds are those the evaluation questions are labelled with (docs/questions.md). A
question's kind comes from a softmax (`models.Softmax`, learned across papers) over its vector
(which the engine has already computed, weighted by `Features.vector`) and its asking words:
its first word, its first two words, each question word with the word after it ("how many",
"what year") and every word it holds. Only the asking words the questions of several works use
are kept when it is learned, so no paper's own words steer it. Each kind names the types of
span that can answer it (`holds`): a count is answered by a number, a reason by a causal cue, a
person by a name; a fact or a yes/no by any sentence. Leaves out learning the model
(`eval.learning`) and what the kind decides (`candidates`, `compose`, `abstain`).
"""

from __future__ import annotations

import re

import numpy as np

from ..config import Features
from .models import Softmax

# name -> (how an abstention names what is missing, the span types that answer it)
KINDS: dict[str, tuple[str, frozenset[str]]] = {
    "fact": ("a fact", frozenset()),
    "definition": ("a definition", frozenset({"definition"})),
    "reason": ("a reason", frozenset({"reason"})),
    "comparison": ("a comparison", frozenset({"comparison"})),
    "yesno": ("a yes or no", frozenset()),
    "recommendation": ("a recommendation", frozenset({"recommendation"})),
    "source": ("a source", frozenset({"cited"})),
    "person": ("a person", frozenset({"name"})),
    "organisation": ("a name", frozenset({"name"})),
    "place": ("a place", frozenset({"name"})),
    "date": ("a date", frozenset({"date"})),
    "duration": ("a length of time", frozenset({"duration"})),
    "count": ("a count", frozenset({"number"})),
    "percentage": ("a percentage", frozenset({"percentage"})),
    "money": ("a sum of money", frozenset({"money"})),
    "number": ("a number", frozenset({"number", "percentage", "money", "duration"})),
}
NAMES = tuple(KINDS)
QUANTITIES = frozenset({"date", "duration", "count", "percentage", "money", "number"})
# The kinds grouped by what answers them: a quantity, a name, a cue word, a cited source. How
# much a missing span says differs by group (a date asked and none in the answer sentence
# tells more than a name, which most sentences hold), so the abstention model weighs each.
FAMILIES: dict[str, frozenset[str]] = {
    "quantity": QUANTITIES,
    "name": frozenset({"person", "organisation", "place"}),
    "cue": frozenset({"reason", "comparison", "recommendation", "definition"}),
    "source": frozenset({"source"}),
}
WH = frozenset({"who", "whom", "whose", "what", "which", "where", "when", "why", "how"})
WORD = re.compile(r"[a-z]+(?:['\u2019][a-z]+)?")


def asking(question: str) -> tuple[str, ...]:
    """The question's asking words: `first:`, `first2:`, `wh:` (a question word and the word
    after it) and `has:` (every word), lower case."""
    words = WORD.findall(question.lower())
    if not words:
        return ()
    out = [f"first:{words[0]}", f"first2:{' '.join(words[:2])}"]
    for i, w in enumerate(words):
        if w in WH:
            out.append(f"wh:{w} {words[i + 1]}" if i + 1 < len(words) else f"wh:{w}")
    out += [f"has:{w}" for w in words]
    return tuple(dict.fromkeys(out))


def kind_row(vector: np.ndarray, question: str, vocabulary: tuple[str, ...],
             weight: float = Features.vector) -> np.ndarray:
    """The kind model's input: the question's vector (times `weight`), then one indicator a
    known asking word."""
    seen = set(asking(question))
    return np.concatenate([weight * np.asarray(vector, np.float64),
                           np.array([f in seen for f in vocabulary], np.float64)])


def guess(model: Softmax, vector: np.ndarray, question: str,
          weight: float = Features.vector) -> dict[str, float]:
    """P(kind) for every kind the model knows."""
    probs = model.probs(kind_row(vector, question, model.words, weight))
    return {k: float(p) for k, p in zip(model.classes, probs, strict=True)}


def answered_by(probs: dict[str, float], types: frozenset[str]) -> float:
    """How likely a unit holding span `types` gives the kind asked: the probability of the
    kinds it answers (a kind that names no span type is answered by any unit)."""
    return sum(p for k, p in probs.items()
               if not KINDS[k][1] or KINDS[k][1] & types)


def held_in(probs: dict[str, float], types: frozenset[str], family: str) -> float:
    """1 less the probability of the kinds of `family` that a unit holding span `types` does
    not answer (1 when the question asks for none of them)."""
    return 1.0 - sum(p for k, p in probs.items()
                     if k in FAMILIES[family] and not KINDS[k][1] & types)


def top(probs: dict[str, float]) -> str:
    return max(probs, key=probs.get) if probs else "fact"
