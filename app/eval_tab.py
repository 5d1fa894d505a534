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
    runner: Runner = field(init=False)
    _loaded: tuple[Path, Loaded | None] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self.runner = Runner(self.engine, self.folder, self.qset)

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
        return (header_html(data, self.runner.running), tables_markdown(data, qtype, split),
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


def evaluation_tab(gr, explorer: Explorer, demo) -> None:
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
    demo.load(explorer.opening, None, [*page, status, timer], show_progress="hidden",
              **private)
    gr.on([qtype.change, split.change], explorer.filter, [qtype, split], [tables, pick],
          concurrency_id="explorer", concurrency_limit=1, **private)
    go.click(explorer.compare, [a, b, qtype, split], compared, concurrency_id="explorer",
             concurrency_limit=1, **private)
    pick.change(explorer.question, pick, side, show_progress="hidden", **private)
    def start(request: gr.Request):
        return explorer.start(request.client.host if request and request.client else None)
    start.__annotations__ = {"request": gr.Request}  # Gradio reads it; annotations are lazy

    run.click(start, None, [status, timer], queue=False, show_progress="hidden",
              concurrency_id="benchmark", concurrency_limit=None, **private)
    timer.tick(explorer.poll, [qtype, split], [*page, status, timer], queue=False,
               show_progress="hidden", concurrency_id="benchmark", concurrency_limit=None,
               **private)
