"""HTML for the Paper and Footnotes views: the whole cleaned paper, anchored, and its footnotes.

Pure: built from the parsed `Document` and the chunk list, no file and no Gradio. Every
sentence is a `<span id="s-<index>">`; before a chunk's first sentence sits an empty anchor
`<span id="c-<chunk id>">`, so a passage is reachable by either. The highlighted passage's
sentences get class `hl` and its anchor class `target`. Leaves out the Ask view (`cards.py`).
"""

from __future__ import annotations

from html import escape

from ingest.export import section_label
from ingest.records import Chunk, Document, Footnote

from .cards import footnote_title
from .cite import byline


def sentence_sup(f: Footnote | None, number: int) -> str:
    if f is None:
        return f"<sup>{number}</sup>"
    cls = "fn missing" if f.missing else "fn"
    return (f'<sup class="{cls}"><a href="#fn-{number}" title="{escape(footnote_title(f))}">'
            f"{number}</a></sup>")


def paragraph_html(doc: Document, para, starts: dict[int, list[str]], lit: set[int],
                   seen_pages: set[int]) -> str:
    """One paragraph: page labels where a new page begins, anchored sentences, superscripts."""
    out, cursor = [], para.start
    for s in (s for s in doc.sentences if s.paragraph == para.index):
        for page in s.pages:
            if page not in seen_pages:
                seen_pages.add(page)
                out.append(f'<span class="page-label" id="page-{page}">page {page}</span>')
        out.append(escape(doc.body[cursor:s.start]))
        out += [f'<span class="anchor{" target" if s.index in lit else ""}" '
                f'id="c-{escape(cid)}"></span>' for cid in starts.get(s.index, [])]
        cls = ' class="hl"' if s.index in lit else ""
        out.append(f'<span id="s-{s.index}"{cls}>{escape(s.text)}</span>')
        out += [sentence_sup(doc.footnote(n), n) for n in s.footnotes]
        cursor = s.end
    out.append(escape(doc.body[cursor:para.end]))
    return f'<p id="para-{para.index}">{"".join(out)}</p>'


def paper_html(doc: Document, chunks: tuple[Chunk, ...], meta: dict,
               highlight: str | None = None) -> str:
    """The paper, section by section, with `highlight` (a chunk id) marked, if given."""
    starts: dict[int, list[str]] = {}
    for c in chunks:
        if c.sentences:
            starts.setdefault(c.sentences[0], []).append(c.id)
    target = next((c for c in chunks if c.id == highlight), None)
    lit = set(target.sentences) if target else set()
    seen: set[int] = set()
    title = meta.get("title") or meta.get("working_title") or "The paper"
    marks = "".join(f'<sup><a href="#fn-{n}">{escape(note_mark(doc, n))}</a></sup>'
                    for n in doc.title_notes)
    parts = [f'<article class="paper"><h2 class="paper-title">{escape(title)}{marks}</h2>']
    by = byline(meta)
    if by:
        parts.append(f'<p class="byline">{escape(by)}</p>')
    if target is not None:
        parts.append(f'<p class="notice info">Showing passage {escape(target.id)}: '
                     f"{escape(target.section)}, highlighted below.</p>")
    for sec in doc.sections:
        parts.append(f'<h3 id="sec-{sec.number}">{escape(section_label(sec))}</h3>')
        parts += [paragraph_html(doc, p, starts, lit, seen)
                  for p in doc.paragraphs if p.section == sec.number]
    parts.append("<h3>Footnotes</h3>")
    parts.append(footnote_items(doc.footnotes))
    return "".join(parts) + "</article>"


def note_mark(doc: Document, number: int) -> str:
    note = doc.footnote(number)
    return note.mark if note is not None and note.mark else str(number)


def footnote_items(footnotes: tuple[Footnote, ...]) -> str:
    items = []
    for f in footnotes:
        if f.missing:
            body = '<span class="missing">cited, but not in this extract</span>'
        elif f.ibid_of is not None:
            body = f'{escape(f.text)} <span class="resolved">= {escape(f.source or "")}</span>'
        else:
            body = escape(f.text)
        items.append(f'<li id="fn-{f.number}" value="{f.number}">{body}</li>')
    return f'<ol class="footnotes">{"".join(items)}</ol>'


def footnotes_html(doc: Document) -> str:
    """Every footnote: number, printed text, resolved source, page; missing ones flagged."""
    rows = []
    for f in doc.footnotes:
        page = "" if f.page is None else str(f.page)
        if f.missing:
            printed = "\u2014"
            source = '<span class="missing">cited, but not in this extract</span>'
        else:
            printed = escape(f.text)
            source = escape(f.source or "") + (
                f" <small>(refers back to fn {f.ibid_of})</small>" if f.ibid_of is not None
                else "")
        cls = ' class="missing-row"' if f.missing else ""
        mark = escape(f.mark) if f.mark else str(f.number)
        rows.append(f'<tr{cls} id="note-{f.number}"><td>{mark}</td><td>{printed}</td>'
                    f"<td>{source}</td><td>{page}</td></tr>")
    missing = sum(f.missing for f in doc.footnotes)
    said = (f"{missing} are cited in the text but their text is not in this extract"
            if missing else "every note cited in the text has its text here")
    return (f'<div class="notes-view"><p>{len(doc.footnotes)} footnotes; {said}.</p>'
            f'<div class="table-wrap"><table class="notes"><thead><tr><th>#</th>'
            f"<th>Printed text</th><th>Resolved source</th><th>Page</th></tr></thead>"
            f'<tbody>{"".join(rows)}</tbody></table></div></div>')
