"""The app's benchmark runs: one at a time for the whole server, in a background thread, never
in the request queue, and written under the home folder.

A request to run (`Runner.start`) returns at once: it starts a run when none is going, or says
that one is. The run scores every system on every question of the set (`question_set`; both
splits, so the Evaluation view can filter by split), each system asking as `footnoted ask`
does and timed (the tab shows the median latency; the speed section and load figures are
`footnoted eval`'s and `footnoted bench`'s), into a folder
that is made current with one atomic rename of a `current` link (`index.store.publish`), so a
reader never sees half a report. The first report (`Runner.first`) is made the same way, in the
background, once the server is listening: the app serves as soon as the index is ready.
Leaves out showing reports (`eval_view`, `eval_tab`) and measuring (`eval.benchmark`).
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)
SPLIT = "all"
STALE = 6 * 3600  # seconds: an unfinished run this old was stopped (a full run takes minutes)


def default_folder(engine) -> Path:
    """Where the app keeps its reports: beside the paper's index, under the home folder."""
    from index import store

    if engine.home is None or engine.paper is None:
        raise ValueError("expected an engine opened from a home folder (open_engine)")
    return store.index_root(Path(engine.home), Path(engine.paper)) / "reports"


def report_dir(folder: Path) -> Path:
    """The folder holding the current report: `folder/current` when the app made it, else
    `folder` itself (a `footnoted eval --out` folder)."""
    from index import store

    link = Path(folder) / "current"
    return store.current_build(Path(folder)) if link.is_symlink() else Path(folder)


def question_set(engine, chosen: Path | None = None) -> Path | None:
    """The set the app scores: `chosen` (`serve --eval-set`); else the bundled one for the
    bundled paper; for another paper, the reader's own set (`judgements`) once it has
    questions; else None."""
    from corpus import PAPER
    from eval.questions import DEFAULT_SET

    from .judgements import set_path

    if chosen is not None:
        return Path(chosen)
    if Path(engine.paper).resolve() == PAPER.resolve():
        return DEFAULT_SET
    mine = set_path(engine)
    return mine if mine.is_file() and mine.stat().st_size > 0 else None


def has_report(folder: Path) -> bool:
    """True when `folder` holds a report the explorer can show (an older `footnoted eval`
    folder, without the scored questions, does not count)."""
    where = report_dir(folder)
    return (where / "report.json").is_file() and (where / "questions.jsonl").is_file()


def sweep(builds: Path, older: float = STALE) -> None:
    """Removes unfinished runs (`tmp-<ns>`) older than `older` seconds: a server stopped
    during a run leaves its folder; one still running elsewhere is younger than a run lasts."""
    now = time.time_ns()
    for tmp in Path(builds).glob("tmp-*"):
        stamp = tmp.name[4:]
        if stamp.isdigit() and now - int(stamp) > older * 1e9:
            shutil.rmtree(tmp, ignore_errors=True)


def make_report(engine, folder: Path, tick=None, qset: Path | None = None) -> Path:
    """Runs the benchmark into a fresh folder under `folder` and makes it current."""
    from eval.benchmark import benchmark
    from index import store
    from ingest import InputError

    qset = question_set(engine, qset)
    if qset is None:
        raise InputError("no question set for this paper yet: save questions from the Ask tab")
    builds = Path(folder) / "builds"
    sweep(builds)
    tmp = builds / f"tmp-{time.time_ns()}"
    try:
        benchmark(engine, qset, split=SPLIT, out=tmp, speed=False, tick=tick)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    final = tmp.with_name(f"report-{time.time_ns()}")
    tmp.rename(final)
    store.publish(Path(folder), final)
    return final


@dataclass
class Runner:
    """At most one benchmark run at a time for this server, outside the request queue: the
    runners of every paper share one `lock`."""

    engine: object
    folder: Path
    qset: Path | None = None  # the set to score (default: `question_set`)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _mine: bool = field(default=False, init=False)  # the run going is this runner's
    done: int = field(default=0, init=False)
    total: int = field(default=0, init=False)
    started: float | None = field(default=None, init=False)
    error: str | None = field(default=None, init=False)
    finished: float | None = field(default=None, init=False)

    @property
    def running(self) -> bool:
        return self._mine

    def start(self) -> str:
        """Starts a run unless one is going; says which, in one line, at once."""
        if not self.lock.acquire(blocking=False):
            if self._mine:
                return f"A benchmark run is already going ({self.progress()}); it refreshes " \
                       "this page when it ends."
            return "A benchmark run for another paper is going on this server; one runs at " \
                   "a time: try again when it has ended."
        self._mine = True  # at once: a second caller must see the run is this paper's
        try:
            from eval.benchmark import system_names
            from ingest.questions import read_questions

            qset = question_set(self.engine, self.qset)
            if qset is None:
                self._mine = False
                self.lock.release()
                return "This paper has no question set yet: save questions from the Ask tab."
            n = len(read_questions(qset)[0]) * len(system_names(None))
            self.done, self.total, self.error = 0, n, None
            self.started, self.finished = time.time(), None
            threading.Thread(target=self._work, name="footnoted-benchmark", daemon=True).start()
        except BaseException:
            self._mine = False
            self.lock.release()
            raise
        return f"Benchmark started: {self.total} answers to score."

    def first(self) -> bool:
        """Starts the first report in the background when the folder has none and the paper
        has a question set; True when it started one."""
        if has_report(self.folder) or question_set(self.engine, self.qset) is None:
            return False
        said = self.start()
        log.warning("making the first evaluation report in %s in the background (%s)",
                    self.folder, said)
        return self.running

    def _tick(self) -> None:
        self.done += 1

    def _work(self) -> None:
        try:
            make_report(self.engine, self.folder, tick=self._tick, qset=self.qset)
        except Exception as e:  # shown on the page; the details go to the log
            from ingest import InputError

            log.exception("benchmark run failed")
            self.error = str(e) if isinstance(e, InputError) else type(e).__name__
        finally:
            self.finished = time.time()
            self._mine = False
            self.lock.release()

    def progress(self) -> str:
        return f"{self.done} of {self.total} answers scored"

    def status(self) -> str:
        """One line on the current or last run (empty when the app made none)."""
        if self.running:
            return f"Benchmark running: {self.progress()}."
        if self.error:
            return f"The last benchmark run failed ({self.error}); see the server log."
        if self.finished:
            at = time.strftime("%H:%M:%S", time.localtime(self.finished))
            return f"A benchmark run finished at {at} (server time); this is its report."
        return ""
