"""The one configuration: validated on construction, varied with `replace`, round-tripped
through the manifest's JSON."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from index.config import MAX_K, AnswerConfig, Config, LibraryConfig, SearchConfig
from ingest import Chunking


def test_defaults_are_the_ones_chosen_across_papers():
    c = Config()
    assert (c.chunking.chars, c.chunking.overlap, c.index_text) == (600, 1, "sources")
    assert (c.search.dense, c.search.fusion, c.search.alpha, c.search.late) == \
        ("blend", "score", 0.8, 0.5)
    assert c.answer.max_sentences == 3  # the rest is learned (index/answers/models.json)
    assert (c.answer.pool, c.answer.join, c.answer.threshold) == (None, None, None)
    assert (c.k, c.mode, c.distinct) == (5, "hybrid", True)


@pytest.mark.parametrize(("make", "words"), [
    (lambda: Config(mode="fuzzy"), "expected mode in hybrid, dense, bm25, got 'fuzzy'"),
    (lambda: Config(k=0), f"expected k as a whole number from 1 to {MAX_K}, got 0"),
    (lambda: Config(k=True), "expected k as a whole number"),
    (lambda: Config(index_text="all"), "expected index_text in plain, section, sources"),
    (lambda: Config(search={"alpha": 0.5}), "expected search as SearchConfig, got dict"),
    (lambda: SearchConfig(alpha=1.5), "expected alpha in [0, 1], got 1.5"),
    (lambda: SearchConfig(fusion="vote"), "expected fusion in score, rrf"),
    (lambda: SearchConfig(rrf_k=0), "expected rrf_k as a whole number >= 1"),
    (lambda: AnswerConfig(pool=0), "expected pool as a whole number >= 1"),
    (lambda: AnswerConfig(join=1.5), "expected join in [0, 1], got 1.5"),
    (lambda: Config(distinct="yes"), "expected distinct as true or false"),
    (lambda: LibraryConfig(route=0), "expected route as a whole number >= 1"),
    (lambda: Config(library={"route": 8}), "expected library as LibraryConfig, got dict"),
])
def test_a_bad_value_is_refused_in_one_line_naming_it(make, words):
    with pytest.raises(ValueError) as e:
        make()
    assert words in str(e.value) and "\n" not in str(e.value)


def test_round_trip_through_json_and_variants_by_replace():
    c = Config(chunking=Chunking(chars=300, overlap=2), index_text="sources",
               search=SearchConfig(alpha=0.8, fusion="rrf"), answer=AnswerConfig(pool=2, join=0.4),
               k=8, mode="dense")
    assert Config.from_dict(json.loads(json.dumps(c.to_dict()))) == c
    variant = replace(c, search=replace(c.search, alpha=0.6))
    assert variant.search.alpha == 0.6 and c.search.alpha == 0.8  # the original is untouched
    assert variant.built_from() == c.built_from() == {
        "chunking": {"chars": 300, "overlap": 2}, "index_text": "sources",
        "vectors": {"exact_below": 30_000, "target_recall": 0.95, "hnsw_m": 32,
                    "hnsw_ef_construction": 64, "max_tokens": 200_000}}
    fewer = replace(c, vectors=replace(c.vectors, max_tokens=0))
    assert fewer.built_from() != c.built_from()  # a saved index is rebuilt for it


@pytest.mark.parametrize(("data", "words"), [
    ({"colour": "blue"}, "unknown configuration fields: colour"),
    ({"search": {"alpah": 0.5}}, "unknown search fields: alpah"),
    ({"chunking": [450, 1]}, "expected chunking as an object, got list"),
    ("k=5", "expected a configuration object, got str"),
])
def test_a_saved_configuration_that_is_not_one_is_refused(data, words):
    with pytest.raises(ValueError, match=words):
        Config.from_dict(data)


def test_the_answer_features_travel_with_the_models_they_were_learned_with():
    """Feature definitions are written once (config.Features), recorded in models.json, and
    read from the models, so a model is never run with definitions it was not learned with."""
    from dataclasses import asdict, replace

    from index.answers.models import Models, load
    from index.config import Features

    models = load()
    assert models.features == Features()  # the shipped models were learned with these
    other = replace(models, features=Features(named_min=3, near=4))
    again = Models.from_dict(asdict(other))
    assert again.features == Features(named_min=3, near=4)
    old = asdict(models)
    old.pop("features")  # a file from before the record: the definitions it was learned with
    assert Models.from_dict(old).features == Features()
    with pytest.raises(ValueError, match="expected near as a whole number >= 0"):
        Features(near=-1)
