"""From a retrieval to the evidence an answer rests on, with the learned models passed in.

1. What is asked: P(kind) from the question's vector and asking words (`kinds`).
2. Candidates: the sentences of the top passages and the footnotes they cite, with their
   features (`candidates`), scored by the sentence ranker.
3. The answer units (`compose.select`, or `compose.source_choice` when a source is the
   likeliest kind), and the question's signals (`signals`), from which the abstention model
   gives P(the paper does not answer) and the confidence model P(the answer holds).
Leaves out retrieval (`search`), the verdict (`abstain`) and the text (`compose`).
"""

from __future__ import annotations

import numpy as np

from ..build import IndexData
from ..records import Evidence, Retrieval
from .candidates import Candidates, candidates
from .compose import picks, select, source_choice
from .kinds import guess, top
from .models import Models, softmax
from .signals import columns, signals, strength_of


def gather(data: IndexData, retrieval: Retrieval, models: Models, pool: int | None = None,
           join: float | None = None, most: int = 3) -> Evidence:
    """The evidence for `retrieval` (empty when nothing was retrieved); `pool` and `join`
    override the learned ones (for sweeps)."""
    kind = guess(models.kind, retrieval.query.vector, retrieval.query.text,
                 models.features.vector)
    cands = candidates(data, retrieval, kind, pool or models.pool)
    scores = np.atleast_1d(models.sentence.score(cands.matrix)) if cands.units \
        else np.zeros(0)
    return decide(data, retrieval, kind, cands, scores, models,
                  models.join if join is None else join, most)


def decide(data: IndexData, retrieval: Retrieval, kind: dict[str, float], cands: Candidates,
           scores: np.ndarray, models: Models, join: float, most: int = 3) -> Evidence:
    """The evidence, given the ranker's scores of the candidates (learning passes its own,
    from models that did not see this question's paper)."""
    asked = top(kind)
    if asked == "source" and kind.get("source", 0.0) < models.source_at:  # too unsure for a source
        asked = top({k: p for k, p in kind.items() if k != "source"})
    if not cands.units:
        return Evidence(retrieval, (), -1.0, asked, tuple(kind.items()), 1.0, 0.0)
    probs = softmax(scores)
    cited, note = (), None
    if asked == "source":
        chosen, cited, note = source_choice(data, retrieval.query.text, cands, probs,
                                            models.features.named_min)
    else:
        chosen = select(data, cands, probs, asked == "reason", join, most)
    strength = strength_of(data, retrieval, cands)
    row = signals(data, retrieval, cands, scores, [cands.units[i] for i in chosen], kind,
                  strength, models.features, cited)
    unanswerable = float(models.abstain.prob(row[columns(models.abstain.features)]))
    sure = float(models.sure.prob(row[columns(models.sure.features)]))
    return Evidence(retrieval, picks(data, cands, probs, chosen), strength, asked,
                    tuple(kind.items()), unanswerable, sure, row, cands.types, cited, note)
