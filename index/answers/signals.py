"""What the evidence says about a question as a whole: the abstention and confidence models'
features (`FEATURES`), all numbers the retrieval and the candidates already hold.

- `strength`: the best cosine of a candidate or of a source the top passages cite;
- `top_score`, `top_prob`, `margin`: the ranker's best score, its share of the softmax, and
  its lead over the second best;
- `cover`: the share of the question's words (weighted by rarity) the candidates hold;
  `answer_cover`: the share the chosen answer holds; `unknown`: the share the paper never
  uses at all;
- `weakest`, `mean_best`: the question's word pieces' best token matches, the weakest and on
  average (a question about something the paper never names has one piece with no good
  match, however close the rest is);
- `held`: how likely one of the ranker's best `held_among` candidates holds the kind asked,
  `held_top`: the best candidate alone (`kinds.answered_by`);
- `held_near`: as `held`, counting only spans within `near` words of a word of the question
  in the same unit (a percentage in a sentence about the question's subject, not one about
  something the sentence also mentions);
- `specific`: one of the best candidates writes a name the question does not give and that
  few of the paper's sentences write (under `common`): a name the paper is about throughout
  answers no "which ...?" question;
- `names_near`: the share of the names the question gives that its candidates also write;
- `held_quantity`, `held_name`, `held_cue`, `held_source`: as `held_top`, one per group of
  kinds (`kinds.FAMILIES`): 1 less the probability of that group's kinds that the best
  candidate does not answer;
- `cited`: the answer is the source a footnote gives (a source question answered by the
  paper's own note: right 89% of the time on left-out papers).
The three numbers are `config.Features`, as the models were learned with them.
Leaves out the weights (`models`) and any decision (`abstain`).
"""

from __future__ import annotations

import re

import numpy as np

from ..build import IndexData, stemmer
from ..config import Features
from ..holds import Span, names, new_types
from ..records import Retrieval
from .candidates import Candidates, rare_share, unit_text, unit_words
from .kinds import FAMILIES, KINDS, answered_by, held_in
from .models import softmax

FEATURES = ("strength", "top_score", "top_prob", "margin", "cover", "answer_cover", "unknown",
            "weakest", "mean_best", "held", "held_top", "held_near", "specific", "names_near",
            "cited", "held_quantity", "held_name", "held_cue", "held_source")
WORD = re.compile(r"\w+")


def strength_of(data: IndexData, retrieval: Retrieval, cands: Candidates) -> float:
    """The best cosine of a candidate unit or of a source the candidate sentences cite."""
    qvec = retrieval.query.vector
    m = len(data.sentences)
    best = -1.0
    for u in cands.units:
        vec = data.sentence_vecs[u] if u < m else data.note_vecs[u - m]
        best = max(best, float(vec @ qvec))
    rows = data.note_rows
    for u in cands.units:
        for n in data.sentences[u].footnotes if u < m else ():
            if n in rows and len(data.note_vecs):
                best = max(best, float(data.note_vecs[rows[n]] @ qvec))
    return best


def names_near(data: IndexData, question: str, cands: Candidates) -> float:
    """Share of the question's names (beyond its first word) written in some candidate."""
    asked = [n for n in names(question)]
    if not asked:
        return 1.0
    text = " ".join(unit_text(data, u) for u in cands.units).lower()
    return sum(n.lower() in text for n in asked) / len(asked)


def near_types(data: IndexData, u: int, question: str, qwords: frozenset[str],
               near: int = Features.near) -> frozenset[str]:
    """The types of unit `u`'s new spans that stand within `near` words of a question word."""
    text = unit_text(data, u)
    stem = stemmer().stemWord
    words = list(WORD.finditer(text))
    at = [i for i, w in enumerate(words) if stem(w.group(0).lower()) in qwords]
    if not at or not data.holds:
        return frozenset()
    out = set()
    for span in data.holds[u]:
        start = text.find(span.text)
        if start < 0 or not new_types((span,), question):
            continue
        i = sum(1 for w in words if w.start() < start)
        if min(abs(i - j) for j in at) <= near:
            out.add(span.type)
    return frozenset(out)


def specific(data: IndexData, u: int, question: str, common: float = Features.common) -> bool:
    """Unit `u` writes a name the question does not give and few sentences write (in under a
    `common` share of them)."""
    spans: tuple[Span, ...] = data.holds[u] if data.holds else ()
    fresh = [s.text for s in spans if s.type == "name" and new_types((s,), question)]
    return any(data.name_share(n) < common for n in fresh)


def signals(data: IndexData, retrieval: Retrieval, cands: Candidates, scores: np.ndarray,
            chosen: list[int], kind: dict[str, float], strength: float,
            features: Features = Features(),  # noqa: B008 - frozen, shared
            cited: tuple = ()) -> np.ndarray:
    """The question's row of `FEATURES`, given the final scores of the candidates and the
    chosen answer units (`cited`: the footnote sources the answer gives instead, if any);
    `features`: the definitions the models were learned with."""
    probs = softmax(scores)
    order = np.argsort(-scores, kind="stable") if len(scores) else np.zeros(0, int)
    qwords = cands.qwords
    shown = frozenset().union(*(unit_words(data, u) for u in cands.units))
    answer = frozenset().union(*(unit_words(data, u) for u in chosen))
    unknown = rare_share(data, qwords, frozenset(w for w in qwords if w not in data.vocabulary))
    held = [answered_by(kind, cands.types[i]) for i in order[:features.held_among]]
    question = retrieval.query.text
    best = [cands.units[i] for i in order[:features.held_among]]
    near = max((answered_by(kind, near_types(data, u, question, qwords, features.near))
                for u in best), default=0.0)
    entity = sum(p for k, p in kind.items() if "name" in KINDS[k][1])
    named = any(specific(data, u, question, features.common) for u in best)
    tb = cands.token_best
    ranked = scores[order] if len(scores) else np.zeros(0)
    return np.array([
        strength, float(ranked[0]) if len(ranked) else 0.0,
        float(probs.max()) if len(probs) else 0.0,
        float(ranked[0] - ranked[1]) if len(ranked) > 1 else 0.0,
        rare_share(data, qwords, shown), rare_share(data, qwords, answer), unknown,
        float(tb.min()) if len(tb) else 0.0, float(tb.mean()) if len(tb) else 0.0,
        max(held) if held else 0.0, held[0] if held else 0.0, near,
        1.0 - entity + entity * float(named), names_near(data, question, cands),
        float(bool(cited)),
        *(held_in(kind, cands.types[order[0]], f) if len(order) else 0.0 for f in FAMILIES),
    ], np.float32)


def columns(names_: tuple[str, ...]) -> list[int]:
    """Where the named features sit in a `signals` row (ValueError for a name that is not
    one)."""
    unknown = [n for n in names_ if n not in FEATURES]
    if unknown:
        raise ValueError(f"expected signals among {', '.join(FEATURES)}, got "
                         f"{', '.join(unknown)}")
    return [FEATURES.index(n) for n in names_]
