"""Chooses the answer units among the ranked candidates and writes the answer text.

- Any answer: the best candidate leads; the sentence right after it joins when it carries it
  on by opening with a word that points back ("These results showed ..."); others join while
  they score within `join` of the lead, up to `most`; for a reason, a chosen sentence that
  opens by pointing back keeps the sentence it points to. Each sentence is followed by the
  marker [n] of the passage it comes from; a footnote is named ("footnote 12: ...").
- A source answer: the works the question names, with the best claim they back among the
  candidates (an "Ibid." backs the work it repeats, and is named with its own page); else the
  works behind the best claim, or why it has none (`sources.problem`); then the claim.
Leaves out ranking (`evidence`) and the verdict (`abstain`).
"""

from __future__ import annotations

import re

import numpy as np

from ..build import IndexData
from ..config import Features
from ..records import Evidence, Pick
from .candidates import Candidates
from .sources import backing, describe, in_text, named, problem

# Words that open a sentence by pointing back to the one before it.
REFERS_BACK = re.compile(r"^(This|These|That|Those|It|They|Such|Therefore|Thus|As a result)\b")
NO_ANSWER = "The paper does not seem to answer this question."


def no_answer(reason: str) -> str:
    """The abstaining answer, with why: "... this question: no passage comes close to it"."""
    return f"{NO_ANSWER[:-1]}: {reason}."


def same_paragraph(data: IndexData, a: int, b: int) -> bool:
    m = len(data.sentences)
    return a < m and b < m and data.sentences[a].paragraph == data.sentences[b].paragraph


def select(data: IndexData, cands: Candidates, probs: np.ndarray, reason: bool, join: float,
           most: int) -> list[int]:
    """Positions (into `cands`) of the answer units, best first."""
    order = [int(i) for i in np.argsort(-probs, kind="stable")]
    where = {u: i for i, u in enumerate(cands.units)}
    lead = cands.units[order[0]]
    after = where.get(lead + 1)
    chosen = [order[0]]
    if (after is not None and most > 1 and same_paragraph(data, lead, lead + 1)
            and REFERS_BACK.match(data.sentences[lead + 1].text)):
        chosen.append(after)
    for i in order[1:]:
        if len(chosen) >= most or probs[i] < join * probs[order[0]]:
            break
        if i not in chosen:
            chosen.append(i)
    if reason:  # a cause that opens with "This" needs what it refers to
        for i in list(chosen):
            u = cands.units[i]
            before = where.get(u - 1)
            if (before is not None and before not in chosen and len(chosen) < most
                    and same_paragraph(data, u - 1, u)
                    and REFERS_BACK.match(data.sentences[u].text)):
                chosen.append(before)
    return chosen


def source_choice(data: IndexData, question: str, cands: Candidates, probs: np.ndarray,
                  least: int = Features.named_min) -> tuple[list[int], tuple, str | None]:
    """(chosen positions, the footnotes the answer names, why it cannot) for a source
    question, among the candidate sentences (footnotes are what it names, not claims);
    `least`: the rare words a question shares with a source to name it (`sources.named`)."""
    m = len(data.sentences)
    order = [int(i) for i in np.argsort(-probs, kind="stable") if cands.units[i] < m]
    if not order:
        return [], (), "no sentence close to it cites a source"
    asked = set(named(data, question, least))
    for i in order if asked else ():
        notes = [f for f in backing(data, cands.units[i]).notes
                 if (f.ibid_of or f.number) in asked]
        if notes:
            return [i], tuple(notes), None
    claim = order[0]
    b = backing(data, cands.units[claim])
    why = problem(b, data)
    if why is not None:
        return [claim], (), why
    if b.given:
        return [claim], b.given, None
    named_here = in_text(data, cands.units[claim])  # a work named in the text
    where = {u: i for i, u in enumerate(cands.units)}
    extra = [where[named_here]] if named_here in where and where[named_here] != claim else []
    return extra + [claim], (), None


def picks(data: IndexData, cands: Candidates, probs: np.ndarray, chosen: list[int]
          ) -> tuple[Pick, ...]:
    """The chosen units as picks, in document order (footnotes after the body)."""
    m = len(data.sentences)
    out = []
    for i in chosen:
        u = cands.units[i]
        note = data.footnotes[u - m] if u >= m else None
        out.append(Pick(u, cands.ranks[i], float(probs[i]),
                        note.text if note else data.sentences[u].text,
                        note.number if note else None))
    return tuple(sorted(out, key=lambda p: p.unit))


def said(p: Pick) -> str:
    return f"footnote {p.footnote}: {p.text}" if p.footnote is not None else p.text


def compose(evidence: Evidence) -> str:
    """The answer text: each unit with its [n]; a source answer names the works first."""
    text = " ".join(f"{said(p)} [{p.rank}]" for p in evidence.picks)
    if not evidence.cited:
        return text
    works = "; ".join(describe(f) for f in evidence.cited)
    if not evidence.picks:
        return f"{works}."
    claims = " ".join(f"\u201c{said(p)}\u201d [{p.rank}]" for p in evidence.picks)
    return f"{works} [{evidence.picks[0].rank}], for: {claims}"
