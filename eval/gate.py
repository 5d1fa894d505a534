"""The regression gate: `--fail-under budget_recall=0.90,mrr@10=0.75` against a system's means.

`parse_floors(text)` reads the floors (InputError, one line, on a bad one); `shortfalls(summary,
floors)` says which means fall below their floor and by how much. Names are the report's metric
names; `mrr`, `ndcg` and `recall_budget` are accepted for `mrr@10`, `ndcg@10`, `budget_recall`.
Rates where lower is better (`false_abstention`) are refused: a floor is a minimum.
Leaves out running the benchmark (`benchmark`) and the exit status (the CLI).
"""

from __future__ import annotations

import math

from ingest import InputError

from .scoring import METRICS

ALIASES = {"mrr": "mrr@10", "ndcg": "ndcg@10", "recall_budget": "budget_recall",
           "budget": "budget_recall"}
LOWER_IS_BETTER = ("false_abstention",)


def parse_floors(text: str) -> dict[str, float]:
    """`name=value,...` as {metric: floor}."""
    floors: dict[str, float] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, eq, value = part.partition("=")
        name = ALIASES.get(name.strip(), name.strip())
        if not eq:
            raise InputError(f"--fail-under expects METRIC=VALUE, got {part!r}")
        if name not in METRICS or name in LOWER_IS_BETTER:
            known = ", ".join(m for m in METRICS if m not in LOWER_IS_BETTER)
            raise InputError(f"--fail-under: unknown metric {name!r}; known: {known}")
        try:
            floor = float(value)
        except ValueError:
            raise InputError(f"--fail-under: {name} needs a number, got {value!r}") from None
        if not 0 <= floor <= 1:
            raise InputError(f"--fail-under: {name} must be from 0 to 1, got {floor}")
        floors[name] = floor
    if not floors:
        raise InputError("--fail-under expects METRIC=VALUE[,METRIC=VALUE...]")
    return floors


def shortfalls(summary: dict, floors: dict[str, float]) -> list[str]:
    """One line per metric below its floor (a metric with no value is below any floor)."""
    out = []
    for name, floor in floors.items():
        got = summary.get(name, math.nan)
        if math.isnan(got):
            out.append(f"{name} has no value (no questions it applies to) < {floor:.3f}")
        elif got < floor:
            out.append(f"{name} {got:.3f} < {floor:.3f} (short by {floor - got:.3f})")
    return out
