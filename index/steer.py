"""A question about what the paper concludes goes to the section that concludes it.

"What does the paper conclude?" names no subject a passage could come close to, and search
ranks passages by what they share with the question: the introduction's "This paper will
look at ..." outranks the conclusion. A question whose subject is the paper (or its author)
and that asks what it concludes or finds overall goes first to the sections whose titles
say they conclude (Conclusion, Summary, Discussion, Concluding remarks), their own order
kept. Other questions are not steered, nor any question in a paper without such a section.
Tried and left out (dev): steering "What is the central question the author sets out to
answer?" to the introduction, which in the bundled paper also tells the history of
defection (its gold passage fell from rank 1-5 to 6), and "What does the conclusion say
...?" inside a question that also asks what the paper says early on (q133: its other gold
passage fell out of the top 5). Pure: the caller passes the chunk scores.
"""

from __future__ import annotations

import re

import numpy as np

from ingest.records import Chunk

ASKS_CONCLUSION = re.compile(
    r"\b(the|this) (paper|author|article|essay)(['\u2019]s)?\s+((main|central|overall|key|"
    r"chief|principal)\s+)?(conclu\w*|findings?|sums? up|summari[sz]\w*|take-?aways?)\b",
    re.IGNORECASE)
CONCLUDING = re.compile(r"conclu|summary|discussion|final remarks|closing", re.IGNORECASE)


def steer(values: np.ndarray, chunks: tuple[Chunk, ...] | list[Chunk], question: str
          ) -> np.ndarray:
    """The chunk scores, with the concluding sections ranked above all others for a question
    about what the paper concludes; unchanged for any other question."""
    if not ASKS_CONCLUSION.search(question):
        return values
    inside = np.array([bool(CONCLUDING.search(c.section)) for c in chunks], bool)
    if not inside.any() or inside.all():
        return values
    out = values.astype(np.float64, copy=True)
    out[inside] += float(values.max() - values.min()) + 1.0
    return out.astype(values.dtype)
