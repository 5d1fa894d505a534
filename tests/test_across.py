"""One question over several papers (`index.across`, `index.collection`): the bundled paper
and a second, real-model-indexed Markdown paper, asked as one library."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from index.across import answer_across, late_over, none_answers, ranked
from index.collection import Collection, Router
from index.records import PaperRef
from ingest import InputError

SECOND = """# Ice Cores and the Little Ice Age

## Methods

The expedition drilled three ice cores on the Quelccaya ice cap in 1983.[^1] Each core was
cut into segments of two centimetres and the dust in every segment was counted by laser.
The cores were carried down the mountain in insulated boxes packed with dry ice.

## Findings

The dust counts rose sharply between 1490 and 1880, which the authors read as a long dry
spell over the southern Andes. Rainfall, they argue, fell by about a fifth during those
centuries. The wettest decade in the record was the 1870s.[^2]

[^1]: Thompson, Lonnie. Ice Core Records of Tropical Climate. Columbus: Byrd Polar, 1985. p. 12.
[^2]: Ibid., p. 40.
"""


@pytest.fixture(scope="module")
def library(engine, tmp_path_factory):
    """(the bundled engine, the second paper's engine, a collection of both)."""
    from index.build import build
    from ingest import load_document

    folder = tmp_path_factory.mktemp("second")
    path = folder / "ice.md"
    path.write_text(SECOND, encoding="utf-8")
    second = replace(engine, data=build(load_document(path), engine.embedder, engine.config),
                     paper=path)
    engines = {"bundled": engine, "ice": second}
    refs = {"bundled": PaperRef("bundled", "[Gender and defectors]"),
            "ice": PaperRef("ice", "Ice Cores and the Little Ice Age", ("L. Thompson",), 1985)}
    return engine, second, Collection(folder, ("bundled", "ice"), engines.__getitem__,
                                      engine.config, refs)


def test_one_paper_alone_ranks_as_its_own_engine(engine):
    """Fused as one index, a single paper's ranking is exactly its engine's."""
    query = engine.query("Why did women defect more often than men?", 10)
    own = engine.search(query).hits
    found = ranked([engine], query)
    assert [h for _, h in found] == list(own)


def test_late_matching_of_the_first_rankings_ends_gives_their_exact_scores(library):
    """A library question matches words late only in the best and lowest chunks of its
    first ranking (read from the memory-mapped float16 tokens): those chunks get the scores
    matching every chunk gives, every other chunk the lowest of them; with room for every
    chunk the library's ranking is the one of matching every chunk."""
    from index.opening import open_engine
    from index.search import fuse, joined, late_scores, parts

    built, second, _ = library
    engine = open_engine(built.paper, built.home, embedder=built.embedder, models=built.models)
    assert engine.status == "loaded" and engine.data.token_vecs.dtype == np.float16
    engines = [engine, second]  # float16 from the saved index, and float32 as built
    query = engine.query("Why did women defect more often than men?", 10)
    cfg = engine.config.search
    joint = joined([parts(e.data, query, cfg, with_late=False) for e in engines])
    every = np.concatenate([late_scores(e.data, query.tokens) for e in engines])
    got = late_over(engines, query, joint, 6, 4)
    first = np.argsort(-fuse(joint, query.mode, cfg), kind="stable")
    matched = np.concatenate([first[:6], first[-4:]])
    assert np.allclose(got[matched], every[matched], atol=1e-5)
    rest = np.setdiff1d(np.arange(len(got)), matched)
    assert np.all(got[rest] == got[matched].min())
    roomy = replace(engine.config, library=replace(engine.config.library, late_over=1000))
    wide = [replace(e, config=roomy) for e in engines]
    full = fuse(joined([parts(e.data, query, cfg) for e in engines]), query.mode, cfg)
    by_library = [(i, h.chunk) for i, h in ranked(wide, query)]
    n = len(engine.data.chunks)
    best = [(0, int(c)) if c < n else (1, int(c) - n) for c in np.argsort(-full, kind="stable")]
    assert by_library[:3] == best[:3]


def test_the_answer_in_the_second_paper_names_that_paper(library):
    _, _, both = library
    answer = both.ask("By how much did rainfall fall during the long dry spell?", k=5)
    assert not answer.abstained
    assert answer.passages[0].paper == "ice"
    assert answer.answer.startswith("L. Thompson (1985): ")
    assert "a fifth" in answer.answer
    cited = {answer.passages[c.marker - 1].paper for c in answer.citations}
    assert cited == {"ice"}
    data = answer.to_dict()
    assert [p["name"] for p in data["papers"]] == ["bundled", "ice"]
    assert data["passages"][0]["paper"] == "ice"


def test_a_question_for_the_first_paper_stays_there(library):
    engine, _, both = library
    question = "Why did women defect more often than men?"
    answer = both.ask(question, k=5)
    alone = engine.ask(question, k=5)
    assert {p.paper for p in answer.passages} == {"bundled"}
    assert [p.id for p in answer.passages] == [p.id for p in alone.passages]
    assert answer.answer.endswith(alone.answer)  # the same sentences, after the byline


def test_an_abstention_names_the_papers_searched(library):
    engine, second, _ = library
    refs = [PaperRef("bundled", "[Gender and defectors]"), PaperRef("ice", "Ice", ("T",), 1985)]
    query = engine.query("Which quarterback won the 1994 Super Bowl?", 5)
    answer = answer_across([engine, second], refs, query, ranked([engine, second], query))
    assert answer.abstained and not answer.citations
    assert answer.answer.startswith("None of the 2 papers searched ([Gender and defectors]; "
                                    "T (1985)) seems to answer this question")
    assert answer.reason and answer.reason in answer.answer
    assert "the 8 papers closest to it of the 900 asked" in none_answers(
        [refs[0]] * 8, "why", 900)


def test_scope_and_unknown_papers(library):
    _, _, both = library
    only = both.ask("Why did women defect more often than men?", k=3, papers=["ice"])
    assert {p.paper for p in only.passages} == {"ice"}
    assert [p.name for p in only.papers] == ["ice"]
    with pytest.raises(InputError, match="no paper named 'nope'"):
        both.ask("anything", papers=["nope"])
    with pytest.raises(InputError, match="empty"):
        both.ask("   ")


def test_the_router_sends_a_question_to_the_papers_with_its_closest_chunks(library):
    engine, second, _ = library
    router = Router.of([("bundled", engine.data.chunk_vecs), ("ice", second.data.chunk_vecs)])
    assert router.index.ntotal == len(engine.data.chunks) + len(second.data.chunks)
    q = engine.query("How were the ice cores drilled and cut?", 5).vector
    assert router.route(q, ("bundled", "ice"), 1) == ["ice"]
    assert router.route(q, ("bundled", "ice"), 2) == ["ice", "bundled"]
    assert router.route(q, ("bundled",), 1) == ["bundled"]  # scope first
    empty = Router.of([("a", np.zeros((0, 384), np.float32))])
    assert empty.route(q, ("a",), 3) == ["a"]  # nothing indexed yet: scope's order


def test_the_cards_name_each_papers_passages_and_the_papers_asked(library):
    from app.cards import answer_html, papers_html

    engine, second, both = library
    answer = both.ask("By how much did rainfall fall during the long dry spell?", k=3)
    html = answer_html(answer, {"title": "ignored for named passages"})
    assert '<p class="searched">Asked of 2 papers: [Gender and defectors]; L. Thompson ' \
           '(1985)</p>' in html
    assert '<p class="card-paper">L. Thompson (1985), Ice Cores and the Little Ice Age</p>' \
        in html
    assert 'data-open="p1-s3-c1" data-paper="ice"' in html
    assert "ignored for named passages" not in html.split('id="card-1"')[1].split("</article>")[0]
    # two papers answering: each one's sentences in its own column, cited in its own paper
    one = answer.citations[0]
    other = replace(one, marker=2, sentence="A sentence the bundled paper gives.")
    passages = (answer.passages[0], replace(answer.passages[1], paper="bundled", rank=2))
    two = replace(answer, citations=(one, other), passages=passages)
    columns = papers_html(two)
    assert columns.count('<div class="side">') == 2
    assert "<h4>L. Thompson (1985)</h4>" in columns and "<h4>[Gender and defectors]</h4>" \
        in columns
    assert papers_html(answer) == ""  # one paper: no columns


def test_an_abstention_over_several_papers_says_so(library):
    from app.cards import answer_html

    _, _, both = library
    answer = both.ask("Which quarterback won the 1994 Super Bowl?", k=3)
    assert answer.abstained
    html = answer_html(answer, {})
    assert '<p class="verdict">Not in the papers searched</p>' in html
    assert "None of the 2 papers searched" in html and "confidence</span>" not in html


def test_the_library_benchmark_scores_only_the_right_papers_passages(library):
    """eval.across: another paper's passage keeps its rank but can cover no gold quote."""
    from eval.across import own_only
    from eval.runs import from_answer

    _, _, both = library
    answer = both.ask("By how much did rainfall fall during the long dry spell?", k=4)
    kept = own_only(answer, "bundled")
    assert [p.rank for p in kept.passages] == [p.rank for p in answer.passages]
    assert all((p.text == "") == (p.paper == "ice") for p in kept.passages)
    entry = from_answer("q", kept)
    assert entry.passages[0].evidence == "" and entry.answer == answer.answer


def test_an_engine_already_open_is_kept_under_its_own_name(engine):
    """`Collection.open(first=...)`: the engine is lent and kept as its own paper's, never
    filed under another name."""
    both = Collection.open(engine.home, names=("bundled",), first=engine)
    assert both.engine("bundled") is engine
    other = replace(engine, paper=engine.home / "elsewhere.txt")
    assert Collection.open(engine.home, names=("bundled",), first=other)._engines == {}


def test_opening_a_collection_refuses_a_name_not_in_the_library(engine):
    with pytest.raises(InputError, match="no paper named 'nope' in the library"):
        Collection.open(engine.home, names=("bundled", "nope"))
