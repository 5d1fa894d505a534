"""How sure a benchmark's figures are: intervals over questions and paired significance tests.

- `interval(x)`: a 95% percentile bootstrap interval of the mean of per-question values
  (`scipy.stats.bootstrap`, 10,000 resamples of the questions, a fixed seed).
- `paired(x, y)`: the mean paired difference x - y, its bootstrap interval, and the two-sided
  p-value of a paired randomization test (`scipy.stats.permutation_test` with
  `permutation_type="samples"`: each question's two values are swapped at random, i.e. the
  sign of its difference flips; exact over all 2^n flips when that is at most the resample
  count, else 10,000 random flips).
- `holm(p)`: Holm's step-down adjustment of a family of p-values (the family is one metric's
  pairs of systems: k systems make k(k-1)/2 tests).
- `analyse(results_by_system)`: all of that for every metric of `scoring.METRICS`.

A difference is significant when its Holm-adjusted p-value is below `ALPHA` (0.05). Every
figure says how many questions it rests on. Leaves out choosing metrics (`scoring`) and
formatting (`report`). No I/O.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

CONFIDENCE = 0.95
RESAMPLES = 10_000
ALPHA = 0.05
SEED = 13
METHOD = (f"{CONFIDENCE:.0%} percentile bootstrap intervals over questions ({RESAMPLES:,} "
          "resamples); paired randomization test (sign flips of per-question differences, "
          f"exact up to {RESAMPLES:,} flips), two-sided; p-values Holm-adjusted over each "
          f"metric's pairs of systems; significant when the adjusted p < {ALPHA}")


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    n: int  # questions it rests on


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    metric: str
    diff: float  # mean of a - b over the questions both are scored on
    low: float
    high: float
    p: float
    p_holm: float
    n: int

    @property
    def significant(self) -> bool:
        return self.p_holm < ALPHA

    def to_dict(self) -> dict:
        return asdict(self) | {"significant": self.significant}


NAN = float("nan")


def interval(x: Sequence[float], resamples: int = RESAMPLES, seed: int = SEED) -> Interval:
    """The mean of `x` and its bootstrap interval; nan for no values, the value itself for
    one value or values that are all equal."""
    from scipy import stats

    data = np.asarray(x, dtype=float)
    if data.size == 0:
        return Interval(NAN, NAN, NAN, 0)
    m = float(data.mean())
    if data.size == 1 or np.all(data == data[0]):
        return Interval(m, m, m, int(data.size))
    res = stats.bootstrap((data,), np.mean, n_resamples=resamples, confidence_level=CONFIDENCE,
                          method="percentile", vectorized=True, rng=seed)
    ci = res.confidence_interval
    return Interval(m, float(ci.low), float(ci.high), int(data.size))


def randomization_p(x: Sequence[float], y: Sequence[float], resamples: int = RESAMPLES,
                    seed: int = SEED) -> float:
    """Two-sided p-value of the paired randomization test of mean(x - y) = 0."""
    from scipy import stats

    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"expected paired values, got {a.size} and {b.size}")
    if a.size == 0:
        return NAN
    if np.all(a == b) or a.size == 1:  # one question: both signs are as extreme
        return 1.0

    def mean_diff(u, v, axis=-1):
        return np.mean(u - v, axis=axis)

    res = stats.permutation_test((a, b), mean_diff, permutation_type="samples",
                                 vectorized=True, n_resamples=resamples,
                                 alternative="two-sided", rng=seed)
    return float(min(1.0, res.pvalue))


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values, in the input's order (nan stays nan and is left out
    of the family). Sorted ascending, p_(i) is multiplied by (m - i + 1), made monotone by a
    running maximum, and capped at 1. Hand-written: eight lines, where statsmodels'
    `multipletests(method="holm")` would bring statsmodels and patsy for one function."""
    valid = [(p, i) for i, p in enumerate(pvalues) if not math.isnan(p)]
    m = len(valid)
    out = [NAN] * len(pvalues)
    running = 0.0
    for rank, (p, i) in enumerate(sorted(valid)):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out


def pairs(named: dict[str, dict[str, float]], metric: str, resamples: int = RESAMPLES,
          seed: int = SEED, reference: str | None = None) -> list[Pair]:
    """Every pair of systems on one metric (or, with `reference`, that system against each
    other one): difference, interval, p-value, Holm-adjusted over those pairs. `named` maps
    each system to its values by question id; a pair is compared on the questions both have
    a value for."""
    raw = []
    chosen = (itertools.combinations(named, 2) if reference is None
              else ((reference, b) for b in named if b != reference))
    for a, b in chosen:
        common = [q for q in named[a] if q in named[b]]
        x = np.array([named[a][q] for q in common], dtype=float)
        y = np.array([named[b][q] for q in common], dtype=float)
        raw.append((a, b, interval(x - y, resamples, seed), randomization_p(x, y, resamples,
                                                                            seed)))
    adjusted = holm([p for *_, p in raw])
    return [Pair(a, b, metric, d.mean, d.low, d.high, p, q, d.n)
            for (a, b, d, p), q in zip(raw, adjusted, strict=True)]


def analyse(results_by_system: dict[str, list], resamples: int = RESAMPLES,
            seed: int = SEED) -> dict:
    """Intervals for every system and metric, and every pair of systems' differences:
    {"intervals": {system: {metric: Interval}}, "pairs": [Pair, ...]}."""
    from .scoring import METRICS, values

    intervals: dict[str, dict[str, Interval]] = {}
    found: list[Pair] = []
    for metric in METRICS:
        named = {s: values(rs, metric) for s, rs in results_by_system.items()}
        for s, x in named.items():
            intervals.setdefault(s, {})[metric] = interval(list(x.values()), resamples, seed)
        found += pairs({s: x for s, x in named.items() if x}, metric, resamples, seed)
    return {"intervals": intervals, "pairs": found}


def to_json(analysis: dict) -> dict:
    """The analysis as plain JSON: intervals as [mean, low, high, n], pairs as objects."""
    return {"method": METHOD, "confidence": CONFIDENCE, "resamples": RESAMPLES, "alpha": ALPHA,
            "intervals": {s: {m: [iv.mean, iv.low, iv.high, iv.n] for m, iv in per.items()}
                          for s, per in analysis["intervals"].items()},
            "pairs": [p.to_dict() for p in analysis["pairs"]]}
