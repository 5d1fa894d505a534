"""Tiny question sets and runs for the evaluation's unit tests (no model, no index)."""

from __future__ import annotations

from eval.runs import Entry, Retrieved, Run
from eval.scoring import score_run
from ingest.questions import Question

GOLD_A = "women left the North mostly for economic reasons"
GOLD_B = "men more often left for political reasons"
QUESTIONS = [
    Question("q1", "Why did women leave?", (GOLD_A,), type="why", split="dev"),
    Question("q2", "Why did women and men leave?", (GOLD_A, GOLD_B), type="multi-hop",
             split="test"),
    Question("q3", "What did the Pope say?", (), type="unanswerable", split="test"),
]
OFF = "Hanawon is a resettlement centre south of Seoul."


def p(pid: str, text: str, *sources: str) -> Retrieved:
    return Retrieved(pid, text, tuple(sources))


def run_one() -> Run:
    """Finds q1 at rank 1 and q2's two golds in one passage at rank 2; abstains on q3."""
    return Run("one", (
        Entry("q1", (p("a", f"As the study says, {GOLD_A}."), p("b", OFF)), GOLD_A, False, 0.01),
        Entry("q2", (p("b", OFF), p("c", f"{GOLD_A}, while {GOLD_B}.")), "No idea.", False, 0.02),
        Entry("q3", (p("b", OFF),), "The paper does not say.", True, 0.03),
    ))


def run_two() -> Run:
    """Finds q1 at rank 2 and only gold B of q2 (through a footnote source); answers q3."""
    return Run("two", (
        Entry("q1", (p("b", OFF), p("a", GOLD_A))),
        Entry("q2", (p("d", "Other text.", f"Kim (2008): {GOLD_B}"),)),
        Entry("q3", (p("b", OFF),)),
    ))


def tiny_results() -> dict:
    return {r.system: score_run(r, QUESTIONS) for r in (run_one(), run_two())}
