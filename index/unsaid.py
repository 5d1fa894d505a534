"""What a question names that the paper does not: the words, groups, institutions and names
behind an abstention's reason (`abstain`).

- a word the paper never uses, stemmed as BM25 stems it (`never_used`, `unknown_words`);
- a group named by such a word ("elderly defectors", `unknown_groups`);
- an institution asked for by a noun the paper never uses ("which prison camps",
  `unknown_institution`);
- a name the paper writes only in passages far from the question (`names_elsewhere`).
Pure: reads the index (`IndexData`) and the evidence, decides nothing.
"""

from __future__ import annotations

import re

from .build import IndexData, tokenize
from .kinds import CAPITALISED, HEAD_NOUNS, name_key
from .records import Evidence


def never_used(data: IndexData, word: str) -> bool:
    """True when the paper never uses the word: none of its stems is in the paper's
    vocabulary (False for a word with no stems, a stop word)."""
    stems = tokenize([word])[0]
    return bool(stems) and all(s not in data.vocabulary for s in stems)


# A group named by a word that opens its noun phrase ("How do elderly defectors adapt?",
# "... compared with younger ones?"): after a function word, so that a verb before its object
# ("the results gave men", "which groups shelter defectors") is not read as one, and not a
# word that picks no group out ("the average defector", "a typical refugee").
GROUP = re.compile(r"\b(the|of|for|among|do|does|did|are|were|have|has|had|how|with|to|"
                   r"between|and|or|that|whether|most|many|few|all)\s+"
                   r"(?!(average|typical|ordinary|usual|actual|real|particular|certain|specific|"
                   r"individual|various|given|such)\b)(?P<word>[a-z][\w-]+)\s+"
                   r"(?P<group>defectors?|refugees?|escapees|newcomers|migrants|women|men|people|ones|"
                   r"couples|children|families|citizens|workers|northerners|southerners)\b",
                   re.IGNORECASE)


def unknown_groups(data: IndexData, question: str) -> list[str]:
    """The groups the question names by a word the paper never uses and that names nothing it
    names ("elderly defectors"; not "northern women", which "North" names)."""
    out = []
    for m in GROUP.finditer(question):
        word = m.group("word")
        if never_used(data, word) and name_key(word) not in data.names:
            out.append(f"{word} {m.group('group')}")
    return out


# A place, or a body of any sort, that a bare name can give ("Seoul", "China", "Hanawon" for
# "which institution") without the noun asked for; the other nouns of `kinds.HEAD_NOUNS` name
# a kind of institution that a paper naming one calls by its noun too ("Which embassy ...?":
# "the Thai embassy", "Which camp ...?": "Camp 14").
BARE_NAME = re.compile(r"^(city|cities|town|province|region|countr(y|ies)|county|place|district|"
                       r"village|border crossing|port|institutions?|organi[sz]ations?|"
                       r"agency|agencies|ngos?)$", re.IGNORECASE)


def unknown_institution(data: IndexData, kind: str, question: str) -> str | None:
    """The institution the question asks to be named ("which prison camp") when the paper
    never uses its noun, else None."""
    noun = HEAD_NOUNS.get(kind)
    if noun is None or kind == "person":  # a person is named by a bare name
        return None
    for word in noun.findall(question):
        if BARE_NAME.match(word):
            continue
        if never_used(data, word):
            return word
    return None


def names_elsewhere(data: IndexData, evidence: Evidence) -> list[str]:
    """The question's names (capitalised words after its first, not the paper's setting) that
    the paper writes somewhere, when no passage retrieved for it holds any of them: the paper
    speaks of them only where it is not close to the question ("How do defectors fare when
    they settle in Japan?": Japan only as the colonial power of 1945). A name the paper never
    writes is not counted: it may stand for one it does ("Pyongyang", "Seoul")."""
    question = evidence.retrieval.query.text
    names = [w for w in CAPITALISED.findall(question)
             if name_key(w) not in data.setting and name_key(w) in data.names]
    if not names:
        return []
    shown = {name_key(w) for h in evidence.retrieval.hits for s in range(*h.sentences)
             for w in re.findall(r"\w+", data.sentences[s].text)}
    return [] if any(name_key(w) in shown for w in names) else list(dict.fromkeys(names))


def unknown_words(data: IndexData, question: str) -> list[str]:
    """The question's own content words (as written) whose stems the paper never uses."""
    from bm25s.stopwords import STOPWORDS_EN_PLUS

    out = []
    for word in re.findall(r"[A-Za-z][\w'-]+", question):
        if word.lower() in STOPWORDS_EN_PLUS:
            continue
        if never_used(data, word):
            out.append(word)
    return list(dict.fromkeys(out))
