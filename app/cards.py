"""HTML for the Ask view: the answer with clickable [n] markers and one card per passage.

Pure: `answer_html(answer, meta)` builds a string from the `Answer` record alone (each passage
carries its sentences' spans and footnotes) and touches no file and no Gradio. Every piece of
text (the paper's and the user's) goes through `html.escape`.
Clickable things carry `data-open="<chunk id>"` (open in the Paper view; with `data-paper`,
that paper's, when the answer is over several) or `data-copy` (copy the citation); `web.py`
wires those clicks up. An answer over several papers names each card's paper (its byline and
title) and cites it, and says which papers were searched. Leaves out the Paper and Footnotes views
(`paper.py`) and anything that runs a search.
"""

from __future__ import annotations

import re
from html import escape

from index.records import Answer, Passage
from ingest.records import Footnote

from .cite import (
    byline,
    pages_label,
    paper_fields,
    passage_bibtex,
    passage_ris,
    ref_meta,
    source_bibtex,
    source_ris,
    source_text,
)

MARKER = re.compile(r"\[(\d+)\]")


def footnote_title(f: Footnote) -> str:
    """What a footnote marker says on hover: its source, resolved, or that it is missing."""
    if f.missing:
        return f"Footnote {f.number}: not in this extract"
    if f.ibid_of is not None:
        return f"Footnote {f.number}: {f.text} = footnote {f.ibid_of}: {f.source}"
    return f"Footnote {f.number}: {f.source or f.text}"


def sup(f: Footnote) -> str:
    cls = "fn missing" if f.missing else "fn"
    return (f'<sup class="{cls}" tabindex="0" title="{escape(footnote_title(f))}">'
            f"{f.number}</sup>")


def marked_text(text: str, spans: list[tuple[int, int, tuple[int, ...]]],
                highlights: tuple[tuple[int, int], ...], notes: dict[int, Footnote]) -> str:
    """The passage text with answer sentences in <mark> and footnote superscripts after the
    sentences that cite them. `spans` are (start, end, footnote numbers) offsets into `text`."""
    out, cursor = [], 0
    for start, end, numbers in spans:
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        out.append(escape(text[cursor:start]))
        body = escape(text[start:end])
        hit = any(s < end and start < e for s, e in highlights)
        out.append(f"<mark>{body}</mark>" if hit else body)
        out += [sup(notes[n]) for n in numbers if n in notes]
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)


def reference(p: Passage, meta: dict) -> str:
    """A ready reference to the passage, and the sources the paper relies on there: plain
    text to paste, with no internal ids and each stop written once. A paper with no title of
    its own is named by its working title in square brackets, as a supplied title is."""
    title = paper_fields(meta)[0]
    by = byline(meta)
    lead = f"{by}. " if by else ""
    ref = (f"{lead}\u201c{title}\u201d, section \u201c{p.section}\u201d, "
           f"{pages_label(p.pages)}, paragraph {p.paragraph}.")
    sources, seen = [], set()
    for f in p.footnotes:
        src = "not in this extract" if f.missing else (f.source or f.text)
        if src in seen and not f.missing:
            continue
        seen.add(src)
        sources.append(f"[fn {f.number}] {src.strip().rstrip('.;, ')}")
    if sources:
        ref += " The paper cites here: " + "; ".join(sources) + "."
    return ref


def footnote_list(p: Passage) -> str:
    if not p.footnotes:
        return ""
    items = []
    for f in p.footnotes:
        if f.missing:
            body = '<span class="missing">not in this extract</span>'
        elif f.ibid_of is not None:
            body = (f"{escape(f.text)} <span class=\"resolved\">= fn {f.ibid_of}: "
                    f"{escape(f.source or '')}</span>")
        else:
            body = escape(f.source or f.text)
        items.append(f'<li><span class="fn-num">{f.number}</span> {body}</li>')
    return f'<ul class="card-notes" aria-label="footnotes">{"".join(items)}</ul>'


def exports(p: Passage, meta: dict) -> str:
    """The passage and the sources it cites as BibTeX and as RIS, each selectable whole."""
    notes = list({source_text(f): f for f in p.footnotes if not f.missing}.values())
    bibtex = "\n\n".join([passage_bibtex(p, meta), *map(source_bibtex, notes)])
    ris = "\n\n".join([passage_ris(p, meta), *map(source_ris, notes)])
    return (f'<pre class="export" aria-label="BibTeX">{escape(bibtex)}</pre>'
            f'<pre class="export" aria-label="RIS">{escape(ris)}</pre>')


def paper_label(meta: dict) -> str:
    """ "Authors (year), Title" of a card's paper, for an answer over several papers."""
    title = paper_fields(meta)[0]
    by = byline(meta)
    return f"{by}, {title}" if by else title


def opens(p: Passage) -> str:
    """The attributes that open passage `p` in the Paper view (its paper's, when named)."""
    where = f' data-paper="{escape(p.paper)}"' if p.paper is not None else ""
    return f'data-open="{escape(p.id)}"{where}'


def card(p: Passage, text_html: str, meta: dict, linked: bool = False) -> str:
    ref = escape(reference(p, meta))
    paper = (f'<p class="card-paper">{escape(paper_label(meta))}</p>'
             if p.paper is not None else "")
    head = (f'{paper}<div class="card-head"><span class="rank">[{p.rank}]</span>'
            f'<span class="where">{escape(p.section)}</span>'
            f'<span class="meta">{pages_label(p.pages)} \u00b7 paragraph {p.paragraph}'
            f" \u00b7 score {p.score:.3f}</span></div>")
    actions = (f'<div class="card-actions">'
               f'<button class="btn" {opens(p)}>Open in paper</button>'
               f'<button class="btn" data-copy="{ref}">Copy citation</button>'
               f'<details class="ref"><summary>Citation text, BibTeX, RIS</summary>'
               f"<code>{ref}</code>{exports(p, meta)}</details></div>")
    kind = "card linked" if linked else "card"
    return (f'<article class="{kind}" id="card-{p.rank}" data-passage="{escape(p.id)}">{head}'
            f'<p class="passage">{text_html}</p>{footnote_list(p)}{actions}</article>')


def confidence_badge(answer: Answer) -> str:
    """An answer's confidence. An abstention has none (`answer_block` says what it is):
    "high confidence" beside "not in the paper" reads as an answer held with confidence."""
    if answer.abstained:
        return ""
    return (f'<span class="confidence {escape(answer.confidence)}" title="How likely this '
            f'answer holds what is asked, as measured on papers the models never saw">'
            f'{escape(answer.confidence)} confidence</span>')


def answer_block(answer: Answer) -> str:
    if answer.abstained and answer.papers:  # its text names the papers searched
        return ('<div class="answer abstained"><p class="verdict">Not in the papers searched'
                f'</p><p class="reason">{escape(answer.answer)}</p></div>')
    if answer.abstained:
        reason = answer.reason or answer.answer
        return ('<div class="answer abstained"><p class="verdict">Not in the paper</p>'
                f'<p class="reason">{escape(reason[:1].upper() + reason[1:])}.'
                "</p></div>")
    badge = confidence_badge(answer)
    ids = {p.rank: p for p in answer.passages}

    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if n not in ids:
            return m.group(0)
        return (f'<button class="cite" {opens(ids[n])} '
                f'title="Open passage [{n}] in the paper">[{n}]</button>')

    label = ('<p class="answer-kind">The source the paper cites, then the claim it backs:</p>'
             if answer.kind == "source" else "")
    return (f'<div class="answer">{badge}{label}<p>{MARKER.sub(link, escape(answer.answer))}</p>'
            f"</div>")


def answer_html(answer: Answer, meta: dict, linked: str | None = None) -> str:
    """The whole Ask result: the question, the answer, a button that copies a link to it,
    then the passages as cards (`linked`: the passage a link names, its card marked)."""
    metas = {r.name: ref_meta(r) for r in answer.papers}
    cards = []
    for p in answer.passages:
        notes = {f.number: f for f in p.footnotes}
        spans = [(s.start, s.end, s.footnotes) for s in p.sentences]
        cards.append(card(p, marked_text(p.text, spans, p.highlights, notes),
                          metas.get(p.paper, meta), p.id == linked))
    label = (f"The {len(answer.passages)} closest passages, which do not answer it"
             if answer.abstained else f"Sources ({len(answer.passages)}, {answer.mode})")
    compared = comparison_html(answer)
    share = ('<p class="share"><button class="btn" data-link type="button">Link to this '
             "answer</button></p>")
    searched = (f'<p class="searched">Asked of {len(answer.papers)} paper'
                f'{"s" if len(answer.papers) != 1 else ""}: '
                f'{escape("; ".join(r.byline() for r in answer.papers))}</p>'
                if answer.papers else "")
    return (f'<section class="result"><p class="question">Q: {escape(answer.question)}</p>'
            f"{searched}{answer_block(answer)}{compared}{share}<h3>{label}</h3>"
            f'<div class="cards">{"".join(cards)}</div></section>')


def papers_html(answer: Answer) -> str:
    """An answer drawing on two or more papers: each paper's sentences in its own column,
    every sentence cited ([n] opens its passage in its paper); "" otherwise."""
    by_rank = {p.rank: p for p in answer.passages}
    columns: dict[str, list[str]] = {}
    for c in answer.citations:
        p = by_rank.get(c.marker)
        if p is None or p.paper is None:
            continue
        columns.setdefault(p.paper, []).append(
            f'<li>{escape(c.sentence)} <button class="cite" {opens(p)} title="Open passage '
            f'[{c.marker}] in its paper">[{c.marker}]</button> '
            f'<span class="meta">{pages_label(p.pages)}</span></li>')
    if len(columns) < 2:
        return ""
    refs = {r.name: r for r in answer.papers}
    out = [f'<div class="side"><h4>{escape(refs[name].byline() if name in refs else name)}'
           f'</h4><ul>{"".join(items)}</ul></div>' for name, items in columns.items()]
    return ('<section class="compare" aria-label="What each paper says"><h3>Side by side: '
            f'what each paper says</h3><div class="sides">{"".join(out)}</div></section>')


def comparison_html(answer: Answer) -> str:
    """A question comparing two sides: each side's evidence in its own column, every
    sentence cited ([n] opens its passage); an answer from several papers: each paper's
    (`papers_html`); "" for any other question (`compare`)."""
    from .compare import columns, sides

    if answer.abstained or answer.kind == "source":
        return ""
    if answer.papers:
        return papers_html(answer)
    pair = sides(answer.question)
    cols = columns(answer, pair) if pair else None
    if cols is None:
        return ""
    out = []
    for col in cols:
        items = "".join(
            f'<li>{escape(e.text)} <button class="cite" data-open="{escape(e.passage)}" '
            f'title="Open passage [{e.rank}] in the paper">[{e.rank}]</button> '
            f'<span class="meta">{pages_label(e.pages)}</span></li>' for e in col.evidence)
        label = col.side.label[:1].upper() + col.side.label[1:]
        out.append(f'<div class="side"><h4>{escape(label)}</h4><ul>{items}</ul></div>')
    return ('<section class="compare" aria-label="The evidence for each side"><h3>Side by side: '
            "what the passages say of each</h3>"
            f'<div class="sides">{"".join(out)}</div></section>')


def message_html(text: str, kind: str = "error") -> str:
    return f'<div class="notice {kind}" role="alert">{escape(text)}</div>'
