"""The server's micro-batcher: questions that arrive together share a forward pass, and each
gets the answer it gets alone; a bad one fails alone."""

import threading
from dataclasses import replace

import pytest

from app.batcher import Batcher
from ingest import InputError


@pytest.fixture(scope="module")
def onnx_engine(engine):
    from index import onnx_model
    from index.opening import query_embedder
    from tests.test_onnx import manifest

    path, why = onnx_model.check(engine.home, manifest(engine)["query_model"])
    assert why is None
    return replace(engine, embedder=query_embedder(engine.embedder, path))


@pytest.mark.integration
def test_concurrent_questions_share_passes_and_keep_their_answers(onnx_engine):
    questions = ["What is Hanawon?", "Why did women leave North Korea?",
                 "Roughly how many North Koreans starved to death in the famine of the 1990s, "
                 "according to the paper?",
                 "What does Juche mean?"] * 6
    alone = {q: onnx_engine.ask(q).to_dict() for q in set(questions)}
    batcher = Batcher(size=8, workers=1)
    got: dict[int, object] = {}
    start = threading.Barrier(len(questions))

    def ask(i: int, q: str) -> None:
        start.wait()
        try:
            got[i] = batcher.ask(onnx_engine, q).to_dict()
        except Exception as e:  # noqa: BLE001 - recorded, asserted below
            got[i] = e

    threads = [threading.Thread(target=ask, args=(i, q)) for i, q in enumerate(questions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert [got[i] for i in range(len(questions))] == [alone[q] for q in questions]
    assert batcher.questions == len(questions) and batcher.passes < len(questions)


@pytest.mark.integration
def test_a_bad_question_fails_alone_with_its_own_message(onnx_engine):
    batcher = Batcher(size=4, workers=1)
    with pytest.raises(InputError, match="the question is empty"):
        batcher.ask(onnx_engine, "   ")
    with pytest.raises(InputError, match="k must be"):
        batcher.ask(onnx_engine, "What is Hanawon?", 0)
    assert batcher.ask(onnx_engine, "What is Hanawon?").to_dict() \
        == onnx_engine.ask("What is Hanawon?").to_dict()


def test_sizes_below_one_are_refused():
    with pytest.raises(ValueError, match="expected size and workers >= 1"):
        Batcher(size=0)
