"""The library of papers: add, list, open by name; and every way an add can go wrong leaves
the library as it was. Real model, real sandboxed parse, real index on disk."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from app.cli import main
from index import open_engine, store
from index.library import BUNDLED, add, check_name, entries, find, kind_of, locate, shown_name, slug
from ingest import InputError, load_document
from tests.conftest import TINY
from tests.hostile_files import DAMAGED, bomb_pdf, encrypted_pdf, long_pdf

LONG = "a" * 247 + ".txt"  # 251 characters: too long for "<stem>-<hash>" as a folder name


def tree(root: Path) -> dict[str, tuple[int, int] | str]:
    """Every file under root with its size and modification time, every folder and link."""
    return {str(p.relative_to(root)): "folder" if p.is_dir() and not p.is_symlink()
            else (p.lstat().st_size, p.lstat().st_mtime_ns) for p in sorted(root.rglob("*"))}


def paper_file(folder: Path, name: str, extra: str = "") -> Path:
    path = folder / name
    path.write_text(TINY + ("\n" + extra if extra else ""), encoding="utf-8")
    return path


# --- pure parts: names are made, never taken -------------------------------------------


@pytest.mark.parametrize(("given", "want"), [
    ("Gender & Defectors (2019).pdf", "gender-defectors-2019-pdf"),
    ("../../etc/passwd", "etc-passwd"),
    ("Ünïcödé Straße", "unicode-strae"),
    ("\u4e2d\u6587.pdf", "pdf"),
    ("...", "paper"),
    (LONG, "a" * 48),
])
def test_a_name_is_made_from_any_file_name(given, want):
    assert slug(given) == want


def test_given_names_and_shown_names_are_checked():
    assert check_name("my-paper-2") == "my-paper-2"
    for bad in ("bundled", "../x", "My Paper", "-x", "a" * 64, ""):
        with pytest.raises(InputError, match="lower-case letters, digits and hyphens"):
            check_name(bad)
    assert shown_name("C:\\Users\\me\\paper.pdf") == "paper.pdf"
    assert shown_name("../../evil\x00name.txt") == "evilname.txt"
    assert len(shown_name("x" * 400)) == 255


def test_the_kind_is_the_content_for_a_pdf_else_the_suffix(tmp_path):
    pdf = tmp_path / "paper.txt"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    text = tmp_path / "notes.md"
    text.write_text("# Notes\n", encoding="utf-8")
    assert kind_of(pdf, "paper.txt") == "pdf"
    assert kind_of(text, "notes.md") == "markdown"
    assert kind_of(text, "notes.pdf") == "pdf"  # the parser then says it is not one
    assert kind_of(text, "notes") == "text"


def test_locate_finds_the_bundled_paper_names_and_paths(tmp_path):
    from corpus import PAPER

    assert locate(None, tmp_path) == PAPER and locate(BUNDLED, tmp_path) == PAPER
    assert locate(PAPER, tmp_path) == PAPER
    with pytest.raises(InputError, match=r"^no paper named 'nope' in the library and no such"):
        locate("nope", tmp_path)


def test_a_manifest_that_does_not_list_the_document_is_not_trusted(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    files = {name: "0" for name in store.CORE + store.BM25}
    sizes = {"chunks": 1, "sentences": 1, "footnotes": 0, "tokens": 0, "document": 1}
    (folder / "manifest.json").write_text(json.dumps({"files": files, "counts": sizes}))
    assert store.problem(folder, {}) == "the manifest does not list document.json"
    del sizes["document"]
    (folder / "manifest.json").write_text(json.dumps({"files": files, "counts": sizes}))
    assert store.problem(folder, {}) == "the manifest does not give the index's counts"


# --- adding: real parse, real model --------------------------------------------------------

@pytest.mark.integration
def test_add_keeps_the_paper_and_its_index_and_opens_it_by_name(tmp_path, embedder):
    home = tmp_path / "home"
    src = paper_file(tmp_path, "Kim & Lee (2008).txt")
    steps = []
    added = add(src, home, embedder, step=lambda f, what: steps.append((f, what)))
    e = added.entry
    assert added.new and e.name == "kim-lee-2008" and e.file_name == "Kim & Lee (2008).txt"
    assert (e.kind, e.pages, e.sections) == ("text", 2, 2)
    assert e.linked == (1, 2) and e.markers_unlinked == (3,) and e.notes_unlinked == ()
    assert [f for f, _ in steps] == sorted(f for f, _ in steps) and steps[-1][0] == 1.0
    assert entries(home) == [e] and find(home, e.name) == e
    folder = home / "papers" / e.name
    assert sorted(p.name for p in folder.iterdir()) == ["builds", "current", "paper.json",
                                                        "source.txt"]
    assert (folder / "source.txt").read_bytes() == src.read_bytes()
    manifest = json.loads((folder / "current" / "manifest.json").read_text())
    assert manifest["format"] == store.FORMAT == 11 and "document.json" in manifest["files"]
    engine = open_engine(e.name, home, embedder=embedder)
    assert engine.status == "loaded" and engine.paper == folder / "source.txt"
    assert engine.data.document == load_document(src)  # saved whole, not parsed again
    answer = engine.ask("Why did women leave?")  # the answer itself: see test_api's note
    assert "Women left for food" in answer.passages[0].text and answer.passages[0].pages == (2,)


@pytest.mark.integration
def test_a_pdf_is_named_by_its_printed_title_and_a_given_title_wins(tmp_path, embedder,
                                                                     capsys):
    from tests.pdf_cases import document, title_page

    home = tmp_path / "home"
    src = tmp_path / "wp12_final_v3.pdf"
    src.write_bytes(document([title_page]))
    e = add(src, home, embedder).entry
    assert e.name == "wp12-final-v3" and not e.title_given
    assert (e.title, e.authors, e.year) == ("Fences and Neighbours in the Early Republic",
                                            ("Ada Lovelace", "Charles Babbage"), 1999)
    assert find(home, e.name) == e  # paper.json keeps them
    assert main(["add", str(src), "--home", str(tmp_path / "other"), "--title",
                 "  Fences,\tRevisited  "]) == 0
    out = capsys.readouterr().out
    assert "title: Fences, Revisited (Ada Lovelace, Charles Babbage; 1999) (title given)" in out
    for bad in ("", " \n ", "x" * 301):
        with pytest.raises(InputError, match=r"^a title is 1 to 300 printable characters"):
            add(src, tmp_path / "third", embedder, title=bad)


@pytest.mark.integration
def test_a_251_character_file_name_is_added_and_indexed(tmp_path, embedder):
    src = paper_file(tmp_path, LONG)
    added = add(src, tmp_path / "home", embedder)
    assert added.entry.name == "a" * 48 and added.entry.file_name == LONG
    engine = open_engine(src, tmp_path / "home2", embedder=embedder)  # as a plain --paper path
    assert engine.status.startswith("built") and len(engine.data.chunks) > 0


@pytest.mark.integration
def test_the_same_file_twice_is_one_paper_and_a_new_one_gets_a_free_name(tmp_path, embedder):
    home = tmp_path / "home"
    first = add(paper_file(tmp_path, "paper.txt"), home, embedder)
    before = tree(home)
    again = add(paper_file(tmp_path, "copy.txt"), home, embedder)
    assert not again.new and again.entry == first.entry and tree(home) == before
    (tmp_path / "other").mkdir()
    other = add(paper_file(tmp_path / "other", "paper.txt", "Another closing line here."),
                home, embedder)
    assert other.new and other.entry.name == "paper-2"
    with pytest.raises(InputError, match="^a paper named 'paper' is already in the library$"):
        add(paper_file(tmp_path, "p.txt", "A third text, so it is new."), home, embedder,
            name="paper")
    assert [e.name for e in entries(home)] == ["paper", "paper-2"]


@pytest.mark.integration
@pytest.mark.parametrize(("data", "message"), [
    (b"\x00\x01\x02binary" * 100, r"looks like a binary file"),
    (b"1\n2\n3\n", r"^no body text found \(only numbers, markers or notes\): bad\.txt$"),
    (b"1 2 3\n4 5 6\n", r"^found no text to index in bad\.txt \(no sentence with a word\)$"),
    (b"\xff\xfeW\x00h\x00y\x00", r"UTF-16 text; save it as UTF-8"),
])
def test_a_refused_file_leaves_the_library_as_it_was(tmp_path, embedder, data, message):
    home = tmp_path / "home"
    add(paper_file(tmp_path, "good.txt"), home, embedder)
    before = tree(home)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(data)
    with pytest.raises(InputError, match=message) as e:
        add(bad, home, embedder)
    assert "\n" not in str(e.value) and tree(home) == before
    assert str(home) not in str(e.value)  # said of the file, not of the copy parsed


HOSTILE_PDFS = {
    "encrypted": (encrypted_pdf, r"^encrypted PDF \(it needs a password\): hostile\.pdf$"),
    "damaged": (lambda: DAMAGED, r"^damaged PDF, cannot be read \(\w+\): hostile\.pdf$"),
    "truncated": (lambda: long_pdf(1)[:400], r"^damaged PDF, cannot be read \(\w+\): "
                                             r"hostile\.pdf$"),
    "not a PDF": (lambda: b"Plain words in a file called .pdf\n",
                  r"^not a PDF \(no %PDF- header\): hostile\.pdf$"),
    "501 pages": (long_pdf, r"^501 pages: more than 500 pages: hostile\.pdf$"),
    "a 1 GB decompression bomb": (bomb_pdf, r"^parsing needed more than 2048 MB of memory; "
                                            r"the file was refused$"),
}


@pytest.mark.integration
@pytest.mark.parametrize("case", list(HOSTILE_PDFS))
def test_a_hostile_pdf_is_refused_in_one_line_and_the_library_is_unchanged(tmp_path, embedder,
                                                                           case):
    home = tmp_path / "home"
    add(paper_file(tmp_path, "good.txt"), home, embedder)
    before = tree(home)
    make, message = HOSTILE_PDFS[case]
    path = tmp_path / "hostile.pdf"
    path.write_bytes(make())
    with pytest.raises(InputError, match=message):
        add(path, home, embedder)
    assert tree(home) == before


@pytest.mark.integration
def test_a_too_large_file_is_refused_before_it_is_copied(tmp_path, embedder):
    home = tmp_path / "home"
    add(paper_file(tmp_path, "good.txt"), home, embedder)
    before = tree(home)
    big = tmp_path / "big.pdf"
    with big.open("wb") as f:
        f.truncate(58 * 1024 * 1024)
    with pytest.raises(InputError, match=r"^the file is larger than 50 MB \(60,817,408 bytes\)$"):
        add(big, home, embedder)
    assert tree(home) == before


class BrokenModel:
    """An embedder whose model cannot load: the fault comes while indexing, after parsing."""

    batch_size = 64

    @property
    def model(self):
        raise RuntimeError("the model's weights are damaged")

    def encode(self, texts, progress=False):
        return self.model

    def encode_tokens(self, texts, progress=False):
        return self.model


@pytest.mark.integration
def test_a_fault_while_indexing_leaves_the_library_as_it_was(tmp_path, embedder, monkeypatch):
    home = tmp_path / "home"
    add(paper_file(tmp_path, "good.txt"), home, embedder)
    before = tree(home)
    monkeypatch.setenv("FOOTNOTED_MODELS", str(tmp_path / "models"))  # none: torch embeds
    with pytest.raises(RuntimeError, match="weights are damaged"):
        add(paper_file(tmp_path, "new.txt", "A line that makes it new."), home, BrokenModel())
    assert tree(home) == before  # no half-added paper, no hidden folder left


@pytest.mark.integration
def test_two_adds_at_once_both_complete(tmp_path, embedder):
    home = tmp_path / "home"
    files = [paper_file(tmp_path, f"p{i}.txt", f"Paper number {i} ends here.") for i in (1, 2)]
    same = []
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        same.append(paper_file(tmp_path / d, "same.txt", f"Same name, text {d}."))
    results, errors = [], []

    def run(path):
        try:
            results.append(add(path, home, embedder))
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(p,)) for p in files + same]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and all(r.new for r in results)
    assert sorted(e.name for e in entries(home)) == ["p1", "p2", "same", "same-2"]
    assert not list((home / "papers").glob(".tmp-*"))
    for e in entries(home):
        assert open_engine(e.name, home, embedder=embedder).status == "loaded"


@pytest.mark.integration
def test_a_hostile_file_name_writes_nothing_outside_the_home_folder(tmp_path, embedder):
    home = tmp_path / "home"
    src = paper_file(tmp_path, "paper.txt")
    outside = tree(tmp_path)
    added = add(src, home, embedder, file_name="../../../../tmp/evil\n.txt")
    assert added.entry.name == "evil" and added.entry.file_name == "evil.txt"
    now = tree(tmp_path)
    new = {p for p in now if p not in outside}
    assert new and all(p.startswith("home/papers/") or p == "home" or p == "home/papers"
                       for p in new)
    assert {p: v for p, v in now.items() if not p.startswith("home")} == outside


@pytest.mark.integration
def test_a_damaged_library_index_is_rebuilt_from_its_source(tmp_path, embedder):
    home = tmp_path / "home"
    e = add(paper_file(tmp_path, "paper.txt"), home, embedder).entry
    current = (home / "papers" / e.name / "current").resolve()
    (current / "sentences.npy").write_bytes(b"garbage")
    engine = open_engine(e.name, home, embedder=embedder)
    assert engine.status == "built (sentences.npy is damaged (checksum mismatch))"
    assert engine.data.document is not None and entries(home) == [e]


@pytest.mark.integration
def test_the_command_line_adds_lists_and_asks_a_library_paper(tmp_path, capsys):
    home = str(tmp_path / "home")
    src = paper_file(tmp_path, "Defectors.txt")
    assert main(["add", str(src), "--home", home]) == 0
    out = capsys.readouterr().out
    assert out.startswith("added 'defectors': Defectors.txt (text, 0.0 MB) in ")
    assert "pages 2, sections 2, paragraphs 3" in out
    assert "footnotes: 2 linked to their markers; unlinked: 1 marker without a footnote (3)" \
        in out
    assert main(["papers", "--home", home]) == 0
    out = capsys.readouterr().out
    assert "bundled  (the default)" in out and "defectors  Defectors  [text, 2 pages" in out
    assert main(["ask", "--paper", "defectors", "--home", home, "--json",
                 "Why did women leave?"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert "Women left for food" in got["passages"][0]["text"]
    assert main(["ask", "--paper", "nope", "--home", home, "Why?"]) == 2
    err = capsys.readouterr().err
    assert err == ("footnoted ask: error: no paper named 'nope' in the library and no such "
                   "file (footnoted papers lists the library)\n")
    assert main(["add", str(tmp_path / "missing.pdf"), "--home", home]) == 2
    assert capsys.readouterr().err == "footnoted add: error: no such file: missing.pdf\n"


@pytest.mark.integration
def test_a_file_that_would_make_too_many_passages_is_refused_before_embedding(tmp_path,
                                                                             embedder):
    from corpus import PAPER

    home = tmp_path / "home"
    add(paper_file(tmp_path, "good.txt"), home, embedder)
    before = tree(home)
    big = tmp_path / "big.txt"  # 1.5 MB of text: 3,825 passages (issue 22's 3 MB text
    big.write_text(PAPER.read_text(encoding="utf-8") * 45, encoding="utf-8")  # made 7,800)
    with pytest.raises(InputError, match=r"^the paper would make 3,825 passages; the limit "
                                         r"is 2,000$"):  # raised before anything is embedded
        add(big, home, embedder)
    assert tree(home) == before


@pytest.mark.integration
def test_remove_takes_a_paper_and_its_index_out_and_refuses_what_it_cannot(tmp_path,
                                                                          embedder):
    from index.library import Cap, entries, remove

    home = tmp_path / "home"
    first = add(paper_file(tmp_path, "good.txt"), home, embedder).entry
    assert [e.name for e in entries(home)] == [first.name]
    with pytest.raises(InputError, match=r"^the library holds 1 papers, its limit; footnoted "
                                         r"remove NAME makes room$"):
        add(paper_file(tmp_path, "other.txt", "Another paper."), home, embedder,
            cap=Cap(papers=1))
    from index.library import LIBRARY, folder_bytes
    from ingest.guard import MB

    with pytest.raises(InputError, match=r"^the library uses [\d.]+ MB of its 0\.1 MB; "
                                         r"footnoted remove NAME makes room$") as full:
        add(paper_file(tmp_path, "other.txt", "Another paper."), home, embedder,
            cap=Cap(bytes=100_000))
    # the figure said is what the library holds on disk (to its 0.1 MB rounding, the upload
    # being checked included), not a number fixed by how large one index happens to be
    said = float(re.search(r"uses ([\d.]+) MB", str(full.value))[1])
    assert said >= 0.1 and abs(said - folder_bytes(home / LIBRARY) / MB) <= 0.06
    again = add(paper_file(tmp_path, "good.txt"), home, embedder, cap=Cap(papers=1))
    assert not again.new and again.entry == first  # the same file is found, not refused
    assert remove(home, first.name) == first
    assert entries(home) == [] and not (home / "papers" / first.name).exists()
    assert not list((home / "papers").glob(".removed-*"))
    for name, words in ((first.name, "no paper named"), ("bundled", "cannot be removed"),
                        ("../x", "no paper named")):
        with pytest.raises(InputError, match=words):
            remove(home, name)


@pytest.mark.integration
def test_the_apps_remove_control_is_for_a_local_client_only(tmp_path, embedder, engine):
    from app.library_view import Shelf
    from app.web import Views
    from index.library import entries

    home = tmp_path / "home"
    name = add(paper_file(tmp_path, "good.txt"), home, embedder).entry.name
    local = replace(engine, home=home)
    shelf = Shelf(Views(local, tmp_path / "r"), lambda e: Views(e, tmp_path / "r"))
    _, said = shelf.remove(name, "203.0.113.5")
    assert "for the server&#x27;s owner" in said and [e.name for e in entries(home)] == [name]
    _, said = shelf.remove(shelf.start, "127.0.0.1")
    assert "stays" in said
    picker, said = shelf.remove(name, "127.0.0.1")
    assert f"Removed {name}" in said and entries(home) == [] and picker.value == shelf.start
    shared = Shelf(Views(local, tmp_path / "r"), lambda e: Views(e, tmp_path / "r"),
                   owners="none")
    assert "for the server&#x27;s owner" in shared.remove(name, "127.0.0.1")[1]
