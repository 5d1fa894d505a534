"""The Evaluation tab: the latest report as an explorer, and a button that starts a new run.

`Explorer` holds the report folder and the run guard (`eval_runner.Runner`); its methods are
the tab's handlers, plain functions that tests call without a server. `evaluation_tab(gr,
explorer)` wires them: filters by type and split re-draw the tables, two systems are compared,
a question is shown side by side. The button and the timer that follows a run are kept out of
the request queue (`queue=False`), and even when posted to the queue by hand they return at
once: a run happens in one background thread for the whole server, never in a queue slot
that a question could have had. Every handler is private (not in the API listing).
Leaves out the HTML (`eval_view`, `eval_cards`) and the run (`eval_runner`).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from .eval_runner import Runner, has_report, report_dir
from .eval_view import (
    ALL,
    Loaded,
    compare_markdown,
    header_html,
    load,
    question_choices,
    question_html,
    tables_markdown,
)
from .report_view import plots_html

POLL_SECONDS = 2.0
log = logging.getLogger(__name__)


@dataclass
class Explorer:
    engine: object
    folder: Path
    qset: Path | None = None  # the set a run scores (default: `eval_runner.question_set`)
    # who may start a run: "local" (a loopback client of an unshared server), "all", "none"
    runs: str = "local"
    title: str = ""  # the paper's, named in the header
    lock: threading.Lock | None = None  # shared by every paper's runner (None: its own)
    runner: Runner = field(init=False)
    _loaded: tuple[Path, Loaded | None] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self.runner = Runner(self.engine, self.folder, self.qset,
                             **({"lock": self.lock} if self.lock is not None else {}))

    def loaded(self) -> Loaded | None:
        """The current report, read again only when a new run replaced it."""
        where = report_dir(self.folder)
        if self._loaded is None or self._loaded[0] != where.resolve() or self._loaded[1] is None:
            self._loaded = (where.resolve(), load(where))
        return self._loaded[1]

    def note(self) -> str:
        if self.runner.running and not has_report(self.folder):
            said = (f"The first evaluation report is being made ({self.runner.progress()}); "
                    "this tab shows it when it is done.")
        else:
            said = self.runner.status()
        return f'<div class="notice info" role="status">{escape(said)}</div>' if said else ""

    def page(self, qtype: str = ALL, split: str = ALL):
        """Everything the tab shows, for a filter: header, tables, plots, choices."""
        import gradio as gr

        data = self.loaded()
        systems = data.systems if data else []
        types = [ALL, *(data.types() if data else [])]
        splits = [ALL, *(data.splits() if data else [])]
        qtype = qtype if qtype in types else ALL
        split = split if split in splits else ALL
        picks = question_choices(data, qtype, split)
        return (header_html(data, self.runner.running, self.title),
                tables_markdown(data, qtype, split),
                plots_html(report_dir(self.folder)),
                gr.Dropdown(choices=types, value=qtype), gr.Dropdown(choices=splits, value=split),
                gr.Dropdown(choices=systems, value=systems[0] if systems else None),
                gr.Dropdown(choices=systems, value=systems[1] if len(systems) > 1 else None),
                gr.Dropdown(choices=picks, value=None), question_html(data, None))

    def opening(self, qtype: str = ALL, split: str = ALL):
        """The page as the tab opens, with the run's line and its timer going when a run
        (the first report, made in the background) is under way."""
        import gradio as gr

        return (*self.page(qtype, split), self.note(), gr.Timer(active=self.runner.running))

    def filter(self, qtype: str, split: str):
        import gradio as gr

        data = self.loaded()
        return (tables_markdown(data, qtype, split),
                gr.Dropdown(choices=question_choices(data, qtype, split), value=None))

    def compare(self, a: str, b: str, qtype: str, split: str) -> str:
        return compare_markdown(self.loaded(), a, b, qtype, split)

    def question(self, qid: str | None) -> str:
        return question_html(self.loaded(), qid)

    def may_run(self, client: str | None) -> bool:
        """A run takes a core for a minute: anyone only when the server says so (`footnoted
        serve --allow-remote-benchmark`); else a loopback client, unless the server is shared
        (its tunnel's clients all come from loopback)."""
        from .admission import allowed

        return allowed(self.runs, client)

    def start(self, client: str | None = None):
        """Starts a run (or says one is going); returns at once, and sets the timer going."""
        import gradio as gr

        if not self.may_run(client):
            log.warning("refused a benchmark run from %s: remote runs are off", client)
            return ('<div class="notice warn" role="status">Benchmark runs are off for remote '
                    "clients on this server (footnoted serve --allow-remote-benchmark turns "
                    "them on).</div>", gr.Timer(active=False))
        said = self.runner.start()
        return f'<div class="notice info" role="status">{escape(said)}</div>', \
            gr.Timer(active=True)

    def poll(self, qtype: str, split: str):
        """While a run goes: its progress. When it has ended: the new page, timer stopped."""
        import gradio as gr

        if self.runner.running:
            return (gr.skip(),) * 9 + (self.note(), gr.Timer(active=True))
        return (*self.page(qtype, split), self.note(), gr.Timer(active=False))


@dataclass
class Explorers:
    """One `Explorer` a paper, opened on first use: the tab follows the picked paper. The
    paper the app started on scores `qset` (`serve --eval-set`), the others their own set;
    every paper's runs share one lock, so one run at a time for the whole server."""

    shelf: object  # library_view.Shelf
    qset: Path | None = None
    runs: str = "local"
    lock: threading.Lock = field(default_factory=threading.Lock)
    opened: dict = field(default_factory=dict, init=False)

    def of(self, name: str | None) -> Explorer:
        name = name or self.shelf.start
        if name not in self.opened:
            views = self.shelf.views(name)  # InputError when unknown
            meta = views.meta
            self.opened[name] = Explorer(
                views.engine, views.reports, self.qset if name == self.shelf.start else None,
                self.runs, str(meta.get("title") or meta.get("working_title") or name),
                self.lock)
        return self.opened[name]

    def opening(self, paper: str | None, qtype: str = ALL, split: str = ALL):
        return self.of(paper).opening(qtype, split)

    def filter(self, qtype: str, split: str, paper: str | None):
        return self.of(paper).filter(qtype, split)

    def compare(self, a: str, b: str, qtype: str, split: str, paper: str | None) -> str:
        return self.of(paper).compare(a, b, qtype, split)

    def question(self, qid: str | None, paper: str | None) -> str:
        return self.of(paper).question(qid)

    def start(self, paper: str | None, client: str | None = None):
        return self.of(paper).start(client)

    def poll(self, qtype: str, split: str, paper: str | None):
        return self.of(paper).poll(qtype, split)


def evaluation_tab(gr, explorers: Explorers, demo, picker) -> None:
    with gr.Row():
        run = gr.Button("Run the benchmark again (every system, every question; a few minutes)",
                        size="sm")
    status = gr.HTML("", elem_id="eval-status", elem_classes="fn-app")
    header = gr.HTML("", elem_id="eval-head")
    with gr.Row():
        qtype = gr.Dropdown([ALL], value=ALL, label="Question type", scale=1)
        split = gr.Dropdown([ALL], value=ALL, label="Split", scale=1)
    tables = gr.Markdown("", elem_id="eval-tables", elem_classes=["fn-app", "fn-report"],
                         min_height=120)
    with gr.Accordion("Compare two systems", open=True):
        with gr.Row():
            a = gr.Dropdown([], label="System A", scale=1)
            b = gr.Dropdown([], label="System B", scale=1)
            go = gr.Button("Compare", scale=0, size="sm")
        compared = gr.Markdown("", elem_id="eval-compare", elem_classes=["fn-app", "fn-report"])
    pick = gr.Dropdown([], label="A question, side by side", elem_id="eval-question")
    side = gr.HTML("", elem_id="eval-side")
    plots = gr.HTML("", elem_classes="fn-app")
    timer = gr.Timer(POLL_SECONDS, active=False)
    page = [header, tables, plots, qtype, split, a, b, pick, side]
    private = {"api_visibility": "private"}
    opened = dict(fn=explorers.opening, inputs=[picker], outputs=[*page, status, timer],
                  show_progress="hidden", **private)
    demo.load(**opened)
    picker.change(**opened)  # the tab follows the paper picked (or opened by a link)
    gr.on([qtype.change, split.change], explorers.filter, [qtype, split, picker], [tables, pick],
          concurrency_id="explorer", concurrency_limit=1, **private)
    go.click(explorers.compare, [a, b, qtype, split, picker], compared,
             concurrency_id="explorer", concurrency_limit=1, **private)
    pick.change(explorers.question, [pick, picker], side, show_progress="hidden", **private)
    def start(paper: str, request: gr.Request):
        return explorers.start(paper, request.client.host if request and request.client else None)
    start.__annotations__ = {"paper": str, "request": gr.Request}  # annotations are lazy

    run.click(start, picker, [status, timer], queue=False, show_progress="hidden",
              concurrency_id="benchmark", concurrency_limit=None, **private)
    timer.tick(explorers.poll, [qtype, split, picker], [*page, status, timer], queue=False,
               show_progress="hidden", concurrency_id="benchmark", concurrency_limit=None,
               **private)
