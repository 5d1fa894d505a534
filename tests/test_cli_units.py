"""The command line's edges, in-process and without the model: what counts as the user's
mistake (exit 2, one line) and what is an internal fault (exit 1, one line, no traceback)."""

from __future__ import annotations

import socket

import pytest

from app import cli


def test_an_internal_value_error_is_not_reported_as_bad_input(monkeypatch, capsys):
    import ingest.export

    def broken(*args, **kwargs):
        raise ValueError("an internal bug")

    monkeypatch.setattr(ingest.export, "summary", broken)
    code = cli.main(["ingest"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "internal error" in err and "an internal bug" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(("args", "words"), [
    (["--port", "70000"], "port must be from 1 to 65535, got 70000"),
    (["--port", "-1"], "port must be from 1 to 65535, got -1"),
    (["--host", "999.1.1.1"], "cannot listen on 999.1.1.1"),
])
def test_serve_refuses_a_bad_host_or_port_before_loading_anything(tmp_path, capsys, args,
                                                                   words):
    code = cli.main(["serve", "--home", str(tmp_path / "home"), *args])
    err = capsys.readouterr().err
    assert code == 2 and words in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "home").exists()  # refused before any index was opened or built


def test_serve_refuses_a_port_in_use_before_loading_anything(tmp_path, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = cli.main(["serve", "--home", str(tmp_path / "home"), "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2 and f"port {port} is in use" in err, err
    assert not (tmp_path / "home").exists()


def test_ask_needs_one_question_or_a_batch(tmp_path, capsys):
    assert cli.main(["ask", "--home", str(tmp_path)]) == 2
    assert "give one QUESTION or --batch FILE" in capsys.readouterr().err
    assert cli.main(["ask", "q", "--batch", "x", "--home", str(tmp_path)]) == 2


@pytest.mark.parametrize(("args", "got"), [(["--max-papers", "0"], "got 0 and 4"),
                                           (["--max-gib", "0"], "got 200 and 0"),
                                           (["--max-gib", "inf"], "got 200 and inf")])
def test_add_refuses_a_library_limit_below_one_before_reading_the_file(tmp_path, capsys, args,
                                                                       got):
    paper = tmp_path / "p.txt"
    paper.write_text("A sentence of a paper.", encoding="utf-8")
    code = cli.main(["add", str(paper), "--home", str(tmp_path / "home"), *args])
    err = capsys.readouterr().err
    assert code == 2 and got in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "home").exists()


def test_the_library_limits_a_reader_sets_are_the_ones_add_checks(tmp_path):
    """`add --max-papers/--max-gib` make the cap, and its refusal says how to raise it."""
    from argparse import Namespace

    from app.library_cli import cap_of
    from index.library import Cap, Entry, check_room
    from ingest import InputError

    cap = cap_of(Namespace(max_papers=1000, max_gib=0.5))
    assert (cap.papers, cap.bytes) == (1000, 2**29)
    assert (cap_of(Namespace(max_papers=None, max_gib=None)).papers,
            cap_of(Namespace(max_papers=None, max_gib=None)).bytes) == (Cap.papers, Cap.bytes)
    one = Entry("a", "A", "a.txt", "text", "0" * 64, 1, 1, 1, 1, 1, 1, (), (), (), "2026")
    with pytest.raises(InputError, match=r"^the library holds 1 papers, its limit; footnoted "
                                         r"remove NAME makes room, or add --max-papers N"):
        check_room(tmp_path, cap_of(Namespace(max_papers=1, max_gib=None)), [one])
    check_room(tmp_path, cap_of(Namespace(max_papers=2, max_gib=None)), [one])  # room left
