"""The reference list at the back of a paper: its entries are not the paper's text.

Indexed as body text, a bibliography's entries ("Broda, Christian and Jonathan A Parker (2014),
"The economic stimulus payments of 2008 ...") out-rank the paragraphs that discuss the same
works, for every question that names them. A reference list is found as a section titled like
one ("References", "Bibliography", "Works Cited", ...), or as a run of at least `RUN`
consecutive paragraphs in the second half of the paper that look like entries, where a lone
paragraph between two entries is taken with them: a surname, a comma and a given name or an
initial, or a body's name and a year in brackets (a number in brackets may come first), and a
year in the first 200 characters. The document keeps them (the Paper view shows them);
chunking leaves them out (`chunking.chunk`). Leaves out front matter (covers, contents,
captions).
"""

from __future__ import annotations

import re

from .records import Document

RUN = 5
TITLES = re.compile(r"^\s*(\d+(\.\d+)*\.?\s+)?(references|bibliography|works cited|literature "
                    r"cited|sources|reference list)\s*$", re.IGNORECASE)
ENTRY = re.compile(r"^\s*(\[\d+\]\s*|\d+\.\s+)?([A-Z][^\s,()]{0,40}(\s[A-Z][^\s,()]{0,40})?,\s+"
                   r"([A-Z][^\s,]*|and\b)|([A-Z][^\s,()]*\s){0,6}\((1[5-9]|20)\d\d[a-z]?\))")
YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)[a-z]?\b")


def is_entry(text: str) -> bool:
    return bool(ENTRY.match(text)) and bool(YEAR.search(text[:200])) and 20 <= len(text) <= 900


def reference_list(doc: Document) -> frozenset[int]:
    """The indices of the paragraphs that make up the paper's reference list(s)."""
    titled = {s.number for s in doc.sections if TITLES.match(s.title)}
    out = {p.index for p in doc.paragraphs if p.section in titled}
    paragraphs = [p for p in doc.paragraphs if p.start >= len(doc.body) // 2]
    marks = [is_entry(doc.body[p.start:p.end]) for p in paragraphs]
    i = 0
    while i < len(paragraphs):
        if not marks[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(paragraphs) and (marks[j + 1] or (j + 2 < len(paragraphs)
                                                            and marks[j + 2])):
            j += 1
        if j - i + 1 >= RUN:
            out |= {p.index for p in paragraphs[i:j + 1]}
        i = j + 1
    return frozenset(out)
