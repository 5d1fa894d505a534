"""Which side of a causal link a sentence puts what a "why" question is about.

A reason question names an outcome and asks for its cause. A sentence with a causal cue
answers it only when the outcome asked about is on the cue's *effect* side: "The change in
numbers can be chalked up to more strict border control" gives the cause of the change in
numbers, not of the border control ("Why did both sides tighten control of the border?" is
not answered by it). Directional cues say which side is which:

- the cause follows the cue: "X because Y", "X due to Y", "X can be chalked up to Y",
  "X stems from Y", "X is caused by Y";
- the effect follows the cue: "Y led to X", "Y meant that X", "Y; therefore X", "Y, so X",
  "Y forces them to X";
- a sentence that opens with the cue gives the cause first: "Because Y, X";
- other cues ("the reasons", "a factor", "an obstacle") do not say, and are not split.

An effect side that only points back ("this is due to ...", "these ...") is about the
sentence before it, whose words are counted with it. Pure text; `features` weighs the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE
# The cause follows these; the effect is what comes before.
CAUSE_AFTER = re.compile(
    r"\b(because( of)?|due to|owing to|thanks to|on account of|as a result of|"
    r"result(s|ed|ing)? from|stem(s|med|ming)? from|aris(e|es|ing) from|arose from|"
    r"(caused|driven|motivated|explained|prompted|triggered) by|(can|could) be chalked up to|"
    r"chalked up to|attribut(ed|able) to|given that|in order to|so as to|so that)\b", _I)
# The effect follows these; the cause is what comes before.
EFFECT_AFTER = re.compile(
    r"\b(therefore|thus|hence|consequently|accordingly|as a result(?! of)|"
    r"result(s|ed|ing)? in|lead(s|ing)? to|led to|caus(e|es|ed|ing)(?! by)|"
    r"drive(s)?(?! by)|drove|makes?|made it|making it|allow(s|ed|ing)?|enabl(e|es|ed|ing)|"
    r"forc(e|es|ed|ing)(?! by)|prevent(s|ed|ing)?|hinder(s|ed|ing)?|imped(e|es|ed|ing)|"
    r"meant that|means that|bring about|brought about|trigger(s|ed|ing)?(?! by)|"
    r"contribut(e|es|ed|ing) to|account(s|ed)? for|for (this|that|these|those) reasons?)\b|"
    r"[,;]\s+so\b(?!\s+(many|much|far|few|little|long|called)\b)", _I)
# A sentence that opens with a cause-after cue gives the cause first: "Because Y, X". Not
# "since", as often a time as a cause ("Since the famine, females have acted ...").
OPENS_WITH_CAUSE = re.compile(
    r"^\s*(because( of)?|due to|owing to|thanks to|as a result of|given that|"
    r"on account of)\b", _I)
# An effect side that only points back at the sentence before.
POINTS_BACK = re.compile(r"^\W*(\w+\W+){0,4}?(this|these|that|those|it|such)\b(?!\s+\w+ing\b)",
                         _I)


@dataclass(frozen=True)
class Link:
    effect: str  # the text on the effect side (with the sentence before, when it points back)
    cause: str


def links(sentence: str, before: str = "") -> list[Link]:
    """The causal links whose direction the sentence's cues tell, in order; empty when it has
    none (no cue, or only cues that do not say which side is the cause)."""
    out = []
    opening = OPENS_WITH_CAUSE.match(sentence)
    if opening:
        comma = sentence.find(",", opening.end())
        if comma > 0:
            out.append(Link(sentence[comma + 1:], sentence[opening.end():comma]))
    for m in CAUSE_AFTER.finditer(sentence):
        if opening and m.start() < opening.end():
            continue
        effect = sentence[:m.start()]
        out.append(Link(_with_before(effect, before), sentence[m.end():]))
    for m in EFFECT_AFTER.finditer(sentence):
        cause = sentence[:m.start()]
        out.append(Link(sentence[m.end():], _with_before(cause, before)
                        if m.group(0).lower().startswith("for") else cause))
    return out


def _with_before(text: str, before: str) -> str:
    """The text, with the sentence before it when the text only points back at it."""
    return f"{before} {text}" if before and POINTS_BACK.match(text) else text
