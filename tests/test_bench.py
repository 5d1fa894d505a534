"""Performance plumbing: which vector index is chosen, its recall, the manifest, the benchmark's
pure parts. No timed assertions: speed is reported by `footnoted bench`, not asserted."""

import json

import numpy as np
import pytest

from eval.perf import bench, growth
from index import store
from index.build import (
    describe,
    exact_top,
    flat_index,
    is_exact,
    ivf_index,
    recall_at,
    vector_index,
)
from index.search import chunk_cosines


def test_exact_below_the_threshold_and_approximate_above():
    vecs, _ = growth.synthetic(2_000, "clustered")
    small = vector_index(vecs[:999], exact_below=1_000)
    big = vector_index(vecs, exact_below=1_000)
    assert is_exact(small) and describe(small)["type"] == "IndexFlatIP"
    assert not is_exact(big)
    info = describe(big)
    assert info["type"] == "IndexHNSWFlat" and info["exact"] is False  # the 10^6 curve's pick
    assert 32 <= info["ef_search"] <= 2048 and info["ntotal"] == 2_000
    assert describe(ivf_index(vecs))["type"] == "IndexIVFFlat"


def test_hnsw_recall_at_10_against_exact_and_a_saved_graph_keeps_its_ef(tmp_path):
    import faiss

    from index.build import hnsw_index

    vecs, queries = growth.synthetic(20_000, "clustered", seed=3)
    index = hnsw_index(vecs)
    truth = flat_index(vecs).search(queries, 10)[1]
    assert recall_at(index.search(queries, 10)[1], truth) >= 0.95
    faiss.write_index(index, str(tmp_path / "h.faiss"))
    again = faiss.read_index(str(tmp_path / "h.faiss"))
    assert again.hnsw.efSearch == index.hnsw.efSearch and not is_exact(again)
    assert (again.search(queries[:2], 200)[1] >= 0).all()  # 200 candidates, as search asks


def test_ivf_recall_at_10_against_exact_on_20k_vectors():
    vecs, queries = growth.synthetic(20_000, "clustered", seed=3)
    index = ivf_index(vecs)
    truth = flat_index(vecs).search(queries, 10)[1]
    assert recall_at(index.search(queries, 10)[1], truth) >= 0.95


def test_exact_top_and_recall_at():
    vecs, queries = growth.synthetic(500, "uniform", seed=1)
    truth = flat_index(vecs).search(queries, 10)[1]
    assert recall_at(exact_top(vecs, queries), truth) == 1.0
    assert recall_at(truth[:, ::-1], truth) == 1.0  # order does not matter
    assert recall_at(np.full_like(truth, -1), truth) == 0.0


def test_synthetic_corpora_are_normalised_and_checked():
    for kind in ("uniform", "clustered"):
        vecs, queries = growth.synthetic(300, kind)
        assert vecs.shape == (300, 384) and queries.shape == (growth.QUERIES, 384)
        assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    with pytest.raises(ValueError, match="uniform or clustered"):
        growth.synthetic(10, "gaussian")


def test_approximate_chunk_cosines_keep_the_top_and_bound_the_rest(paper, paper_chunks):
    from index.build import IndexData

    vecs, queries = growth.synthetic(3_000, "clustered", seed=2)
    chunks = tuple(paper_chunks) * (3_000 // len(paper_chunks) + 1)
    data = IndexData(chunks[:3_000], (), (), (), vecs, np.zeros((0, 384), np.float32),
                     np.zeros((0, 384), np.float32), ivf_index(vecs), None)
    got = chunk_cosines(data, queries[0], candidates=50)
    exact = vecs @ queries[0]
    top = np.argsort(-exact)[:10]
    assert np.allclose(got[top], exact[top], atol=1e-5)  # the true top 10 are among them
    assert np.all(got >= exact - 1e-5)  # every other chunk gets an upper bound


def test_the_manifest_records_the_vector_index_and_chunk_vectors_round_trip(tmp_path,
                                                                           paper_chunks):
    from index.build import IndexData, bm25_index

    chunks = tuple(paper_chunks)
    vecs, _ = growth.synthetic(len(chunks), "clustered")
    texts = tuple(c.text for c in chunks)
    data = IndexData(chunks, (), (), texts, vecs, np.zeros((0, 384), np.float32),
                     np.zeros((0, 384), np.float32), vector_index(vecs), bm25_index(list(texts)))
    store.save(data, tmp_path / "b", {"format": store.FORMAT})
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["vector_index"]["type"] == "IndexFlatIP"
    assert manifest["vector_index"]["exact"] is True
    assert "chunks.npy" in manifest["files"]
    assert np.array_equal(store.load(tmp_path / "b").chunk_vecs, vecs)


def test_percentile_and_its_edge_cases():
    assert bench.percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert bench.percentile([1.0, 2.0], 95) == pytest.approx(1.95)
    assert bench.percentile([5.0], 95) == 5.0
    with pytest.raises(ValueError):
        bench.percentile([], 50)


def test_growth_rows_table_and_plot(tmp_path):
    rows = growth.run([1_000], bm25_max=1_000, log=lambda m: None)
    kinds = {(r["data"], r["index"]) for r in rows}
    assert ("clustered", "IndexIVFFlat") in kinds and ("uniform", "IndexFlatIP") in kinds
    assert ("synthetic text", "bm25s") in kinds
    hnsw = [r for r in rows if r["index"].startswith("IndexHNSWFlat")]
    assert hnsw and {r["data"] for r in hnsw} == {"clustered"}  # never built on uniform
    assert hnsw[0]["build_s"] > 0 and hnsw[0]["bytes"] > 0
    assert [r["ef_search"] for r in hnsw] == sorted(r["ef_search"] for r in hnsw)
    assert all(0 <= r["recall_at_10"] <= 1 for r in hnsw)
    assert all(r["p50_ms"] >= 0 for r in rows)
    assert all(r["bytes"] > 0 for r in rows if "sweep" not in r["index"])
    assert all(r["recall_at_10"] < 0.95 for r in rows[:-1]
               if "sweep" in r["index"] and rows[rows.index(r) + 1]["index"] == r["index"])
    assert all(0 <= r["recall_at_10"] <= 1 for r in rows if "recall_at_10" in r)
    assert growth.table(rows).count("\n") == len(rows) + 1
    growth.plot(rows, tmp_path / "g.png")
    assert (tmp_path / "g.png").stat().st_size > 1000


@pytest.mark.integration
def test_bench_warm_split_and_targets_on_the_paper(engine):
    questions = ["What is Hanawon?", "Why did women leave North Korea?"]
    warm = bench.warm(engine, questions, passes=1)
    assert {"embed_p50_ms", "ask_p50_ms", "ask_p95_ms", "ask_over_embed"} <= warm.keys()
    split = bench.split(engine, questions)
    assert tuple(split) == bench.STAGES
    assert sum(v["share"] for v in split.values()) == pytest.approx(1.0)
    report = {"warm": warm, "split": split, "peak_rss_mb": 500.0,
              "cold": {"cold_ask_s": 1.2, "cold_floor_s": 6.0, "cold_over_floor": 0.2,
                       "ask_peak_rss_mb": 600.0, "floor_peak_rss_mb": 550.0},
              "build": {"build_s": 1.0, "embed_s": 0.9, "texts_embedded": 10},
              "machine": {"cpus": 2, "load_average": (1.0, 1.0, 1.0)}}
    run = {"throughput_qps": 10.0, "latency_ms": {"p50": 900.0, "p95": 1500.0}, "errors": 0,
           "differing_answers": 0}
    report["serving"] = {"clients": 16, "requests": 400, "before": run, "unbatched": run,
                         "batched": run | {"throughput_qps": 30.0,
                                           "latency_ms": {"p50": 300.0, "p95": 500.0}},
                         "throughput_over_before": 3.0, "p50_over_before": 1 / 3,
                         "throughput_over_unbatched": 1.2, "p50_over_unbatched": 0.9}
    report["targets"] = bench.targets(report)
    assert report["targets"]["cold_over_floor"] == [0.2, 0.25, True]
    assert report["targets"]["cold_ask_s"] == [1.2, 1.5, True]
    assert report["targets"]["load_throughput_over_before"] == [3.0, 2.5, True]
    assert report["targets"]["load_p50_over_before"][2] is True
    assert report["targets"]["load_throughput_over_unbatched"] == [1.2, 2.5, False]
    assert report["targets"]["peak_rss_mb"] == [600.0, 1024, True]
    text = bench.table(report)
    assert "| warm `ask` p50 |" in text and "| batched / before | 3.00x | 0.33x |" in text
    report["serving"]["batched"]["differing_answers"] = 1  # one wrong answer fails the run
    assert bench.targets(report)["load_errors_and_differing_answers"] == [1, 0, False]
