"""Plain-text rendering of an answer for the terminal: the answer, then numbered sources.

Leaves out JSON (`Answer.to_dict`) and HTML (`cards`).
"""

from __future__ import annotations

import textwrap

from index.records import Answer, Passage


def pages(p: Passage) -> str:
    if not p.pages:
        return "?"
    return f"p. {p.pages[0]}" if len(p.pages) == 1 else f"pp. {p.pages[0]}-{p.pages[-1]}"


def footnote_lines(p: Passage) -> list[str]:
    out = []
    for f in p.footnotes:
        if f.missing:
            out.append(f"      fn {f.number}: (the footnote's text is not in this extract)")
        elif f.source and f.source != f.text:
            out.append(f"      fn {f.number}: {f.text} -> {f.source}")
        else:
            out.append(f"      fn {f.number}: {f.source or f.text}")
    return out


def render(answer: Answer, width: int = 100) -> str:
    said = "(not answered in the paper)" if answer.abstained else \
        f"(confidence: {answer.confidence})"
    refs = {r.name: r for r in answer.papers}
    searched = [f"Papers searched: {'; '.join(r.byline() for r in answer.papers)}", ""] \
        if answer.papers else []
    lines = [textwrap.fill(answer.answer, width), said, "", *searched,
             "Closest passages (they do not answer it):" if answer.abstained else "Sources:"]
    for p in answer.passages:
        paper = f"{refs[p.paper].byline()}, " if p.paper in refs else ""
        lines.append(f"  [{p.rank}] {paper}{p.section}, {pages(p)}, paragraph {p.paragraph} "
                     f"(score {p.score:.3f}, {p.id})")
        lines += textwrap.wrap(p.text, width, initial_indent="      ",
                               subsequent_indent="      ")
        lines += footnote_lines(p)
    return "\n".join(lines)
