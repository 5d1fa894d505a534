"""The comparison view: a question that sets two sides against each other ("men or women",
"before and after", "A versus B", "were A more ... than B") shown with the evidence for each
side in its own column, every sentence cited to its passage.

`sides(question)` finds the two sides from the question's shape alone (English function words
and comparison patterns, nothing of any paper's subject); `columns(answer, pair)` picks,
among the answer's retrieved passages, the sentences that name one side and not the other
(by the words that tell the sides apart, singular and plural alike), answer sentences and
better-ranked passages first. Pure. Leaves out the HTML (`cards.comparison_html`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.records import Answer

MAX_SIDE_WORDS = 5  # a side is a short phrase; a longer match is no pair of sides
PER_SIDE = 3  # sentences shown under each side
FUNCTION = frozenset(
    "a an the of in on at to for from by with and or than as who whom whose which what that "
    "this these those their its his her them they it be is are was were been being do does did "
    "have has had more less fewer most least likely likelier often rather among between".split())
AUX = r"(?:were|was|are|is|did|do|does|have|had|has|can|could|would|will)"
# English comparatives (a closed list: "-er" alone also matches "paper" and "never")
MORE = (r"(?:more|less|fewer|better|worse|likelier|likely|often|rather|higher|lower|larger|"
        r"smaller|greater|bigger|older|younger|earlier|later|longer|shorter|faster|slower|"
        r"harder|easier|stronger|weaker|richer|poorer|most|least)")
COMPARING = re.compile(rf"\b(?:differ\w*|compar\w*|contrast\w*|versus|vs|similar\w*|"
                       rf"before and after|{MORE[3:-1]})\b")
SIDE = r"[\w' -]+?"
PATTERNS = (
    # "A versus B", "A compared with B", "A's jobs compare with B's", "A as opposed to B"
    re.compile(rf"(?P<a>{SIDE})\s+(?:versus|vs\.?|(?:compared?|comparing) (?:with|to)|"
               rf"as opposed to|relative to)\s+(?P<b>{SIDE})(?:[?,.;:!]|$)"),
    # "the difference(s) between A and B", "compare A and B"
    re.compile(rf"\b(?:between|compare|comparing)\s+(?!with\b|to\b)(?P<a>{SIDE})\s+"
               rf"(?:and|with|to)\s+(?P<b>{SIDE})(?:\s+(?:differ\w*|in|on|at|regarding|when|"
               r"after|before)\b|[?,.;:!]|$)"),
    # "how did A and B differ"
    re.compile(rf"\b(?:how|in what ways?)\s+{AUX}\s+(?P<a>{SIDE})\s+and\s+(?P<b>{SIDE})\s+"
               r"differ\b"),
    # "were A more X than B", "did A leave more often than B"
    re.compile(rf"^(?:\w+\s+)?{AUX}\s+(?P<a>{SIDE})\s+(?:\w+\s+){{0,3}}?{MORE}\s+"
               rf"(?:\w+\s+){{0,2}}?than\s+(?P<b>{SIDE})(?:[?,.;:!]|$)"),
    # "before and after the war": the two sides are the two times
    re.compile(r"\b(?P<a>before|earlier|pre)\s+(?:and|or|vs\.?|versus)\s+"
               r"(?P<b>after|later|post)\b"),
    # "who left more, men or women?", "were men or women more likely to ..."
    re.compile(rf"^(?:who|which|were|was|are|is|did|do|does)\b.*?\b{MORE}\b.*?\b"
               r"(?P<a>\w+)\s+or\s+(?P<b>\w+)\b"),
    re.compile(rf"^(?:who|which|were|was|are|is|did|do|does)\b.*?\b(?P<a>\w+)\s+or\s+"
               rf"(?P<b>\w+)\b.*?\b{MORE}\b"),
)
NEAR = 3  # words of a side kept next to its connector ("how do women's jobs" -> "women's jobs")


@dataclass(frozen=True)
class Side:
    label: str  # as the question says it
    words: frozenset[str]  # the folded words that tell it from the other side


@dataclass(frozen=True)
class Evidence:
    text: str
    passage: str  # its passage's id
    rank: int  # its passage's rank: the [n] of the answer
    pages: tuple[int, ...]


@dataclass(frozen=True)
class Column:
    side: Side
    evidence: tuple[Evidence, ...]


def fold(word: str) -> str:
    """One form for singular and plural (and a possessive): women/woman, parties/party."""
    w = word.lower().strip("'").removesuffix("'s")
    if w.endswith("men") and len(w) >= 3:
        return w[:-3] + "man"
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def words(text: str) -> list[str]:
    return [fold(w) for w in re.findall(r"\b[A-Za-z][A-Za-z'-]*", text)]


def content(phrase: str) -> list[str]:
    return [w for w in words(phrase) if w not in FUNCTION]


def shared_tail(side: str, other: str, telling: set[str]) -> str:
    """A side said short lends the other's head noun: "male" beside "female defectors" reads
    "male defectors": the words after the other's first, when none of them tells the other
    side apart (`telling`) and this side is one word."""
    tail = other.split()[1:]
    if len(side.split()) == 1 and tail and not any(fold(w) in telling for w in tail):
        return f"{side} {' '.join(tail)}"
    return side


def sides(question: str) -> tuple[Side, Side] | None:
    """The two sides the question compares, or None when it compares none. Each side keeps
    the words that tell it from the other: not the words both share, nor a word the question
    says again elsewhere ("male defectors ... than female defectors": male / female)."""
    q = " ".join(question.lower().split())
    if not COMPARING.search(q):
        return None
    for pattern in PATTERNS:
        m = pattern.search(q)
        if m is None:
            continue
        a = " ".join(m.group("a").strip(" -'").split()[-NEAR:])
        b = " ".join(m.group("b").strip(" -'").split()[:NEAR])
        wa, wb = content(a), content(b)
        if not wa or not wb or len(m.group("b").split()) > MAX_SIDE_WORDS + 2:
            continue
        said = words(q)
        again = {w for w in set(wa) | set(wb) if said.count(w) > 1}
        apart_a, apart_b = set(wa) - set(wb) - again, set(wb) - set(wa) - again
        if apart_a and apart_b:
            a, b = shared_tail(a, b, apart_b), shared_tail(b, a, apart_a)
            return Side(a, frozenset(apart_a)), Side(b, frozenset(apart_b))
    return None


def telling(answer: Answer, pair: tuple[Side, Side]) -> tuple[Side, Side]:
    """The sides with words found in most of the passages left out ("north" in a paper on
    North Korea tells no side from the other), unless that would leave a side no word."""
    n = max(len(answer.passages), 1)
    seen = [set(words(p.text)) for p in answer.passages]

    def keep(side: Side) -> Side:
        rare = frozenset(w for w in side.words if sum(w in s for s in seen) <= n / 2)
        return Side(side.label, rare or side.words)

    return keep(pair[0]), keep(pair[1])


def columns(answer: Answer, pair: tuple[Side, Side]) -> tuple[Column, Column] | None:
    """Each side's sentences among the answer's passages (those naming that side and not the
    other); None when a side has none: then there is nothing to set side by side."""
    pair = telling(answer, pair)
    found: tuple[list[Evidence], list[Evidence]] = ([], [])
    for p in answer.passages:
        spans = p.sentences or ()
        ordered = sorted(spans, key=lambda s: not any(s.start < e and b < s.end
                                                      for b, e in p.highlights))
        for s in ordered:
            text = p.text[s.start:s.end].strip()
            said = set(words(text))
            a, b = bool(said & pair[0].words), bool(said & pair[1].words)
            if a == b:
                continue
            side = found[0] if a else found[1]
            if len(side) < PER_SIDE:
                side.append(Evidence(text, p.id, p.rank, p.pages))
    if not found[0] or not found[1]:
        return None
    return Column(pair[0], tuple(found[0])), Column(pair[1], tuple(found[1]))
