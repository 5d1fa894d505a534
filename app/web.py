"""The browser app: ask the paper, see the evidence, follow every citation.

`build_app(engine) -> gr.Blocks` wires four tabs (Ask, Paper, Footnotes, Evaluation) and the
named API endpoint `/ask` to the handlers of `Views` (and of `eval_tab.Explorer` and
`judgements` for the Evaluation tab and the Ask tab's "save to my set"), plain functions that
tests call without a server. `serve(...)` launches it: loopback by default, a share link only
when asked, no extra allowed paths (the plots are inlined), CSS passed to `launch` as Gradio 6
wants.

Queue: `default_concurrency_limit=4` (at most four events of the page run at once; more
wait in the queue), `max_size=QUEUE` (more waiting requests are refused with "queue is
full" rather than piling up). In front of every route, `admission` refuses oversize bodies
before reading them and rate-limits uploads per client, so uploads cannot fill the queue
that answers questions; a benchmark run is for loopback clients of an unshared server
unless `footnoted serve --allow-remote-benchmark`. Questions (`/ask` and the Ask tab) go
through a micro-batcher
(`app.batcher`, `batch=8`): `/ask` may have `IN_FLIGHT=16` calls running, each waiting on the
batcher, whose two workers embed up to 8 waiting questions in one forward pass and answer each
as `engine.ask` would; a lone question is answered at once, never held for company. `batch=1`
(`footnoted serve --batch 1`) is the unbatched server: `engine.ask` in the handler, at most 4
at once. Reads of the index (FAISS search, numpy, BM25) are thread-safe; a benchmark run is
one background thread for the whole server, never a queued job (`eval_runner`). The model is
loaded, and the first evaluation report made if there is none, before the server starts
listening. Measured in `docs/reliability.md` and `docs/performance.md`.
Errors: an `InputError` becomes a visible one-line message (and `gr.Error` on `/ask`);
anything else is logged with its traceback and shown as a short generic line.
Leaves out HTML (`cards.py`, `paper.py`, `report_view.py`) and searching (`index.Engine`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ingest import InputError

from . import judgements
from .cards import answer_html, message_html
from .paper import footnotes_html, paper_html
from .report_view import plots_html, report_markdown

log = logging.getLogger(__name__)
CSS = Path(__file__).resolve().parent / "static" / "web.css"
CONCURRENCY = 4
BATCH = 8  # most questions embedded in one forward pass
IN_FLIGHT = 16  # /ask calls running at once when batching: the batcher's waiting room
QUEUE = 512  # requests waiting in the queue: uploads are rate-limited (`admission`), so a
#              flood of them no longer fills it and makes `/ask` answer "queue is full"
HEAVY = "upload"  # the concurrency group whose queue joins take an admission token
FAILED = "Something went wrong while answering; the details are in the server log."
SLIDER_MAX_K = 20  # the Ask tab's slider; /ask takes up to index.config.MAX_K

# Clicks inside the answer: [n] markers and "Open in paper" go to the server (trigger);
# "Copy citation" copies in the browser, or opens the citation text to select by hand.
ANSWER_JS = """
element.addEventListener('click', (e) => {
  const open = e.target.closest('[data-open]');
  if (open) { e.preventDefault(); trigger('click', {chunk: open.dataset.open}); return; }
  const copy = e.target.closest('[data-copy]');
  if (!copy) return;
  const details = copy.parentElement.querySelector('details.ref');
  const done = () => { copy.textContent = 'Copied \u2713'; };
  const fallback = () => { if (details) details.open = true; copy.textContent = 'Select below'; };
  try { navigator.clipboard.writeText(copy.dataset.copy).then(done, fallback); }
  catch (err) { fallback(); }
});
"""
SCROLL_JS = """() => {
  let tries = 0;
  const go = () => {
    const el = document.querySelector('#paper-view .anchor.target');
    const hl = document.querySelector('#paper-view .hl');
    if (el && hl && hl.offsetParent !== null) {
      hl.scrollIntoView({block: 'center'}); return;
    }
    if (tries++ < 40) setTimeout(go, 100);
  };
  go();
}"""


def examples(meta: dict, n: int = 6) -> list[str]:
    """The paper's example questions (`corpus/metadata.json`), if it has any."""
    found = meta.get("examples") or []
    return [q for q in found if isinstance(q, str)][:n]


def as_int(value: object, name: str) -> int | None:
    """A whole number from a slider (which may send 5.0); None means the default."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InputError(f"{name} must be a whole number, got {value!r}")


@dataclass
class Views:
    """Every handler of the app, over one engine and the parsed paper (loaded once)."""

    engine: object
    reports: Path | None = None  # the report folder; None: beside the index, under the home
    batcher: object | None = None  # an app.batcher.Batcher, or None: engine.ask directly
    doc: object = field(init=False)
    meta: dict = field(init=False)

    def __post_init__(self) -> None:
        from .library_view import paper_document, paper_meta

        self.doc = paper_document(self.engine)  # saved with the index: never parsed again
        self.meta = paper_meta(self.engine)
        from .eval_runner import default_folder

        self.reports = Path(self.reports) if self.reports else default_folder(self.engine)

    def ask(self, question: str, k: float | None = None, mode: str | None = None) -> str:
        """The Ask view's HTML; a bad question gives a visible one-line message."""
        try:
            answer = self.answer(question, k, mode)
        except InputError as e:
            return message_html(f"Cannot ask that: {e}.")
        except Exception:
            log.exception("ask failed for %r", question)
            return message_html(FAILED)
        return answer_html(answer, self.meta)

    def ask_api(self, question: str, k: int | None = None, mode: str | None = None) -> dict:
        """The JSON object of `footnoted ask --json`; bad input raises gr.Error (one line)."""
        import gradio as gr

        try:
            return self.answer(question, k, mode).to_dict()
        except InputError as e:
            raise gr.Error(escape(str(e), quote=False), print_exception=False) from None
        except Exception:
            log.exception("/ask failed for %r", question)
            raise gr.Error(FAILED, print_exception=False) from None

    def answer(self, question: str, k: float | None, mode: str | None):
        k = as_int(k, "k")
        if self.batcher is None:
            return self.engine.ask(question, k=k, mode=mode)
        return self.batcher.ask(self.engine, question, k, mode)

    def paper(self, chunk_id: str | None = None) -> str:
        return paper_html(self.doc, self.engine.data.chunks, self.meta, chunk_id)

    def open_passage(self, chunk_id: str | None):
        """The Paper view with this passage highlighted, and the tab switched to it."""
        import gradio as gr

        return self.paper(chunk_id), gr.Tabs(selected="paper")

    def footnotes(self) -> str:
        return footnotes_html(self.doc)

    def evaluation(self) -> tuple[str, str]:
        from .eval_runner import report_dir

        folder = report_dir(self.reports)
        return report_markdown(folder), plots_html(folder)


def build_app(engine, reports: Path | str | None = None, eval_set: Path | str | None = None,
              batch: int = BATCH, runs: str = "local"):
    """The Gradio app over `engine` and the library: four tabs, a paper picker and upload
    (`library_view`), and the `/ask` API endpoint. `reports`: where the Evaluation tab's
    reports live (default: under the home folder); `eval_set`: the set it scores (default:
    the bundled one, for the bundled paper); `batch`: most questions in one forward pass (1:
    none); `runs`: who may start a benchmark run ("local", "all", "none": `Explorer`; a
    paper is removed from the app by a local client only, "none" when shared). The
    Evaluation tab scores the paper the app started on; the picker switches the Ask, Paper
    and Footnotes tabs."""
    import gradio as gr

    from .batcher import Batcher
    from .eval_tab import Explorer, evaluation_tab
    from .library_view import Shelf, examples_js, header, library_row

    if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
        raise ValueError(f"expected batch to be a whole number >= 1, got {batch!r}")
    folder = Path(reports) if reports else None
    batcher = Batcher(batch) if batch > 1 else None
    views = Views(engine, folder, batcher)
    # removing a paper: a loopback client of an unshared server, whatever `runs` allows
    shelf = Shelf(views, lambda e: Views(e, folder, batcher),
                  owners="none" if runs == "none" else "local")
    with gr.Blocks(title="footnoted: ask the paper", analytics_enabled=False,
                   delete_cache=(600, 3600)) as demo:  # uploads kept an hour, not a day
        title = gr.Markdown(header(views.meta))
        picker = library_row(gr, shelf)
        with gr.Tabs(selected="ask") as tabs:
            with gr.Tab("Ask", id="ask"):
                answer = _ask_tab(gr, views, shelf, picker)
            with gr.Tab("Paper", id="paper"):
                paper = gr.HTML(views.paper(), elem_id="paper-view", elem_classes="fn-app")
            with gr.Tab("Footnotes", id="footnotes"):
                notes = gr.HTML(views.footnotes(), elem_id="notes-view", elem_classes="fn-app")
            with gr.Tab("Evaluation", id="evaluation"):
                evaluation_tab(gr, Explorer(engine, views.reports,
                                            Path(eval_set) if eval_set else None, runs), demo)

        def on_open(name: str, evt: gr.EventData):
            data = getattr(evt, "_data", None)
            return shelf.open_passage(data.get("chunk") if isinstance(data, dict) else None,
                                      name)

        on_open.__annotations__ = {"name": str, "evt": gr.EventData}  # despite lazy annotations

        answer.click(on_open, picker, [paper, tabs], api_visibility="private",
                     show_progress="hidden").then(None, js=SCROLL_JS)
        picker.change(shelf.show, picker, [title, paper, notes, answer], api_visibility="private"
                      ).then(None, picker, None, js=examples_js(shelf.start))
        demo.load(shelf.refresh, None, picker, api_visibility="private")

        def ask(question: str, k: int = engine.config.k, mode: str = engine.config.mode,
                paper: str = shelf.start) -> dict:
            """Answers a question about a paper (default: the app's first one; `footnoted
            papers` names the others): the JSON of `footnoted ask --json`."""
            return shelf.ask_api(question, k, mode, paper)

        gr.api(ask, api_name="ask", concurrency_limit=IN_FLIGHT if batcher else "default")
    return demo


def _ask_tab(gr, views: Views, shelf, picker):
    from index.config import MODES

    config = views.engine.config
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=280):
            question = gr.Textbox(label="Your question", lines=1, max_lines=6,
                                  placeholder="e.g. Why did more women than men defect?",
                                  info="Enter asks; Shift+Enter starts a new line.")
            ask = gr.Button("Ask", variant="primary")
        with gr.Column(scale=1, min_width=220):
            k = gr.Slider(1, SLIDER_MAX_K, value=config.k, step=1, label="Passages")
            mode = gr.Radio(list(MODES), value=config.mode, label="Search mode")
    shown = examples(views.meta)
    if shown:
        gr.Examples(shown, inputs=[question], label="Try one of these", elem_id="ask-examples")
    answer = gr.HTML("", elem_id="answer-view", elem_classes="fn-app", js_on_load=ANSWER_JS,
                     min_height=40)
    gr.on([ask.click, question.submit], shelf.ask, [question, k, mode, picker], answer,
          api_name="ask_view", api_visibility="private", show_progress="minimal")
    judgements.controls(gr, lambda name: shelf.views(name).engine, question, k, mode,
                        answer, picker)
    return answer


def serve(engine, host: str = "127.0.0.1", port: int = 7860, share: bool = False,
          reports: Path | str | None = None, eval_set: Path | str | None = None,
          batch: int = BATCH, remote_runs: bool = False) -> None:
    """Builds the app and serves it until interrupted."""
    from starlette.middleware import Middleware

    from .admission import Admission, AdmissionMiddleware
    from .eval_runner import default_folder, ensure_report
    from .library_view import LIMITS

    runs = "all" if remote_runs else "none" if share else "local"
    demo = build_app(engine, reports, eval_set, batch, runs)
    engine.ask("warm-up")  # load the model and set up lazily built maps before the first caller
    ensure_report(engine, Path(reports) if reports else default_folder(engine),
                  Path(eval_set) if eval_set else None)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE)
    heavy = frozenset(i for i, f in demo.fns.items() if f.concurrency_id == HEAVY)
    rules = Admission(upload_bytes=LIMITS.bytes + 64 * 1024, heavy=heavy)  # + the form's parts

    demo.launch(server_name=host, server_port=port, share=share, show_error=False,
                app_kwargs={"middleware": [Middleware(AdmissionMiddleware, rules=rules)]},
                max_file_size=LIMITS.bytes,  # Gradio's upload route refuses more (413)
                css=CSS.read_text(encoding="utf-8"), footer_links=["api", "settings"],
                run_history=False)
