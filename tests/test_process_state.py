"""Using footnoted as a library changes nothing outside it: no environment variable, no BLAS
thread setting, no logger level of the host program's."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# threadpoolctl, which the engine uses for its scoped BLAS limit, sets KMP_DUPLICATE_LIB_OK
# itself when it is imported (its own module-level setdefault): the probe imports it first,
# as a host program that reads its thread pools has it.
PROBE = """
import json, logging, os, sys
from threadpoolctl import threadpool_info
before = dict(os.environ)
blas = lambda: {i["filepath"]: i["num_threads"] for i in threadpool_info()
                if i["user_api"] == "blas"}
import index, ingest, eval.scoring  # noqa
after_import = dict(os.environ)
report = {"import": sorted(set(after_import.items()) ^ set(before.items()))}
if sys.argv[1] == "ask":
    threads = blas()
    engine = index.open_engine(home=sys.argv[2])
    engine.ask("Why did women defect more often than men?")
    report["ask"] = sorted(set(os.environ.items()) ^ set(before.items()))
    report["blas"] = [threads, blas()]
    report["root_level"] = logging.getLogger().level
print(json.dumps(report))
"""


def probe(*args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[-1])


def test_importing_the_library_sets_no_environment_variable():
    assert probe("import") == {"import": []}


@pytest.mark.integration
def test_asking_changes_no_environment_variable_or_blas_threads(engine, engine_home):
    got = probe("ask", str(engine_home))
    assert got["import"] == [] and got["ask"] == []
    before, after = got["blas"]
    assert before and all(after[lib] == n for lib, n in before.items())  # as they were
    assert got["root_level"] == 30  # the host's logging (WARNING by default) untouched
