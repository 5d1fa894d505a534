"""The reader as shipped: its weights match the models that use them, and the ONNX export
reads (question, candidate) pairs as the torch model it was made from does."""

from __future__ import annotations

import numpy as np
import pytest

from index.answers.models import load
from index.answers.reader import WEIGHTS, OnnxReader, head_of
from index.store import file_sha

pytestmark = pytest.mark.integration

PAIRS = [
    ("How many claims were filed in 1881?", "Some 607 claims were filed by the end of 1881."),
    ("How many claims were filed in 1881?", "The court sat in Boston that spring."),
    ("Why did coverage rise?", "Coverage rose because the premium subsidy lowered the price."),
]


def test_the_shipped_weights_are_those_the_models_name():
    models = load()
    assert models.read > 0 and models.reader is not None
    assert file_sha(WEIGHTS) == models.reader.sha256
    assert len(models.reader.targets) == 36  # six linear layers in each of six blocks


def test_the_onnx_reader_reads_as_the_torch_reader_does(tmp_path, embedder):
    from index.reader_model import TorchReader, ensure, torch_reader

    models = load()
    transformer = embedder.model[0].auto_model
    path = ensure(tmp_path, transformer, models.reader)
    assert path is not None and path.is_file()
    onnx = OnnxReader(path, head_of(WEIGHTS))
    torch = torch_reader(transformer, models.reader)
    for question in dict.fromkeys(q for q, _ in PAIRS):
        texts = [t for q, t in PAIRS if q == question]
        assert np.allclose(onnx.score(question, texts), torch.score(question, texts),
                           atol=1e-3)
    # the adapters change what the base model says: the merge is not a no-op
    unmerged = TorchReader(transformer, head_of(WEIGHTS)).score(PAIRS[0][0], [PAIRS[0][1]])
    assert not np.allclose(unmerged, torch.score(PAIRS[0][0], [PAIRS[0][1]]), atol=1e-2)


def test_the_reader_prefers_the_sentence_that_answers(embedder):
    from index.reader_model import torch_reader

    reader = torch_reader(embedder.model[0].auto_model, load().reader)
    right, wrong = reader.score(PAIRS[0][0], [PAIRS[0][1], PAIRS[1][1]])
    assert right > wrong
