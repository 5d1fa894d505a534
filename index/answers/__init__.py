"""answers: from retrieved passages to an answer, with learned, paper-independent parts.

    kinds (what is asked) -> candidates (sentences and footnotes, their features)
    -> evidence (ranked, chosen; signals) -> abstain (rules, then the learned model)
    -> compose (the text, the works cited)

The learned weights are data (`models.json`, `models.load`), passed in; `holds` finds what
each sentence and footnote holds when the index is built.
"""

from .abstain import reason_to_abstain, ruled
from .compose import compose, no_answer
from .evidence import decide, gather
from .models import Models, load, save

__all__ = ["Models", "compose", "decide", "gather", "load", "no_answer", "reason_to_abstain",
           "ruled", "save"]
