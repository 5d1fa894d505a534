"""HTML for one system's side of a question in the Evaluation explorer: its verdict, the rank of
its first relevant passage, its answer, and its ranked passages with the gold highlighted.

Pure: built from a `Result` (what was scored), the run's `Entry` (the passages' texts) and the
`Question` (its gold quotes); every text is escaped. A gold quote is highlighted only in the
passages the benchmark judged to hold it; a long passage is cut to the part around it.
Leaves out the rest of the explorer (`eval_view`).
"""

from __future__ import annotations

from html import escape

from eval.highlight import gold_span, mark

CLIP = 600  # characters of a passage shown; a longer one is cut around its gold


def verdict(r, q) -> str:
    """The answer's verdict in a few words."""
    if r.answer is None:
        return "no answer text in this run"
    if not q.gold:
        return "abstained: right, the paper does not answer it" if r.abstained else \
            "answered a question the paper does not answer"
    if r.abstained:
        return "abstained on an answerable question"
    return "answered; the answer holds a gold quote" if r.answer_hit else \
        "answered; the answer holds no gold quote"


def clip(text: str, spans: list[tuple[int, int]], limit: int = CLIP, context: int = 220
         ) -> tuple[str, list[tuple[int, int]]]:
    """A long passage cut to the part around its gold spans (or its start), with the spans
    moved to match; "…" marks a cut."""
    if len(text) <= limit:
        return text, spans
    start = max(0, min(s for s, _ in spans) - context) if spans else 0
    end = min(len(text), max(e for _, e in spans) + context) if spans else limit
    head, tail = ("… " if start else ""), (" …" if end < len(text) else "")
    moved = [(s - start + len(head), e - start + len(head)) for s, e in spans]
    return head + text[start:end] + tail, moved


def passage_html(rank: int, pid: str, text: str, sources: tuple[str, ...],
                 covered: tuple[int, ...], golds: tuple[str, ...]) -> str:
    spans = [s for g in covered if g < len(golds) and (s := gold_span(text, golds[g]))]
    text, spans = clip(text, spans)
    notes = ""
    for source in dict.fromkeys(sources):
        marks = [s for g in covered if g < len(golds) and (s := gold_span(source, golds[g]))]
        notes += f'<li class="src">{mark(source, marks, escape)}</li>'
    cls = "rel" if covered else ""
    flag = ' <span class="relflag">relevant</span>' if covered else ""
    return (f'<li class="{cls}"><span class="pid">[{rank}] {escape(pid)}</span>{flag}'
            f'<div class="ptext">{mark(text, spans, escape)}</div>'
            + (f'<ul class="srcs">{notes}</ul>' if notes else "") + "</li>")


def system_card(system: str, r, entry, q, shown: int = 3) -> str:
    first = r.first_relevant
    rank = f"first relevant rank {first}" if first else (
        "no relevant passage in the top 10" if q.gold else "nothing to find")
    texts = {p.id: p for p in entry.passages} if entry is not None else {}
    items = []
    for i, (pid, cov) in enumerate(zip(r.passages, r.covered, strict=True), start=1):
        p = texts.get(pid)
        items.append(passage_html(i, pid, p.text if p else "(text not saved)",
                                  p.sources if p else (), tuple(cov), q.gold))
    head, rest = "".join(items[:shown]), "".join(items[shown:])
    more = (f'<details><summary>{len(items) - shown} more</summary><ol class="ranked" '
            f'start="{shown + 1}">{rest}</ol></details>' if rest else "")
    answer = ("" if r.answer is None else
              f'<p class="ans{" abstained" if r.abstained else ""}">{escape(r.answer)}</p>')
    return (f'<section class="sys" data-system="{escape(system)}"><h4>{escape(system)}</h4>'
            f'<p class="verdict"><b>{escape(rank)}</b> \u00b7 {escape(verdict(r, q))}</p>'
            f'{answer}<ol class="ranked">{head}</ol>{more}</section>')
