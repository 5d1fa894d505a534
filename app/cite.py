"""A passage, or a source the paper cites, as a reference manager takes it: BibTeX and RIS.

`passage_bibtex(p, meta)` / `passage_ris(p, meta)` cite the paper itself (its title, or its
working title in square brackets; authors and year when the metadata has them) at the
passage: section, pages and paragraph in the note. `source_bibtex(f)` / `source_ris(f)`
cite what a footnote stands for ("Ibid." resolved): parsed into author, title, year and
pages when it reads as a bibliography entry ("Kim, Mike. Escaping North Korea. Lanham, MD:
Rowman & Littlefield, 2008. p. 81.") or a note ("Frederick Jackson Turner, The Frontier in
American History (New York, 1920), pp. 1-38."), else its whole text as a note. Pure; the plain
text form is `cards.reference`. Leaves out where they are shown (`cards`, `format`).
"""

from __future__ import annotations

import re

from index.records import Passage
from ingest.records import Footnote

YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
PAGES = re.compile(r"\bpp?\.\s*(\d+(?:\s*[-\u2013]\s*\d+)?)|\):\s*(\d+(?:\s*[-\u2013]\s*\d+)?)")
# A bibliography entry: "Last, First." then a quoted title (an article) or the next
# sentence (a book)
SOURCE = re.compile(r"^(?P<author>[^.,\d\"\u201c]{2,60}, [^.\d\"\u201c]{1,60}?)\.\s+"
                    r"(?:[\"\u201c](?P<article>[^\"\u201d]{3,300})[\"\u201d]|"
                    r"(?P<book>[^.]{3,300}))")
# A note: "First Last, Title (Place, Year)" or "First Last, \u201cTitle,\u201d Journal ..."
NOTE = re.compile(r"^(?P<author>[A-Z][^,.\d\"\u201c]{2,60}), (?:[\"\u201c](?P<article>[^\"\u201d]"
                  r"{3,300}?),?[\"\u201d]|(?P<book>[^,(\"\u201c]{3,200}?)\s*\()")


def escape_bib(text: str) -> str:
    return re.sub(r"([{}%&$#_])", r"\\\1", " ".join(text.split()))


def key(*parts: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", " ".join(parts))
    return "".join(w.capitalize() for w in words[:4]) or "ref"


def bib(kind: str, cite_key: str, fields: dict[str, str]) -> str:
    body = ",\n".join(f"  {k} = {{{escape_bib(v)}}}" for k, v in fields.items() if v)
    return f"@{kind}{{{cite_key},\n{body}\n}}"


def ris(kind: str, fields: list[tuple[str, str]]) -> str:
    lines = [f"TY  - {kind}"] + [f"{tag}  - {' '.join(v.split())}" for tag, v in fields if v]
    return "\n".join([*lines, "ER  - "])


def paper_fields(meta: dict) -> tuple[str, list[str], str]:
    """(title, authors, year) of the paper; a working title (the paper prints none) in square
    brackets, as citation styles mark a title the citer supplied."""
    title = meta.get("title") or ""
    if not title:
        title = f"[{meta.get('working_title') or meta.get('file') or 'Untitled paper'}]"
    authors = [a for a in meta.get("authors") or [] if isinstance(a, str)]
    year = str(meta.get("year") or "")
    return title, authors, year


def byline(meta: dict) -> str:
    """ "Authors (year)" of a paper's metadata, or "" (the header, the Paper view, citations)."""
    _, authors, year = paper_fields(meta)
    return " ".join(x for x in (", ".join(authors), f"({year})" if year else "") if x)


def pages_label(pages: tuple[int, ...]) -> str:
    if not pages:
        return "page unknown"
    return f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}\u2013{pages[-1]}"


def where(p: Passage) -> str:
    return f"section \u201c{p.section}\u201d, {pages_label(p.pages)}, paragraph {p.paragraph}"


def passage_bibtex(p: Passage, meta: dict) -> str:
    title, authors, year = paper_fields(meta)
    pages = "" if not p.pages else str(p.pages[0]) if len(p.pages) == 1 else \
        f"{p.pages[0]}--{p.pages[-1]}"
    # one key a passage: a .bib of several passages of one paper has no clash
    cite_key = key(*(authors[:1] or [title]), year) + "_" + re.sub(r"\W", "", p.id)
    return bib("misc", cite_key,
               {"title": title, "author": " and ".join(authors), "year": year,
                "pages": pages, "note": where(p)})


def passage_ris(p: Passage, meta: dict) -> str:
    title, authors, year = paper_fields(meta)
    return ris("GEN", [("TI", title), *(("AU", a) for a in authors), ("PY", year),
                       ("SP", str(p.pages[0]) if p.pages else ""),
                       ("EP", str(p.pages[-1]) if p.pages else ""), ("N1", where(p))])


def parse_source(text: str) -> dict[str, str] | None:
    """Author, title, kind, year and pages of a reference, or None when it does not read as
    one (then it is cited by its text)."""
    flat = " ".join(text.split())
    m = SOURCE.match(flat) or NOTE.match(flat)
    if m is None:
        return None
    year, pages = YEAR.search(text), PAGES.search(text)
    return {"author": " and ".join(names(m.group("author").strip(), m.re is SOURCE)),
            "title": (m.group("article") or m.group("book")).strip().rstrip(".,"),
            "kind": "article" if m.group("article") else "book",
            "year": year.group(1) if year else "",
            "pages": (pages.group(1) or pages.group(2)) if pages else ""}


def names(author: str, inverted: bool) -> list[str]:
    """The authors of "Jeon, Woo-Taek, Shin-Eun Yu, and Jin-Sup Eom": the first inverted
    ("Last, First") in a bibliography entry, the others in order."""
    parts = [p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", author) if p]
    if inverted and len(parts) >= 2:
        parts = [f"{parts[0]}, {parts[1]}", *parts[2:]]
    return parts


def source_text(f: Footnote) -> str:
    return f.source or f.text


def source_bibtex(f: Footnote) -> str:
    text = source_text(f)
    got = parse_source(text)
    if got is None:
        return bib("misc", key("note", str(f.number)), {"note": text})
    return bib(got["kind"], key(got["author"].split(",")[0], got["year"], got["title"]),
               {"author": got["author"], "title": got["title"], "year": got["year"],
                "pages": got["pages"], "note": text})


def source_ris(f: Footnote) -> str:
    text = source_text(f)
    got = parse_source(text)
    if got is None:
        return ris("GEN", [("N1", text)])
    return ris("JOUR" if got["kind"] == "article" else "BOOK",
               [*(("AU", a) for a in got["author"].split(" and ")), ("TI", got["title"]),
                ("PY", got["year"]),
                ("SP", got["pages"]), ("N1", text)])


FORMATS = {"bibtex": (passage_bibtex, source_bibtex), "ris": (passage_ris, source_ris)}


def ref_meta(ref) -> dict:
    """The metadata `paper_fields` reads, of a paper an answer over several names
    (`index.records.PaperRef`): a bracketed title is a working title."""
    bracketed = ref.title.startswith("[") and ref.title.endswith("]")
    return {"title": None if bracketed else ref.title, "authors": list(ref.authors),
            "year": ref.year, "working_title": ref.title[1:-1] if bracketed else ref.name}


def answer_entries(answer, meta: dict, fmt: str, metas: dict[str, dict] | None = None
                   ) -> list[str]:
    """The entries of the passages an answer cites (every passage when it abstains), each
    followed by the sources the paper cites there, once each; over several papers, each
    passage cites its own paper (`metas`, by library name)."""
    of_passage, of_source = FORMATS[fmt]
    cited = {(c.marker, c.passage) for c in answer.citations}
    out, seen = [], set()
    for p in answer.passages:
        if cited and (p.rank, p.id) not in cited:
            continue
        out.append(of_passage(p, (metas or {}).get(p.paper, meta)))
        for f in p.footnotes:
            if not f.missing and source_text(f) not in seen:
                seen.add(source_text(f))
                out.append(of_source(f))
    return out

