"""The generated library of the scale curve (`eval.perf.libscale`): one real paper and 11
clones, so the router engages; clones open as saved indexes (never rebuilt), a question over
them names its papers, and adding a paper leaves every other paper's files as they were."""

from __future__ import annotations

import json

import pytest

from eval.perf import libscale
from index.collection import Collection
from index.config import Config

pytestmark = pytest.mark.integration

SEED = "plurality-health"  # the smallest corpus PDF: 10 pages, 85 chunks
ROUTE = Config().library.route  # papers searched in full
PAPERS = 12  # above ROUTE: the first stage picks the papers searched
NOTE = """# Ice Cores and the Little Ice Age

The expedition drilled three ice cores on the Quelccaya ice cap in 1983. The dust counts rose
sharply between 1490 and 1880, which the authors read as a long dry spell over the Andes.
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory, embedder):
    """(home, the papers in order): the seed added for real, then its clones."""
    home = tmp_path_factory.mktemp("libscale") / "home"
    return home, libscale.grow(home, PAPERS, embedder, seeds=(SEED,))


def test_the_library_has_its_papers_with_varied_vectors(library):
    import numpy as np

    from index.collection import saved_vectors

    home, names = library
    assert len(names) == PAPERS > ROUTE
    assert names[0] == SEED and names[1:] == [f"clone-{i:04d}" for i in range(1, PAPERS)]
    seed, copy = saved_vectors(home, SEED), saved_vectors(home, names[1])
    assert seed.shape == copy.shape
    assert np.allclose(np.linalg.norm(copy, axis=1), 1.0, atol=1e-5)
    cosines = (seed * copy).sum(axis=1)
    assert 0.8 < cosines.mean() < 0.97  # near its seed, yet not the seed
    assert libscale.passages(home, names) == PAPERS * len(seed)
    entry = json.loads((home / "papers" / names[1] / "paper.json").read_text("utf-8"))
    assert entry["name"] == names[1]


def test_clones_load_rather_than_rebuild(library, embedder):
    from index.opening import open_engine

    home, names = library
    for name in (names[1], names[-1]):
        assert open_engine(name, home, embedder=embedder).status == "loaded"


def test_a_question_over_the_library_names_its_papers(library):
    home, names = library
    question = libscale.questions(1, seeds=(SEED,))[0]
    papers = Collection.open(home, names=names)
    opens: list[dict] = []
    libscale.counting(papers, opens)
    answer = papers.ask(question, k=5)
    assert answer.passages and all(p.paper in names for p in answer.passages)
    assert papers.router().index.ntotal == libscale.passages(home, names)
    assert 0 < len(opens) <= ROUTE + 1  # the routed papers (and the first, which encodes)
    assert {o["status"] for o in opens} == {"loaded"}


def test_the_measure_of_one_size(library):
    home, names = library
    got = libscale.measure(home, names, libscale.questions(2, seeds=(SEED,)), SEED)
    assert got["rebuilt"] == [] and got["router_rows"] == libscale.passages(home, names)
    assert got["warm"]["n"] == got["hot"]["n"] == got["one_paper"]["n"] == 2
    assert got["memory_mb"]["VmHWM"] >= got["memory_mb"]["VmRSS"] > 0


def test_adding_a_paper_touches_no_other(library, embedder, tmp_path):
    home, names = library
    note = tmp_path / "ice-cores.md"
    note.write_text(NOTE, encoding="utf-8")
    before = libscale.snapshot(home)
    added = libscale.timed_add(home, note, embedder)
    assert added["others_changed"] == [] and added["files_checked"] == len(before) > 0
    assert added["chunks"] >= 1
    assert libscale.changed(before, libscale.snapshot(home)) == []  # and removed again
    assert libscale.library_order(home, (SEED,)) == names
    assert libscale.scans(home) > 0
