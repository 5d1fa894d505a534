"""The fitting itself: sign-constrained logistic regression, the pairwise sentence ranker and
the softmax over kinds, each on standardised features, with scipy's L-BFGS-B.

Sign constraints (`signed`): each coefficient may only push the way the evidence can (more or
closer evidence never makes "unanswerable" likelier), or not at all. A free fit gives
collinear features opposite signs and learns how the questions were written rather than what
the paper says; a bounded one cannot. Leaves out what is fitted on which papers (`folds`).
"""

from __future__ import annotations

import numpy as np

from index.answers.models import Linear, Softmax


def signed(z: np.ndarray, y: np.ndarray, c: float, signs: tuple[int, ...],
           intercept: bool = True) -> tuple[np.ndarray, float]:
    """(coefficients, intercept) minimising the logistic loss + |w|^2 / 2c over standardised
    rows `z` and 0/1 labels `y`; signs[j] > 0 keeps w[j] >= 0, < 0 keeps it <= 0, 0 frees it."""
    from scipy.optimize import minimize

    z, y = np.asarray(z, np.float64), np.asarray(y, np.float64)
    d = z.shape[1]
    if len(signs) != d:
        raise ValueError(f"expected {d} signs, got {len(signs)}")

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w[:d] + (w[d] if intercept else 0.0)
        p = 1.0 / (1.0 + np.exp(-s))
        value = float(np.sum(np.logaddexp(0.0, s) - y * s) + 0.5 / c * w[:d] @ w[:d])
        grad = np.append(z.T @ (p - y) + w[:d] / c, np.sum(p - y) if intercept else 0.0)
        return value, grad

    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in signs]
    bounds.append((None, None) if intercept else (0.0, 0.0))
    w = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=bounds).x
    return w[:d], float(w[d])


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def linear(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], signs: dict[str, int],
           c: float) -> Linear:
    """A sign-constrained logistic regression of `y` on the columns `names` of `x`."""
    x = np.asarray(x, np.float64)
    mean, scale = standardise(x)
    w, b = signed((x - mean) / scale, y, c, tuple(signs[n] for n in names))
    return Linear(names, tuple(map(float, mean)), tuple(map(float, scale)),
                  tuple(map(float, w)), b)


def ranker(groups: list[tuple[np.ndarray, np.ndarray]], names: tuple[str, ...],
           signs: dict[str, int], c: float) -> Linear:
    """A pairwise ranker: a logistic regression on the differences of (right, wrong) rows of
    each group (one question's candidates), both ways round, with no intercept (only
    differences within a question matter)."""
    usable = [(m, y) for m, y in groups if y.any() and (~y).any()]
    mean, scale = standardise(np.vstack([m for m, _ in usable]))
    rows, labels = [], []
    for m, y in usable:
        z = (m - mean) / scale
        diffs = (z[y][:, None, :] - z[~y][None, :, :]).reshape(-1, z.shape[1])
        rows += [diffs, -diffs]
        labels += [np.ones(len(diffs)), np.zeros(len(diffs))]
    w, _ = signed(np.vstack(rows), np.concatenate(labels), c, tuple(signs[n] for n in names),
                  intercept=False)
    return Linear(names, tuple(map(float, mean)), tuple(map(float, scale)),
                  tuple(map(float, w)), 0.0)


def softmax_model(x: np.ndarray, y: list[str], classes: tuple[str, ...],
                  words: tuple[str, ...], c: float) -> Softmax:
    """A multinomial logistic regression (L2 penalty 1/2c, intercepts free) of the classes
    `y` on the rows `x`; a class never seen keeps a bias far below the others."""
    from scipy.optimize import minimize

    x = np.asarray(x, np.float64)
    n, d = x.shape
    k = len(classes)
    index = {name: i for i, name in enumerate(classes)}
    onehot = np.zeros((n, k))
    onehot[np.arange(n), [index[v] for v in y]] = 1.0

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = flat[:k * d].reshape(k, d), flat[k * d:]
        z = x @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        p = np.exp(logp)
        value = float(-(onehot * logp).sum() + 0.5 / c * (w * w).sum())
        g = p - onehot
        return value, np.concatenate([(g.T @ x + w / c).ravel(), g.sum(axis=0)])

    flat = minimize(loss, np.zeros(k * d + k), jac=True, method="L-BFGS-B",
                    options={"maxiter": 500}).x
    w, b = flat[:k * d].reshape(k, d), flat[k * d:]
    b = np.where(onehot.sum(axis=0) > 0, b, b.min() - 10.0)
    return Softmax(classes, words, tuple(tuple(map(float, r)) for r in w),
                   tuple(map(float, b)))
