"""Several questions answered together: one forward pass embeds them all, then each is
searched and answered on its own, exactly as `Engine.ask` would.

    answers = ask_many([(engine, "Why did women defect?", 5, "hybrid"), ...])

Each request may name its own engine (the server's papers share one embedder); the questions
of the requests that share an embedder go through the model in one batch. A bad request gets
its own `InputError` in its place and never fails the others. The model pads a batch to its
longest question and masks the padding, so a question's vectors are those it gets alone
(the server's load test checks the answers match a single client's).
Leaves out waiting for requests to gather (`app.batcher`).
"""

from __future__ import annotations

from collections.abc import Sequence

from .engine import Engine, check_request
from .records import Answer, Query

Request = tuple[Engine, object, object, object]  # engine, question, k, mode


def ask_many(requests: Sequence[Request]) -> list[Answer | Exception]:
    """Per request, its Answer or the exception that stopped it (InputError for bad input)."""
    out: list[Answer | Exception | None] = [None] * len(requests)
    checked: dict[int, list[tuple[int, str, int, str]]] = {}
    for i, (engine, question, k, mode) in enumerate(requests):
        config = engine.config
        try:
            text, k, mode = check_request(question, config.k if k is None else k,
                                          config.mode if mode is None else mode)
        except Exception as e:  # noqa: BLE001 - the request's own failure, not the batch's
            out[i] = e
            continue
        checked.setdefault(id(engine.embedder), []).append((i, text, k, mode))
    for group in checked.values():
        embedder = requests[group[0][0]][0].embedder
        try:
            encoded = embedder.encode_queries([text for _, text, _, _ in group])
        except Exception as e:  # noqa: BLE001 - every question of the pass fails alike
            for i, *_ in group:
                out[i] = e
            continue
        for (i, text, k, mode), (vector, tokens) in zip(group, encoded, strict=True):
            engine = requests[i][0]
            try:
                retrieval = engine.search(Query(text, k, mode, vector, tokens))
                out[i] = engine.answer(engine.evidence(retrieval))
            except Exception as e:  # noqa: BLE001
                out[i] = e
    return out  # type: ignore[return-value]
