"""Fitting the ranking's feature weights on history: learning to rank, one question at a time.

Each past question is a choice among the people the ranker offered for it, and the one who
answered it (accepted) is the chosen. A conditional logit (a softmax over each question's
candidates) gives the weights that make those choices most likely; a small L2 penalty, on
standardised features, keeps a weight from growing on a handful of questions. The fitted
weights put scores on a log-odds scale, which is what the workload rule's penalties assume.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from scipy.optimize import minimize

from handlers.qa.features import FEATURES

P = TypeVar("P", bound=Hashable)

L2 = 1.0
# Signs the weights must keep, whatever a small history suggests: evidence of knowing a
# topic never counts against someone (declared topics must help them in chat), and the
# longer someone has been idle the less likely they answer.
NEGATIVE = frozenset({"idle"})
# What a replay cannot measure (embeddings need the network) keeps its set weight.
UNFITTED = frozenset({"meaning"})


@dataclass(frozen=True)
class Choice(Generic[P]):
    """The candidates' features for one question, and who answered it."""

    rows: Mapping[P, Mapping[str, float]]
    chosen: P


def _matrix(rows: Mapping[P, Mapping[str, float]]) -> np.ndarray:
    return np.array([[row.get(name, 0.0) for name in FEATURES] for row in rows.values()])


def fit(choices: Sequence[Choice[P]], l2: float = L2) -> dict[str, float]:
    """Weights by name; choices whose answerer was not a candidate teach nothing and are left
    out. All zero when no choice is left."""
    usable = [c for c in choices if c.chosen in c.rows and len(c.rows) > 1]
    if not usable:
        return {name: 0.0 for name in FEATURES if name not in UNFITTED}
    matrices = [_matrix(c.rows) for c in usable]
    stacked = np.vstack(matrices)
    mean, scale = stacked.mean(axis=0), stacked.std(axis=0) + 1e-9
    groups = [
        ((matrix - mean) / scale, list(c.rows).index(c.chosen))
        for matrix, c in zip(matrices, usable, strict=True)
    ]

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        total, gradient = l2 * float(weights @ weights), 2 * l2 * weights
        for features, chosen in groups:
            scores = features @ weights
            top = scores.max()
            exp = np.exp(scores - top)
            total += float(top + np.log(exp.sum()) - scores[chosen])
            gradient = gradient + features.T @ (exp / exp.sum()) - features[chosen]
        return total, gradient

    bounds = [_bounds(name) for name in FEATURES]
    found = minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B", bounds=bounds)
    weights = zip(FEATURES, found.x / scale, strict=True)
    return {name: round(float(w), 3) for name, w in weights if name not in UNFITTED}


def _bounds(name: str) -> tuple[float | None, float | None]:
    if name in UNFITTED:
        return (0.0, 0.0)
    return (None, 0.0) if name in NEGATIVE else (0.0, None)
