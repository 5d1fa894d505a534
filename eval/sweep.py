"""`footnoted eval --sweep alpha=0.5:0.9:0.1`: one setting varied, every value scored on dev.

A setting is any field of `index.config.SearchConfig` or `AnswerConfig` (`alpha`,
`search.alpha`, `answer.threshold`, `fusion`...): values are `START:STOP:STEP` (stop
included) or a comma list. Each value is a new engine (`dataclasses.replace`) over the same
index, scored with intervals; each is compared with the current setting (paired
randomization test, Holm-adjusted over the values). Sweeping chooses settings, so it runs on
the dev split only: the test split is scored once, untouched by tuning (`refuse_split`).
Chunking and index text need a rebuild and are left out (`python -m eval.tune` does those).
Leaves out writing files (`report`).
"""

from __future__ import annotations

from dataclasses import fields, replace
from decimal import Decimal

from index.config import AnswerConfig, SearchConfig
from ingest import InputError

MAX_VALUES = 50
LARGEST = Decimal(10) ** 6  # no setting is near this large
SMALLEST = Decimal(10) ** -6
SHOWN = ("budget_recall", "mrr@10", "ndcg@10", "recall@5", "answer_hit", "abstention_recall",
         "false_abstention")
REFUSED = ("--sweep chooses settings, so it runs on the dev split only (--split dev): the test "
           "split is kept for one final, untuned score")


def refuse_split(split: str) -> None:
    if split != "dev":
        raise InputError(f"{REFUSED}; got --split {split}")


def settings() -> dict[str, tuple[str, type]]:
    """Every sweepable name: `part.field` and, where unambiguous, `field` -> (part, type)."""
    out: dict[str, tuple[str, type]] = {}
    bare: dict[str, list[str]] = {}
    for part, kind in (("search", SearchConfig), ("answer", AnswerConfig)):
        for f in fields(kind):
            out[f"{part}.{f.name}"] = (part, _type(f))
            bare.setdefault(f.name, []).append(part)
    for name, parts in bare.items():
        if len(parts) == 1:
            out[name] = out[f"{parts[0]}.{name}"]
    return out


def _type(f) -> type:
    """A setting's value type from its annotation (`float | None` is float: None means the
    learned or default value, and a sweep sets an explicit one)."""
    text = str(f.type)
    return next((t for name, t in (("bool", bool), ("int", int), ("float", float))
                 if name in text), str)


def _bounded(value: Decimal, spec: str) -> Decimal:
    """A finite number of at most LARGEST in size, and none smaller than SMALLEST but 0:
    NaN, Infinity or 1E+999999999 would end in a traceback, 1E-999999 in minutes of
    arithmetic."""
    size = value.copy_abs() if value.is_finite() else None  # copy_abs: no context rounding
    if size is None or size > LARGEST or (size and size < SMALLEST):
        raise InputError(f"--sweep takes finite numbers from {SMALLEST} to {LARGEST} in size, "
                         f"got {spec!r}")
    return value


def _numbers(spec: str, typ: type) -> list:
    try:
        start, stop, step = (Decimal(s) for s in spec.split(":"))
    except (ValueError, ArithmeticError):  # InvalidOperation, Overflow
        raise InputError(f"--sweep expects START:STOP:STEP numbers, got {spec!r}") from None
    start, stop, step = (_bounded(v, spec) for v in (start, stop, step))
    if step <= 0 or stop < start:
        raise InputError(f"--sweep needs STEP > 0 and STOP >= START, got {spec!r}")
    if stop - start > step * MAX_VALUES:
        raise InputError(f"--sweep: more than {MAX_VALUES} values; at most {MAX_VALUES}")
    count = int((stop - start) / step) + 1
    if count > MAX_VALUES:
        raise InputError(f"--sweep: {count} values; at most {MAX_VALUES}")
    values = [start + i * step for i in range(count)]
    if typ is int:
        if any(v != v.to_integral_value() for v in values):
            raise InputError(f"--sweep: this setting takes whole numbers, got {spec!r}")
        return [int(v) for v in values]
    return [float(v) for v in values]


def _convert(text: str, typ: type):
    try:
        value = typ(text) if typ is not int else int(text)
    except ValueError:
        raise InputError(f"--sweep: expected {typ.__name__} values, got {text!r}") from None
    if typ in (int, float):
        _bounded(Decimal(value), text)
    return value


def parse(spec: str) -> tuple[str, str, list]:
    """`name=values` as (part, field, values); InputError (one line) on a bad spec."""
    name, eq, rhs = spec.partition("=")
    name = name.strip()
    known = settings()
    if not eq or not rhs.strip():
        raise InputError(f"--sweep expects NAME=START:STOP:STEP or NAME=A,B,..., got {spec!r}")
    if name not in known:
        names = ", ".join(sorted(n for n in known if "." not in n))
        raise InputError(f"--sweep: unknown setting {name!r}; search and answer settings: "
                         f"{names}")
    part, typ = known[name]
    field = name.split(".")[-1]
    if ":" in rhs and typ in (int, float):
        values = _numbers(rhs.strip(), typ)
    else:
        values = [_convert(v.strip(), typ) for v in rhs.split(",") if v.strip()]
    if not values or len(values) > MAX_VALUES:
        raise InputError(f"--sweep: give 1 to {MAX_VALUES} values, got {len(values)}")
    return part, field, list(dict.fromkeys(values))


def variant(engine, part: str, field: str, value):
    """The engine with one setting changed; InputError when the configuration refuses it."""
    config = engine.config
    try:
        changed = replace(getattr(config, part), **{field: value})
    except ValueError as e:
        raise InputError(f"--sweep: {field}={value!r}: {e}") from None
    return replace(engine, config=replace(config, **{part: changed}))


def sweep(engine, questions, spec: str, progress: bool = False) -> dict:
    """Scores every value of the setting on `questions`: means with intervals, and each
    value's difference from the current setting."""
    from .scoring import run, values
    from .stats import interval, pairs, to_json

    part, field, chosen = parse(spec)
    current = getattr(getattr(engine.config, part), field)
    labels = {v: f"{field}={v}" for v in chosen}
    if current not in labels:
        labels = {current: f"{field}={current}"} | labels
    mode = engine.config.mode
    results = {}
    for v, label in labels.items():
        e = variant(engine, part, field, v)
        results[label] = run(e.ask, questions, label, mode, progress=progress)
    analysis = {k: {m: interval(list(values(r, m).values())) for m in SHOWN}
                for k, r in results.items()}
    ref = labels[current]
    found = []
    for metric in SHOWN:  # the family: the other values, each against the current one
        named = {k: values(r, metric) for k, r in results.items()}
        found += pairs({k: x for k, x in named.items() if x}, metric, reference=ref)
    return {"setting": f"{part}.{field}", "values": list(labels.values()),
            "raw": list(labels), "current": ref, "mode": mode, "questions": len(questions),
            "stats": to_json({"intervals": analysis, "pairs": found})}
