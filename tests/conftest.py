"""Shared fixtures: the real paper parsed once per session, and a tiny inline paper."""

from __future__ import annotations

import pytest

from corpus import PAPER
from ingest import chunk, load_document

# A three-paragraph paper in the extract's layout: a blank line between lines, footnote
# markers on their own lines, a footnote block (rule line of spaces) ending page 1, a sentence
# running across that block, a hyphen at a line end, and page 2 opening on a one-space line.
TINY = "\n".join([
    " Introduction ",
    "",
    "The Soviet-",
    "",
    "controlled North grew. Defectors met Dr. Kim in the U.S. in 1990 and said this to the ",
    "",
    "press in a long and winding sentence that fills its printed line right up to the end.",
    "1",
    " It was hard. ",
    "",
    "Short line ends it.  ",
    "",
    " ",
    "",
    "A second paragraph begins here and it runs on for a while so that it fills a line. "
    "South Koreans ",
    "",
    "                              ",
    "1 Kim, Mike. Escaping North Korea. Lanham, MD: Rowman & ",
    "",
    "Littlefield Pub., 2008. p. 81.Print. ",
    "2 Ibid, p. 90 ",
    "",
    "",
    "",
    "often think that North Koreans are lazy.",
    "2",
    "  ",
    "",
    "Method and Results ",
    "",
    "Women left for food and men left for politics, as the study found in full detail here.",
    "3",
    "  ",
])


@pytest.fixture(scope="session", autouse=True)
def shared_query_model(tmp_path_factory):
    """One models folder for the session: the ONNX query model is exported once, not once per
    test home (a test that damages it sets its own FOOTNOTED_MODELS)."""
    import os

    folder = tmp_path_factory.mktemp("footnoted-models")
    before = os.environ.get("FOOTNOTED_MODELS")
    os.environ["FOOTNOTED_MODELS"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("FOOTNOTED_MODELS", None)
    else:
        os.environ["FOOTNOTED_MODELS"] = before


@pytest.fixture(scope="session")
def paper():
    return load_document(PAPER)


@pytest.fixture(scope="session")
def paper_chunks(paper):
    return chunk(paper)


@pytest.fixture(scope="session")
def embedder():
    from index.embed import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def engine_home(tmp_path_factory):
    return tmp_path_factory.mktemp("footnoted-home")


@pytest.fixture(scope="session")
def engine(engine_home, embedder):
    """The real engine over the bundled paper: real model, real FAISS and BM25 indexes."""
    from index import open_engine

    return open_engine(home=engine_home, embedder=embedder)
