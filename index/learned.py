"""The learned parts of answering, as plain numbers in `index/learned.json`.

Logistic regressions over `features`: the sentence ranker (which candidate sentence
answers? a pairwise model: its scores, shared out by a softmax among one question's
candidates), the abstention model (does the paper not answer this question at all?) and the
sure model (does an answer hold what is asked? its confidence), each
stored as feature names, the standardisation (mean, scale), coefficients and intercept, so
applying them is a dot product: no library at run time. Beside
them, the choices made with them: the candidate pool, when a further sentence joins the
answer, the abstention threshold, the confidence bands and the bound of the kind fallback.
All were learned and chosen on the dev split only, by `python -m eval.learn` (which rewrites
this file and the section of eval/tuning.md that reports the cross-validated figures).
Leaves out computing features (`features`) and training (`eval.learn`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).resolve().with_name("learned.json")


@dataclass(frozen=True)
class Linear:
    """A logistic regression on standardised features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def __post_init__(self) -> None:
        n = len(self.features)
        if not (len(self.mean) == len(self.scale) == len(self.coef) == n):
            raise ValueError(f"expected {n} means, scales and coefficients, got "
                             f"{len(self.mean)}, {len(self.scale)}, {len(self.coef)}")

    def score(self, rows: np.ndarray) -> np.ndarray:
        """The linear score of each row (a 1-d row gives a 0-d array)."""
        z = (np.asarray(rows, np.float64) - np.array(self.mean)) / np.array(self.scale)
        return z @ np.array(self.coef) + self.intercept

    def prob(self, rows: np.ndarray) -> np.ndarray:
        """P(positive) for each row: the sigmoid of the score."""
        return 1.0 / (1.0 + np.exp(-self.score(rows)))


def softmax(scores: np.ndarray) -> np.ndarray:
    """How the ranker's scores share out one answer among the candidates."""
    if not len(scores):
        return np.zeros(0)
    e = np.exp(scores - scores.max())
    return e / e.sum()


@dataclass(frozen=True)
class Learned:
    sentence: Linear
    abstain: Linear
    threshold: float  # abstain when P(unanswerable) reaches it
    pool: int  # candidate sentences come from the top `pool` passages
    join: float  # a further sentence joins when its probability >= join x the best one's
    confident: tuple[float, float]  # P(unanswerable) below [0]: high, below [1]: medium
    kind_bound: float  # cosine a question needs to its nearest example to take its kind
    floor: float = -1.0  # evidence strength (cosine) below which nothing comes close
    sure: Linear | None = None  # P(an answer holds what is asked), over question features
    sure_bands: tuple[float, float] = (1.01, 1.01)  # P from `sure`: >= [0] high, >= [1] medium
    trained: dict = field(default_factory=dict)  # split, counts, cross-validated figures

    def confidence(self, unanswerable: float) -> str:
        high, medium = self.confident
        return "high" if unanswerable < high else "medium" if unanswerable < medium else "low"

    def answered(self, sure: float, unanswerable: float) -> str:
        """An answer's confidence: how likely it holds what is asked (from P(unanswerable)
        when there is no `sure` model)."""
        if self.sure is None:
            return self.confidence(unanswerable)
        high, medium = self.sure_bands
        return "high" if sure >= high else "medium" if sure >= medium else "low"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Learned:
        def linear(d: dict) -> Linear:
            return Linear(tuple(d["features"]), tuple(d["mean"]), tuple(d["scale"]),
                          tuple(d["coef"]), float(d["intercept"]))

        return cls(linear(data["sentence"]), linear(data["abstain"]), float(data["threshold"]),
                   int(data["pool"]), float(data["join"]), tuple(data["confident"]),
                   float(data["kind_bound"]), float(data["floor"]),
                   linear(data["sure"]) if data.get("sure") else None,
                   tuple(map(float, data.get("sure_bands", (1.01, 1.01)))),
                   dict(data.get("trained", {})))


@lru_cache(maxsize=4)
def load(path: Path = WEIGHTS) -> Learned:
    """The learned models (read once per path); ValueError in one line if the file is bad."""
    try:
        return Learned.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, KeyError, TypeError, ValueError) as e:
        raise ValueError(f"cannot read the learned answer models {path}: {e}") from None


def save(learned: Learned, path: Path = WEIGHTS) -> None:
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(learned.to_dict(), indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
