"""From scored chunks to distinct passages: no sentence shown twice in the top k.

Chunks overlap by design (a sentence shared with the next one), so the best chunks for a
question are often neighbours that repeat a sentence. Going down the ranking, each chunk is
shown without the sentences a better-ranked passage already shows; a chunk with nothing new
gives its rank to the next one. A passage keeps its chunk's stable id (`p5-s3-c4`) and is the
paper's exact text from its first new sentence to its last.

Measured on the dev split (144 questions, k = 10, eval/tuning.md): recall within the
2,000-character budget 0.936 trimmed, 0.931 with repeats (as before), 0.904 when an
overlapping chunk is skipped whole, 0.894 when touching chunks merge into one long passage
(lower-ranked text then comes before the next passage).
Leaves out scoring (`search`) and the answer (`answer`).
"""

from __future__ import annotations

import numpy as np

from .build import IndexData
from .records import Hit, Passage, Span


def distinct(values: np.ndarray, data: IndexData, k: int) -> tuple[Hit, ...]:
    """The k best passages: chunks in score order, each without sentences shown above."""
    shown: set[int] = set()
    out: list[Hit] = []
    for i in np.argsort(-values, kind="stable"):
        if len(out) == k:
            break
        chunk = data.chunks[int(i)]
        new = [s for s in chunk.sentences if s not in shown]
        if new:
            out.append(Hit(int(i), float(values[i]), (new[0], new[-1] + 1)))
            shown.update(chunk.sentences)
    return tuple(out)


def whole(values: np.ndarray, data: IndexData, k: int) -> tuple[Hit, ...]:
    """The k best chunks, each whole (repeats included): `Config(distinct=False)`."""
    order = np.argsort(-values, kind="stable")[:k]
    return tuple(Hit(int(i), float(values[i]), (data.chunks[i].sentences[0],
                                                data.chunks[i].sentences[-1] + 1))
                 for i in order if data.chunks[i].sentences)


def dress(data: IndexData, hit: Hit, rank: int, chosen: set[int]) -> Passage:
    """The passage a hit stands for: its sentences, their footnotes (then any its chunk
    carries that no sentence cites: a title's or a caption's), the chosen ones marked."""
    chunk = data.chunks[hit.chunk]
    sents = [data.sentences[s] for s in range(*hit.sentences)]
    start = sents[0].start
    spans = tuple(Span(s.start - start, s.end - start, s.footnotes) for s in sents)
    marks = tuple((s.start - start, s.end - start) for s in sents if s.index in chosen)
    pages = tuple(sorted({p for s in sents for p in s.pages}))
    numbers = list(dict.fromkeys([*(n for s in sents for n in s.footnotes),
                                  *data.hung_on(hit.chunk)]))
    notes = data.footnote_map
    text = chunk.text[start - chunk.start:sents[-1].end - chunk.start]
    return Passage(chunk.id, rank, hit.score, text, chunk.section, pages, sents[0].paragraph,
                   tuple(notes[n] for n in numbers if n in notes), marks, spans)
