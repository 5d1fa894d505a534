"""No word of any paper's subject in the answer layer's code: its string literals against the
distinctive vocabulary of every corpus paper, the test paper included.

A paper's distinctive words are those it uses at least 150 times as often as English at large
(wordfreq), that are not among English's common words (Zipf frequency 4.5 and up, about 30 a
million) and that at most two corpus papers use at all: "defectors", "korean", "stipend",
"chalked" for the bundled paper; not "percent" or "because" (common), nor "motivated" or
"differ" (in the text of three papers or more: no one paper's subject). The bar of 150
sits in the gap measured on the corpus: its subject words stand 170 to 45,000 times above
English ("refugees" 173, "korean" 485), the generic words a paper happens to lean on at most
100 ("duration" 79 in the economics paper, "passage" 36 in the law lecture). The
words every paper's apparatus is described by (footnote, source, page, ...) are what the
answer layer is about and are not counted. Docstrings are left out (they explain with
examples); every other string constant of the answer layer is checked, word by word."""

from __future__ import annotations

import ast
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

import corpus
from ingest import load_document

ROOT = Path(__file__).resolve().parents[1]
LAYER = sorted((ROOT / "index" / "answers").glob("*.py")) + [ROOT / "index" / "holds.py"]
WORD = re.compile(r"[a-z]{3,}")
RATIO = 150
COMMON = 4.5
SHARED = 2  # a word in more corpus papers than this is no one paper's subject
APPARATUS = frozenset({"footnote", "footnotes", "ibid", "source", "sources", "page", "pages",
                       "paper", "papers", "author", "authors", "note", "notes", "cited",
                       "citation", "citations"})

pytestmark = pytest.mark.integration


def docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def literal_words(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = docstrings(tree)
    return {w for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skip for w in WORD.findall(node.value.lower())}


@cache
def words_of(path: Path) -> Counter:
    doc = load_document(path)
    return Counter(WORD.findall(" ".join([doc.body, *(f.text for f in doc.footnotes)]).lower()))


def distinctive(path: Path) -> frozenset[str]:
    from wordfreq import zipf_frequency

    counts = words_of(path)
    total = sum(counts.values())
    papers = [words_of(p) for p in all_papers()]
    out = set()
    for word, n in counts.items():
        zipf = zipf_frequency(word, "en")
        english = 10 ** (zipf - 3) if zipf else 0.001  # per million
        if (zipf < COMMON and n / total * 1e6 >= RATIO * english
                and sum(1 for c in papers if c[word]) <= SHARED and word not in APPARATUS):
            out.add(word)
    return frozenset(out)


def all_papers() -> list[Path]:
    return [p.path for p in corpus.papers() + corpus.test_papers()]


def test_the_check_finds_a_papers_subject_words():
    words = distinctive(corpus.PAPER)
    assert {"defectors", "korean", "hanawon", "stipend", "refugees", "chalked"} <= words
    assert not {"percent", "because", "should", "motivated", "footnote"} & words


@pytest.mark.parametrize("paper", all_papers(), ids=lambda p: p.parent.name)
def test_the_answer_layer_writes_no_word_of_this_papers_subject(paper):
    found = {path.name: sorted(literal_words(path) & distinctive(paper)) for path in LAYER}
    assert not {k: v for k, v in found.items() if v}
