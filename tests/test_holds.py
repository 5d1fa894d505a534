"""What a sentence holds that could answer: quantities, dates, names and cues, on sentences
written like those of papers from other fields (economics, law, history, public health)."""

from __future__ import annotations

import pytest

from index.holds import names, new_types, numbers_in, spans


def types_of(text: str) -> set[str]:
    return {s.type for s in spans([text])[0]}


@pytest.mark.parametrize(("text", "wanted"), [
    ("Households spent 43 percent of the rebate within a quarter.", {"percentage"}),
    ("The payroll tax cut was worth $1,200 to the median household.", {"money"}),
    ("The fine was 250,000 won, and 3 million yuan were seized.", {"money"}),
    ("Unemployment insurance was extended for 26 weeks.", {"duration"}),
    ("The court sat in 1881 and again in the 1890s.", {"date"}),
    ("The statute took effect on March 3, 1871.", {"date"}),
    ("Some 607 claims were filed by the end of the session.", {"number"}),
    ("Coverage rose because the premium subsidy lowered the price.", {"reason"}),
    ("Rural clinics were more crowded than urban ones.", {"comparison"}),
    ("Governments should fund the commons directly.", {"recommendation"}),
    ("Deodand refers to a thing forfeited for having caused a death.", {"definition"}),
])
def test_a_sentence_holds_the_span_types_a_question_may_ask_for(text, wanted):
    assert wanted <= types_of(text)


def test_a_quantity_of_one_kind_is_not_another():
    assert "money" not in types_of("Households spent 43 percent of the rebate.")
    assert "percentage" not in types_of("The check was worth $1,200.")
    assert "date" not in types_of("Some 607 claims were filed.")


def test_names_leave_out_a_word_that_only_opens_the_sentence():
    assert names("Historians rarely read the statute; Justice Holmes did.") == ["Justice Holmes"]
    assert names("The Supreme Court of Massachusetts ruled in May.") == [
        "Supreme Court of Massachusetts"]
    assert names("In 1998 the rule changed.") == []


def test_what_the_question_already_says_is_not_new():
    found = spans(["Between 1953 and 1989 only 607 people crossed, most via Panmunjom."])[0]
    new = new_types(found, "How many people crossed between 1953 and 1989?")
    assert "number" in new and "date" not in new and "name" in new
    assert "name" not in new_types(found, "Did most cross at Panmunjom?")


def test_every_number_a_paper_writes_is_listed():
    assert numbers_in(["It cost $1,200 in 1998.", "See p. 81."]) == {"1,200", "1998", "81"}


def test_an_empty_text_holds_nothing():
    assert spans(["", "   "]) == [(), ()]
