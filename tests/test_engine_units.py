"""An engine is built from data: its constructor (and a variant's) reads no file, so a host
program decides all I/O (`opening.open_engine` does it for the CLI and the app)."""

from __future__ import annotations

import builtins
import io
import os
from dataclasses import replace
from pathlib import Path

import pytest

from index.answers import load
from index.config import Config
from index.engine import Engine
from tests.test_search_units import SIX, tiny_index


def test_an_engine_opens_with_the_file_system_unreadable(monkeypatch):
    data, models = tiny_index(SIX, 80), load()  # read first: the opening function's job

    def refuse(*args, **kwargs):
        raise AssertionError(f"the engine touched the file system: {args[:1]}")

    for owner, name in ((builtins, "open"), (io, "open"), (os, "open"), (os, "stat"),
                        (Path, "open"), (Path, "read_text"), (Path, "read_bytes"),
                        (Path, "exists"), (Path, "is_file")):
        monkeypatch.setattr(owner, name, refuse)
    engine = Engine(data, embedder=object(), models=models)  # every other field its default
    assert engine.config == Config()
    wider = replace(engine, config=replace(engine.config, k=8))
    assert wider.config.k == 8 and wider.data is data and wider.models is models
    with pytest.raises(AssertionError, match="touched the file system"):
        Path("anything").read_text()  # the guard itself works
