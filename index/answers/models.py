"""The learned parts of answering, as plain numbers: the models and the choices made with them.

- `kind`: what a question asks for (`kinds.KINDS`), a softmax over the question's vector and
  its asking words ("how many", "what year": `kinds.asking`);
- `sentence`: which candidate answers, a pairwise ranker over `candidates.FEATURES` whose
  scores are shared out by a softmax among one question's candidates;
- `abstain`: P(the paper does not answer), over `signals.FEATURES`;
- `sure`: P(an answer holds what is asked), over the same signals: the confidence bands.
Beside them: the candidate pool, when a further sentence joins, the abstention threshold, the
similarity floor and the confidence bands. All are learned across papers by
`python -m eval.learning`, which records the papers each was learned on in `trained`.
Applying a model is a dot product: no library at run time. Leaves out computing the features
(`candidates`, `signals`) and training (`eval.learning`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..config import Features

MODELS = Path(__file__).resolve().with_name("models.json")


@dataclass(frozen=True)
class Linear:
    """A logistic regression on standardised features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float = 0.0

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
        return 1.0 / (1.0 + np.exp(-self.score(rows)))


@dataclass(frozen=True)
class Softmax:
    """A multinomial logistic regression: one row of weights a class over the question's
    vector followed by one indicator an asking word (`words`)."""

    classes: tuple[str, ...]
    words: tuple[str, ...]
    weights: tuple[tuple[float, ...], ...]  # (classes, vector dims + words)
    bias: tuple[float, ...]

    def __post_init__(self) -> None:
        widths = {len(w) for w in self.weights}
        if len(self.weights) != len(self.classes) or len(self.bias) != len(self.classes) \
                or len(widths) > 1:
            raise ValueError(f"expected {len(self.classes)} rows of equal width and biases, "
                             f"got {len(self.weights)} rows of widths {sorted(widths)}")

    def probs(self, row: np.ndarray) -> np.ndarray:
        z = np.asarray(self.weights) @ np.asarray(row, np.float64) + np.asarray(self.bias)
        e = np.exp(z - z.max())
        return e / e.sum()


def softmax(scores: np.ndarray) -> np.ndarray:
    """How the ranker's scores share out one answer among the candidates."""
    if not len(scores):
        return np.zeros(0)
    e = np.exp(scores - scores.max())
    return e / e.sum()


@dataclass(frozen=True)
class Models:
    kind: Softmax
    sentence: Linear
    abstain: Linear
    sure: Linear
    threshold: float  # abstain when P(unanswerable) reaches it
    floor: float  # best cosine below which nothing in the paper comes close
    pool: int  # candidates come from the top `pool` passages
    join: float  # a further sentence joins at >= join x the best one's probability
    bands: tuple[float, float]  # an answer's P(sure) >= [0]: high, >= [1]: medium, else low
    abstain_bands: tuple[float, float]  # an abstention's P(unanswerable), likewise
    source_at: float = 0.5  # P(source) from which a question gets a source answer
    trained: dict = field(default_factory=dict)  # papers, counts, left-out-paper figures
    features: Features = field(default_factory=Features)  # the definitions learned with

    def confidence(self, p: float, abstained: bool = False) -> str:
        """The band of an answer's P(it holds what is asked), or of an abstention's
        P(the paper does not answer); both calibrated on papers left out of learning."""
        high, medium = self.abstain_bands if abstained else self.bands
        return "high" if p >= high else "medium" if p >= medium else "low"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Models:
        def linear(d: dict) -> Linear:
            return Linear(tuple(d["features"]), tuple(d["mean"]), tuple(d["scale"]),
                          tuple(d["coef"]), float(d["intercept"]))

        k = data["kind"]
        kind = Softmax(tuple(k["classes"]), tuple(k["words"]),
                       tuple(tuple(map(float, w)) for w in k["weights"]),
                       tuple(map(float, k["bias"])))
        return cls(kind, linear(data["sentence"]), linear(data["abstain"]),
                   linear(data["sure"]), float(data["threshold"]), float(data["floor"]),
                   int(data["pool"]), float(data["join"]),
                   (float(data["bands"][0]), float(data["bands"][1])),
                   (float(data["abstain_bands"][0]), float(data["abstain_bands"][1])),
                   float(data.get("source_at", 0.5)), dict(data.get("trained", {})),
                   Features(**data.get("features", {})))


def load(path: Path = MODELS) -> Models:
    """The models saved at `path`; ValueError in one line if the file is bad."""
    try:
        return Models.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, KeyError, TypeError, ValueError, IndexError) as e:
        raise ValueError(f"cannot read the answer models {path}: {e}") from None


def save(models: Models, path: Path = MODELS) -> None:
    """Writes the models atomically (a temporary file renamed over the old one)."""
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(models.to_dict(), indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
