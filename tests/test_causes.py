"""Which side of a causal link a sentence puts what a "why" question asks about (`causes`)."""

from index.causes import links


def test_a_cause_after_cue_puts_the_effect_before_it():
    [link] = links("The change in numbers can be chalked up to more strict border control.")
    assert link.effect.strip() == "The change in numbers"
    assert link.cause.strip() == "more strict border control."


def test_an_effect_after_cue_puts_the_cause_before_it():
    [link] = links("The famine led to a flood of defectors.")
    assert link.cause.strip() == "The famine"
    assert link.effect.strip() == "a flood of defectors."


def test_a_sentence_that_opens_with_the_cue_gives_the_cause_first():
    [link] = links("Because the border was open, many crossed it.")
    assert link.cause.strip() == "the border was open"
    assert link.effect.strip() == "many crossed it."


def test_since_and_undirected_cues_are_not_split():
    assert links("Since the famine, females have acted more constructively.") == []
    assert links("There are several reasons for defecting.") == []
    assert links("Gender roles are a factor.") == []


def test_an_effect_that_points_back_takes_the_sentence_before():
    before = "Defection is decreasing."
    [link] = links("Lankov believes that this is due to a crackdown.", before)
    assert link.effect.startswith(before) and "crackdown" in link.cause
    [alone] = links("Defections fell due to a crackdown.", before)
    assert before not in alone.effect
