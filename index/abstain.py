"""When to say that the paper does not answer, and why: one phrase for every abstention.

In order, the first that applies:
- no sentence or cited source of the top passages comes within the floor (a cosine chosen on
  the dev split): a question about another subject altogether (not one about the paper
  itself, "What does the paper conclude?", which comes close to no one sentence);
- a source question whose claim has no source in this extract (a missing footnote, or none:
  `sources.problem`), said with the footnote's number;
- no candidate sentence at all;
- a number the question names ("in 2015") that the paper never mentions;
- a group the question names by a word the paper never uses ("elderly defectors"), a name
  the paper writes only in passages far from the question ("... settle in Japan?"), or an
  institution it asks to be named by a noun the paper never uses ("which prison camp");
- a quantity question (a percentage, a share, a date, an age, a sum of money, a length of
  time, a count, a number: `kinds`) whose answer sentences hold none of the kind asked, in
  a sentence that shares a word with what the question asks about;
- the abstention model (`learned`) rates it likely that the paper does not answer: the reason
  then names the kind of answer none of the best candidates gives (a place, a person, a
  reason), or the question's words the paper never uses, or says that no passage covers
  what it asks.
Checked and chosen on the dev split only (eval/tuning.md). Leaves out picking the sentences
(`answer`) and finding what the question names that the paper does not (`unsaid`).
"""

from __future__ import annotations

import re

from .answer import REFERS_BACK
from .build import IndexData, tokenize
from .kinds import BY_NAME, CAPITALISED, name_key, quantity_kinds
from .records import Evidence
from .unsaid import names_elsewhere, unknown_groups, unknown_institution, unknown_words

NAMED_NUMBER = re.compile(r"\b\d[\d,.]*\b")


# A question about the paper itself, its argument, conclusion or recommendations ("What policy
# recommendation does the paper make?", "What does the paper conclude?"): it names no subject
# a sentence could come close to, so the floor, which keeps out questions about another subject
# altogether, does not apply. "According to the paper, ...?" is not one.
ABOUT_THE_PAPER = re.compile(
    r"\b(the|this) (paper|author|article|study|essay|thesis)(['\u2019]s)?\s+((main|central|"
    r"overall|key|chief|principal)\s+)?(conclu\w*|argu\w*|recommend\w*|suggest\w*|find\w*|"
    r"propos\w*|thesis|aims?|purpose|questions?|claims?|focus\w*|sets? out|makes?|say|says|"
    r"show\w*|contribut\w*|looks? at|examin\w*|goals?)\b|"
    r"\bwhat is (the|this) (paper|article|essay) about\b", re.IGNORECASE)


def numbers_in(texts: list[str]) -> frozenset[str]:
    return frozenset(n.rstrip(".,") for t in texts for n in NAMED_NUMBER.findall(t))


def missing_numbers(question: str, known: frozenset[str]) -> list[str]:
    """Numbers the question names that the paper never mentions."""
    return [n.rstrip(".,") for n in NAMED_NUMBER.findall(question) if n.rstrip(".,") not in known]


def missing_kind(question: str, sentences: list[str] | tuple[str, ...],
                 setting: frozenset[str] = frozenset(),
                 before: list[str] | tuple[str, ...] = ()) -> str | None:
    """The kind of quantity the question asks for and no sentence holds ("a percentage"),
    or None when it asks none or one of the kinds asked is found. A sentence holds it only
    when it also shares a word with what the question asks about (`about`): "In what year
    did Kim Jong Un take power?" is not answered by a sentence whose years date other things.
    `before[i]`, the sentence before `sentences[i]` in its paragraph, counts for what the
    sentence is about when it opens by pointing back ("It is about two hundred dollars.")."""
    asked = quantity_kinds(question)
    if not asked:
        return None
    topic = about(question, setting)
    rated = rate_of(question)
    for i, text in enumerate(sentences):
        said = words_of(text)
        if i < len(before) and before[i] and REFERS_BACK.match(text):
            said |= words_of(before[i])
        if any(k.holds.search(text) for k in asked) and (not topic or topic & said) \
                and (not rated or rated <= said):
            return None
    return " or ".join(k.label for k in asked)


# A rate named by what it counts: "the divorce rate", "the unemployment rate". Not a word that
# says which rate without saying of what ("the average rate", "the annual rate").
RATE = re.compile(r"\b(?!(average|overall|total|annual|monthly|yearly|daily|weekly|exact|"
                  r"approximate|current|general|same|actual|real|high|higher|low|lower|"
                  r"usual|typical)\b)([a-z][\w-]+) (rate|ratio)s?\b", re.IGNORECASE)


def rate_of(question: str) -> frozenset[str]:
    """What a rate the question asks for counts ("divorce" in "What is the divorce rate
    ...?"), stemmed; a sentence giving a number holds it only when it says it too: "three
    times the rate of depression" gives no divorce rate."""
    return frozenset(w for m in RATE.finditer(question) for w in words_of(m.group(2)))


def words_of(text: str) -> frozenset[str]:
    """The text's stemmed content words (no stop words, no names' case: lower case)."""
    return frozenset(tokenize([text])[0])


# The words that ask for a quantity, not about what: "how many", "what year", "what share".
ASKING = re.compile(r"\b(how (many|much|long|old|often|frequently|large|big|high)|"
                    r"(what|which) (percentages?|percent|proportions?|shares?|fractions?|"
                    r"years?|dates?|months?|decades?|age|number|rate|amount|size|level)|"
                    r"at what (age|rate)|when|until|since)\b", re.IGNORECASE)


def about(question: str, setting: frozenset[str] = frozenset()) -> frozenset[str]:
    """What a quantity question asks about: its stemmed content words, less the words that
    ask (`ASKING`) and the paper's setting names (`kinds.setting_names`: "South Korea" is
    where most of its quantities are)."""
    rest = ASKING.sub(" ", question)
    rest = CAPITALISED.sub(lambda m: " " if name_key(m.group(0)) in setting else m.group(0),
                           rest)
    return words_of(rest)


def learned_reason(data: IndexData, evidence: Evidence) -> str:
    """What the abstention model saw: the kind asked missing from the best candidates (what
    it weighs most), else the question's words the paper never uses, else no coverage."""
    kind = BY_NAME.get(evidence.kind)
    if not evidence.held and kind is not None and kind.name != "fact":
        return f"it asks for {kind.label} and no passage close to it gives one"
    words = unknown_words(data, evidence.retrieval.query.text)
    if words:
        shown = ", ".join(f"\u2018{w}\u2019" for w in words[:3])
        return f"the paper never mentions {shown}"
    return "no passage covers what the question asks"


def reason_to_abstain(data: IndexData, evidence: Evidence, threshold: float,
                      floor: float = -1.0) -> str | None:
    """Why the paper seems not to answer (one phrase), or None when it does. `floor`: the
    evidence strength below which nothing in the paper comes close (a question about another
    subject altogether); `threshold`: the abstention model's."""
    question = evidence.retrieval.query.text
    if evidence.note:
        return evidence.note
    if (not evidence.sentences and not evidence.cited) or (
            evidence.strength < floor and not ABOUT_THE_PAPER.search(question)):
        return "no passage comes close to the question"
    missing = missing_numbers(question, data.numbers)
    if missing:
        return f"the paper never mentions {', '.join(missing)}"
    groups = unknown_groups(data, question)
    if groups:
        return f"the paper never mentions {', '.join(groups)}"
    elsewhere = names_elsewhere(data, evidence)
    if elsewhere:
        shown = ", ".join(elsewhere[:3])
        return f"the paper mentions {shown} only in passages that do not come close to it"
    institution = unknown_institution(data, evidence.kind, question)
    if institution:
        return f"it asks which {institution.lower()}, a word the paper never uses"
    kind = missing_kind(question, evidence.sentences, data.setting,
                        [data.before(p.sentence) for p in evidence.picks])
    if kind:
        return f"the question asks for {kind} and no passage close to it gives one"
    if evidence.unanswerable >= threshold:
        return learned_reason(data, evidence)
    return None
