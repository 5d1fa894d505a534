"""What a question asks for, and whether a sentence holds it: one declarative table.

Each answer kind names the questions that ask for it (`asks`, a regular expression tried in
table order: the first that matches wins) and what an answer sentence must hold to give it
(`holds`; None when no surface form tells). Questions the table misses get the kind of their
nearest example question by meaning (`EXAMPLES`, embedded with the same model), when it is
close enough (`nearest`; the bound was chosen on the dev split). The examples are generic
questions about any paper, written for this table, not taken from the evaluation set.
The quantity kinds and their patterns come from `abstain` (checked on the dev split only).
Leaves out what to do with the kind (`answer`, `abstain`, `sources`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # "a percentage": what the answer is said to lack when it abstains
    asks: re.Pattern[str]
    holds: re.Pattern[str] | None
    quantity: bool = False
    unless: re.Pattern[str] | None = None  # a question that matches is not of this kind

    def is_asked(self, question: str) -> bool:
        return bool(self.asks.search(question)) and not (
            self.unless is not None and self.unless.search(question))


# What an answer sentence holds, for the quantity kinds.
NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve twenty thirty "
                "forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
                "million millions half twice percent dozen decade").split()
HAS_NUMBER = _re(r"\d|\b(" + "|".join(NUMBER_WORDS) + r")\b")
CARDINAL = r"(\d[\d,.]*|" + "|".join(NUMBER_WORDS) + r"|few|several|a|an)"
MONEY_WORDS = (r"(payment|stipend|wage|salary|cost|costs|money|income|price|sum|amount|award|"
               r"grant|pay|earnings)")
FREQUENCY = _re(r"\d|\b(" + "|".join(NUMBER_WORDS) + r"|often|usually|rarely|seldom|always|"
                r"never|sometimes|daily|every\s?day|weekly|monthly|yearly|annually|regularly|"
                r"occasionally|frequently|constantly|each (day|week|month|year))\b")
PERCENT = _re(r"\d\s*%|\bper\s?cent\b")
SHARE = _re(r"\d\s*%|\bper\s?cent\b|\b(half|halves|quarters?|thirds?|fifths?|tenths?|"
            r"majority|minority)\b|"
            r"\b\d+ (in|out of) \d+\b|\bone in\b")
DATE = _re(r"\b(1[6-9]|20)\d\d\b|\b(january|february|march|april|may|june|july|august|"
           r"september|october|november|december)\b")
TIME = _re(DATE.pattern + r"|\b(after|before|during|once|until|since|immediately|soon|then|"
           r"later|earlier|first|beginning|end|period|era|moment|now|today|while|when|"
           r"(days?|weeks?|months?|years?|decades?))\b")
AGE = _re(r"\bage[ds]?\b|\byears? old\b|\bteen|\b(twenties|thirties|forties|fifties)\b")
MONEY = _re(r"[$\u20a9\u20ac\u00a3\u00a5]|\b(won|dollars?|usd|krw|yuan|euros?|pounds)\b")
DURATION = _re(r"\b" + CARDINAL + r"[\s-]+(days?|weeks?|months?|years?|decades?)\b|"
               r"\b(lifelong|for life)\b")
# A count: a number that is not a year, a percentage, a multiplier ("three times") or a range
# of numbers, or a number word other than "one" (which is rarely a count: "one of the factors").
COUNT = _re(r"\b(?!(1[89]|20)\d\d\b)(?>\d+(?:[,.]\d+)*)(?!\s*(%|percent|per cent|times\b)|-\d)|"
            r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
            r"forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|"
            r"million|millions|dozen|dozens)\b(?!\s*(times|percent|per cent)\b)")

WORK = r"(source|sources|book|study|studies|work|article|publication|journal|report|poll|" \
       r"research|reference|researchers?|authors?|footnote|evidence)"
CITE = r"(cite|cites|cited|citing|rely|relies|relied|back|backs|backed|support|supports|" \
       r"supported|draw|draws|base|based|ground|stand|stands|give|gives|attribute|report|" \
       r"reports|reported)"
PLACE_NOUN = r"(city|cities|town|province|region|country|countries|county|place|district|" \
             r"camp|camps|embassy|embassies|university|village|border crossing|port)"
# The nouns of a trade or a calling by their endings too: psychiatrist, journalist, physician,
# politician (lower case: "Which Korean ...?" asks no person).
PERSON_NOUN = r"(leader|president|founder|official|minister|director|scholar|doctor|" \
              r"researcher|interviewer|[a-z]{4,}ists?|[a-z]+icians?)"
ORG_NOUN = r"(agency|agencies|organi[sz]ations?|company|companies|church|churches|ngo|ngos|" \
           r"ministry|institution|institutions|charity|charities|party|firm|firms)"
# Causal language: the connectives of cause and purpose (the Penn Discourse Treebank's
# contingency relations: because, since, so, thus, hence, consequently, as a result, in order
# to, given that, ...) and the verbs and nouns that name a cause or an effect (cause, lead to,
# result in, bring about, force, enable, prevent, contribute, stem from, account for,
# factor, consequence, obstacle, ...): a reason is often given by the second kind alone
# ("this value system acts as an obstacle to rational thinking").
CAUSAL = _re(r"\b(because|due to|since|as a result|result(s|ed|ing)? (in|from)|therefore|thus|"
             r"hence|consequently|accordingly|so that|so as to|in order to|given that|"
             r"thanks to|owing to|on account of|for (this|that|these|those) reasons?|"
             r"caus(e|es|ed|ing)|reasons?|lead(s|ing)? to|led to|drive(s|n)?|driv(ing)|"
             r"motivat\w*|stem(s|med|ming)? from|aris(e|es|ing) from|arose from|explain\w*|"
             r"makes?|made it|making it|allow(s|ed|ing)?|enabl\w*|forc(e|es|ed|ing)|"
             r"prevent\w*|hinder\w*|imped\w*|obstacles?|barriers?|contribut\w*|"
             r"account(s|ed)? for|attribut\w*|bring about|brought about|trigger\w*|"
             r"factors?|consequences?|effects?|can be chalked up)\b|[,;]\s+so\b(?!\s+(many|"
             r"much|far|few|little|long|called)\b)")
COMPARE = _re(r"\b(more|less|fewer|greater|higher|lower|than|whereas|while|unlike|both|"
              r"differ\w*|similar\w*|same|compared|contrast|but|however|three times|"
              r"twice)\b")
# A recommendation made: the modal or a verb of advising. Not "policy" alone, which names one
# ("Kim Jong Un's policy") without recommending it, nor "must" / "need to", which as often
# say what someone is obliged to do ("it is drilled into them that they must get food").
# Not "should" of a remark or a caution, which advises the reader how to take something, not
# anyone what to do ("it should be noted that", "should not be ruled out", "should be taken
# with a grain of salt").
RECOMMEND = _re(r"\b(should(?!\s+(not\s+)?be\s+(noted|mentioned|remembered|said|stressed|"
                r"emphasi[sz]ed|pointed out|ruled out|taken|considered|kept in mind|"
                r"understood|seen)\b)|recommend\w*|ought|propos\w*|suggest\w*|advis\w*)\b")
# The two sides a paper about gender compares. A recommendation for one is not one for the
# other: "men should receive more intensive education" does not answer "What does the paper
# recommend for female defectors?".
SIDES = (_re(r"\b(women|woman|females?|girls?|wives|mothers?)\b"),
         _re(r"\b(men|man|males?|boys?|husbands?|fathers?)\b"))

DEFINE = _re(r"\b(is|are|was|means?|meant|refers? to|known as|translated|called|defined|"
             r"consist\w*|include\w*)\b")
# A person named as one: a title, "according to X", X found / believes / argues / ..., or a
# deed's doer, "developed by Kim Il-sung" (a passive verb, "by", a name of two or more parts).
PERSON = re.compile(r"\b(Dr|Mr|Mrs|Ms|Prof)\.\s+[A-Z]|\b[Aa]ccording to (a |the )?(Dr\. )?[A-Z]|"
                    r"\b[A-Z][a-z]+(?:[- ][A-Z][a-z-]+)*(?:['\u2019]s)?\s+(found|finds|believes|"
                    r"argues|argued|says|said|states|stated|wrote|writes|notes|noted|study|"
                    r"survey|policy|thesis)\b|"
                    r"\b[a-z]+(ed|en|wn|ne)\s+by\s+[A-Z][a-z]+(?:(?: [A-Z]|-[A-Za-z])[a-z]+)+")
# "Who found that ...?", "Who showed that ...?": who made a finding. The paper answers it by
# naming the researcher in its text ("In Park's study, she found ...") or by the footnote
# behind the finding (`answer` names it when the text names no one).
FINDER = re.compile(r"\bwho\s+(first\s+)?(found|finds|showed|shows|reported|reports|concluded|"
                    r"observed|discovered|established|argued|argues|claimed|claims|noted|"
                    r"notes|suggested|suggests|believes|believed)\s+that\b", re.IGNORECASE)
AUX = r"(does|do|did|is|are|was|were|has|have|had|can|will|would)"
WHICH = rf"\b(which|what)\b(\s+(?!{AUX}\b)[\w'\u2019-]+){{0,3}}?\s+"  # which (South Korean) city
WHO = r"(^|[,;:]\s*|\band\s+)(who|whom)\b"  # the interrogative, not "defectors who left"
YES_NO = _re(r"^\s*(is|are|was|were|do|does|did|can|could|has|have|had|will|would|should)\b")
# "Who finds it harder ...?", "Who had more problems ..., men or women?": which of two groups,
# a comparison, not a person's name.
WHO_OF_GROUPS = _re(rf"{WHO}\s+[\w'-]+\s+(it\s+)?(more|less|fewer|better|worse|harder|"
                    rf"easier|likelier)\b|{WHO}\b[^?]*\b[\w-]+ or [\w-]+(\s[\w-]+)?\s*\?\s*$")

TABLE: tuple[Kind, ...] = (
    Kind("source", "a source", _re(
        rf"\b(which|what|whose)\s+([\w,]+\s+){{0,3}}?{WORK}\b[^?]*\b{CITE}\b|"
        rf"\bwhat (source|sources|reference|evidence)\b|\bwho (wrote|authored|"
        rf"published|conducted|carried out)\b|\b(in )?(which|what) (journal|book|"
        rf"publication|issue|page)\b|\bwhose (study|research|work|book|article)\b|"
        rf"\b(which|what) (study|studies|work|article|book|researchers?|authors?)\b"), None),
    Kind("percentage", "a percentage", _re(
        r"\b(what|which) (percentages?|percent)\b|\bhow many percent\b|\bpercentages? of\b"),
        PERCENT, True),
    Kind("share", "a share", _re(r"\b(what|which) (proportions?|shares?|fractions?)\b"), SHARE,
         True),
    Kind("date", "a date", _re(
        r"\b(in |until |by |since )?(what|which) (years?|dates?|months?|decades?)\b|"
        r"\b(since|until) when\b"), DATE, True),
    # A bare "when ...?" is answered as often by a moment in a story ("only after four or
    # five years", "immediately") as by a date: not a quantity the rules may refuse without.
    Kind("time", "a time", _re(rf"\bwhen {AUX}\b"), TIME),
    Kind("age", "an age", _re(r"\bhow old\b|\b(what|average|mean|typical) age\b|"
                              r"\bat what age\b"), AGE, True),
    Kind("money", "a sum of money", _re(
        r"\b(how (much|large|big|high)|what is the (amount|size|level))\b.*\b" + MONEY_WORDS
        + r"\b|\b" + MONEY_WORDS + r"\b.*\bhow much\b|\bhow much (money|does it cost)\b|"
        r"\bhow much\b[^?]*\b(earn|earns|earned|paid|pay|cost|costs)\b|"
        r"\b(what|which) (is|was|are|were) (the )?([\w-]+ ){0,3}" + MONEY_WORDS +
        r"\s*(\?|\b(of|in|among|per|paid|given)\b)"),  # not "what was the stipend like / for"
        MONEY, True),
    Kind("duration", "a length of time", _re(r"\bhow long\b"), DURATION, True),
    # "How many times more ...?" asks a multiplier ("three times the rate"), which a count
    # leaves out on purpose: it asks a number.
    Kind("count", "a count", _re(r"\bhow many\b"), COUNT, True,
         unless=_re(r"\bhow many times\b")),
    Kind("frequency", "a frequency", _re(r"\bhow (often|frequently)\b"), FREQUENCY, True),
    # "How much does X count for?", "How large a part does X play?" ask a degree, which a
    # sentence gives in words; "rate" or "average" only when it is what is asked for.
    Kind("number", "a number", _re(
        rf"\bhow (much|large|big)\b(?!\s+(a|an|{AUX})\b)|\bhow (large|big) (is|are|was|were)\b|"
        r"\bwhat (number|rate)\b|\bat what rate\b|\bhow many times\b|"
        r"\b(what|which) (is|was|are|were) (the )?([\w-]+ ){0,3}(rate|average)\b"),
        HAS_NUMBER, True),
    Kind("place", "a place", _re(rf"\bwhere\b|{WHICH}{PLACE_NOUN}\b"), None),
    Kind("organisation", "a name", _re(
        rf"{WHICH}{ORG_NOUN}\b|\bwhat is the name\b|\bname of\b"), None),
    # Not "whose ...?": it asks for a possessor, as often a group ("whose sense of support
    # resembled ...?": female defectors') as a named person (a source's "whose study" is above).
    Kind("person", "a person", _re(rf"{WHO}|{WHICH}{PERSON_NOUN}\b"), PERSON,
         unless=WHO_OF_GROUPS),
    # Not a yes/no question: "Did the assessments suggest that ...?" asks what they show.
    Kind("recommendation", "a recommendation", _re(
        r"\b(recommend\w*|propos\w*|suggest\w*|advise\w*|should be done|what should)\b"),
        RECOMMEND, unless=YES_NO),
    Kind("reason", "a reason", _re(
        r"\bwhy\b|\bwhat (led|leads|caused|causes|makes|made|drives|drove|pushed|pulled|"
        r"motivates|motivated|explains)\b|\b(for|by) what reasons?\b|\bwhat reasons?\b|"
        r"\bhow does the paper explain\b|"
        r"\bwhat (is|was|are|were) (the|their|his|her|its) ([\w-]+ ){0,2}(reasons?|causes?|"
        r"motives?|motivations?)\b"),
        CAUSAL),
    Kind("comparison", "a comparison", _re(
        r"\b(compare\w*|comparison|differ\w*|difference|contrast|versus|vs\.?|similar\w*|"
        r"more than|less than|better|worse|fare|fared)\b|\bbetween (men|women|males|females|"
        r"the (two|sexes|genders))\b|\b(which|what) (gender|sex)\b|\b(men|males?) or (more )?"
        r"(women|females?)\b|\b(women|females?) or (more )?(men|males?)\b|"
        + WHO_OF_GROUPS.pattern), COMPARE),
    Kind("definition", "a definition", _re(
        r"^\s*what (is|are|was|were) (a |an |the )?[\w\s-]{1,40}\?\s*$|\bwhat does .* "
        r"mean\b|\bdefin\w*\b|\bwhat is meant\b"), DEFINE),
    Kind("yesno", "a yes or no", YES_NO, None),
)
FACT = Kind("fact", "an answer", _re(r"$^"), None)
BY_NAME = {k.name: k for k in TABLE} | {FACT.name: FACT}

# Generic example questions per kind (any paper), for questions the table does not match.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "source": ("Which article is this finding taken from?", "What reference supports that "
               "statement?", "Where does the author get this figure from?", "Who is the "
               "source of this claim?"),
    "reason": ("What explains this outcome?", "For what purpose did they do it?",
               "What is behind this change?", "How come they chose to leave?"),
    "comparison": ("In what ways are the two groups unlike each other?", "Which group "
                   "adapted more easily, and how?", "How did the results for boys and girls "
                   "set them apart?"),
    "place": ("In which part of the country did this happen?", "What destination did "
              "they head for?", "In what location was the survey held?"),
    "person": ("Which scholar proposed this theory?", "Whom did the author interview?",
               "Which official signed the agreement?"),
    "organisation": ("Which body runs the programme?", "What institution funded the study?",
                     "Which firm hired them?"),
    "time": ("In which period did this happen?", "At what time did the change take place?"),
    "count": ("What was the number of participants?", "How large was the sample?"),
    "percentage": ("What share of respondents agreed, in per cent?",),
    "recommendation": ("What does the author advise governments to do?", "What measures "
                       "does the study call for?"),
    "definition": ("What does this term refer to?", "What is meant by this concept?"),
}


def asked(question: str) -> Kind:
    """The first kind of the table whose question pattern matches, else `fact`."""
    return next((k for k in TABLE if k.is_asked(question)), FACT)


def quantity_kinds(question: str) -> list[Kind]:
    """Every quantity kind the question asks for (a question may ask a date and a count);
    "a number" only when it asks for no more specific one."""
    found = [k for k in TABLE if k.quantity and k.is_asked(question)]
    specific = [k for k in found if k.name != "number"]
    return specific or found


ENTITIES = ("place", "person", "organisation")
CAPITALISED = re.compile(r"(?<=[\w,;:)\u201d\u2019] )[A-Z][\w'\u2019-]+")  # not first of a sentence


CALENDAR = frozenset("jan feb mar apr may jun jul aug sep oct nov dec mon tue wed thu fri sat "
                     "sun".split())  # a month or a day is not a name


def name_key(word: str) -> str:
    """How names are compared: by their first four letters, lower case ("China" names what
    "Chinese" does; "Park's" is "Park")."""
    return word[:4].lower()


# A quoted title: its capitalised words name a work, not a place, a person or a body
# ("In the study \u201cTraumatic Experiences and Mental Health of ...\u201d").
QUOTED = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")


def new_names(sentence: str, question: str) -> list[str]:
    """Capitalised words inside the sentence, outside quoted titles, that the question does
    not already name (its words compared by their first four letters: "China" names what
    "Chinese" does)."""
    asked = {name_key(w) for w in re.findall(r"\w+", question)}
    return [w for w in CAPITALISED.findall(QUOTED.sub(" \u2026 ", sentence))
            if name_key(w) not in asked and w[:3].lower() not in CALENDAR]


NAME_RUN = re.compile(r"[\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019-]+)*")  # the rest of a name


def person_words(sentence: str) -> frozenset[str]:
    """The words (first four letters, lower case) of the names `PERSON` finds in the sentence:
    "Kim Jong Un's policy", "According to Andrei Lankov", "Dr. Young-ja Park"."""
    words: set[str] = set()
    for m in PERSON.finditer(sentence):
        end = NAME_RUN.match(sentence, m.end()).end()
        words.update(name_key(w) for w in re.findall(r"[A-Z][\w'\u2019-]+",
                                                       sentence[m.start():end]))
    return frozenset(words)


# The paper's setting: the names in at least this share of its sentences ("Korea", "North",
# "South" in the bundled paper, 29-53% of its sentences, against 6% for the next, "China"),
# and in at least SETTING_LEAST of them: in a paper of ten sentences a name in two is not
# what the whole paper is about.
SETTING_SHARE = 0.2
SETTING_LEAST = 5
# A question the setting can answer: "where ...?", "which country / side ...?". A question
# asking for a narrower named thing ("which city", "which company", "the name of ...") is not
# answered by the setting the whole paper is about ("Which university does Dr. Park teach
# at?" is not answered by "South Korea").
SETTING_ANSWERS = _re(r"\bwhere\b|\b(which|what)\s+([\w'\u2019-]+\s+){0,2}?(countr(y|ies)|"
                      r"nations?|states?|sides?|halves|half)\b(?!['\u2019]s)")


def setting_names(sentences: list[str] | tuple[str, ...], share: float = SETTING_SHARE
                  ) -> frozenset[str]:
    """The names (their first four letters, lower case, as `new_names` compares them) that
    appear in at least `share` of the sentences, and in `SETTING_LEAST` of them at least:
    what the paper as a whole is about."""
    if not sentences:
        return frozenset()
    counts: dict[str, int] = {}
    for text in sentences:
        for name in {name_key(w) for w in CAPITALISED.findall(text)}:
            counts[name] = counts.get(name, 0) + 1
    return frozenset(n for n, c in counts.items()
                     if c >= share * len(sentences) and c >= SETTING_LEAST)


def holds(kind: Kind, sentence: str, question: str = "",
          setting: frozenset[str] = frozenset()) -> bool:
    """True when the sentence holds the kind asked (True when no surface form tells). A
    place, person or name asked for must be a name the question does not already give, not
    one of the paper's `setting` names unless the question is one they can answer, and for a
    place or an organisation not a person's name."""
    if kind.name in ENTITIES:
        names = new_names(sentence, question)
        if setting and not SETTING_ANSWERS.search(question):
            names = [n for n in names if name_key(n) not in setting]
        if kind.name != "person":  # a person named is not a place or an organisation
            people = person_words(sentence)
            names = [n for n in names if name_key(n) not in people]
        return bool(names) and (kind.holds is None or bool(kind.holds.search(sentence)))
    if kind.name == "recommendation" and other_side_only(sentence, question):
        return False
    return kind.holds is None or bool(kind.holds.search(sentence))


def other_side_only(sentence: str, question: str) -> bool:
    """True when the question names one side only (`SIDES`) and the sentence the other only."""
    asked = [bool(side.search(question)) for side in SIDES]
    said = [bool(side.search(sentence)) for side in SIDES]
    return sum(asked) == 1 and said == [not a for a in asked]


HEAD_NOUNS = {"place": _re(rf"\b{PLACE_NOUN}\b"), "organisation": _re(rf"\b{ORG_NOUN}\b"),
              "person": _re(rf"\b{PERSON_NOUN}\b")}


NEAR = 4  # words either side of the noun within which a name counts as the one it names
# Nouns a paper uses loosely, of its setting as often as of the thing asked ("leave the
# country", "a friendly country"): speaking of one is no sign that the thing goes unnamed.
LOOSE = _re(r"^(countr(y|ies)|places?|regions?)$")


def noun_forms(noun: str) -> re.Pattern[str]:
    """The noun in the singular or the plural ("country" / "countries", "camp" / "camps")."""
    n = noun.lower()
    if n.endswith("ies"):
        base = rf"{re.escape(n[:-3])}(y|ies)"
    elif n.endswith("y"):
        base = rf"{re.escape(n[:-1])}(y|ies)"
    else:
        base = rf"{re.escape(n.removesuffix('s'))}(s|es)?"
    return _re(rf"\b{base}\b")


def entity_held(kind: Kind, question: str, leaders: list[str],
                setting: frozenset[str] = frozenset()) -> bool:
    """Whether the leading candidates hold the place, name or person asked for. When the
    question asks for one by its noun ("which agency", "which city") and some of them speak of
    that noun (not a `LOOSE` one), only a name within `NEAR` words of it counts: a paper that
    mentions "the government agency that aids finding jobs" without naming it does not answer
    "What is the agency called?" with a name from another sentence, nor "At which country's
    embassy ...?" with the "China" nine words before "finding asylum in an embassy"."""
    noun = HEAD_NOUNS.get(kind.name)
    forms = [noun_forms(w) for w in noun.findall(question) if not LOOSE.match(w)] \
        if noun is not None else []
    near = [window for text in leaders for form in forms for window in windows(text, form)]
    if near:
        return any(holds(kind, w, question, setting) for w in near)
    return any(holds(kind, text, question, setting) for text in leaders)


def windows(text: str, form: re.Pattern[str]) -> list[str]:
    """The words within `NEAR` of each place the noun (of one word or more, "border
    crossing") stands in the text, led by "of" when they start inside the sentence, so that
    their first word may be a name."""
    words = text.split()
    out = []
    for m in form.finditer(text):
        first = len(text[:m.start()].split())
        last = first + len(m.group(0).split())
        start = max(0, first - NEAR)
        out.append(("of " if start else "") + " ".join(words[start:last + NEAR]))
    return out


def asks_who_found(kind: Kind, question: str) -> bool:
    """True for a person question asking who made a finding ("Who found that ...?")."""
    return kind.name == "person" and bool(FINDER.search(question))


def example_rows() -> tuple[list[str], list[str]]:
    """(kind name, example question) pairs, flattened, for embedding once."""
    names = [k for k, qs in EXAMPLES.items() for _ in qs]
    return names, [q for qs in EXAMPLES.values() for q in qs]


def nearest(qvec: np.ndarray, names: list[str], vecs: np.ndarray, bound: float) -> Kind:
    """The kind of the closest example question, if its cosine reaches `bound`, else fact."""
    if not len(vecs):
        return FACT
    sims = vecs @ qvec
    best = int(np.argmax(sims))
    return BY_NAME[names[best]] if float(sims[best]) >= bound else FACT
