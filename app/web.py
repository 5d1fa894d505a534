"""The browser app: ask the paper, see the evidence, follow every citation.

`build_app(engine) -> gr.Blocks` wires four tabs (Ask, Paper, Footnotes, Evaluation; the Ask
tab opens on the question, its answer right under it, the paper picker beside it) and the
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
loaded before the server starts listening; a paper's first evaluation report is made in that
background thread, so the app serves as soon as the index is ready. Measured in
`docs/reliability.md` and `docs/performance.md`. Links: the address carries the paper, the
question and the open passage (`links`); opening one shows that answer, Back and Forward
move between questions asked.
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

from . import judgements, links
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

# Clicks inside the answer: [n] markers and "Open in paper" go to the server (trigger), the
# passage's id written into the address (no new history entry: Back goes to the previous
# question); "Copy citation" and "Link to this answer" copy in the browser, or open the
# citation text (show the link) to select by hand.
ANSWER_JS = """
element.addEventListener('click', (e) => {
  const open = e.target.closest('[data-open]');
  if (open) {
    e.preventDefault();
    history.replaceState(history.state, '', '#' + open.dataset.open);
    trigger('click', {chunk: open.dataset.open, paper: open.dataset.paper || null});
    return;
  }
  const link = e.target.closest('[data-link]');
  if (link) {
    const shown = () => { link.textContent = 'Link copied \u2713'; };
    const manual = () => { link.textContent = location.href; };
    try { navigator.clipboard.writeText(location.href).then(shown, manual); }
    catch (err) { manual(); }
    return;
  }
  const copy = e.target.closest('[data-copy]');
  if (!copy) return;
  const details = copy.parentElement.querySelector('details.ref');
  const done = () => { copy.textContent = 'Copied \u2713'; };
  const fallback = () => { if (details) details.open = true; copy.textContent = 'Select below'; };
  try { navigator.clipboard.writeText(copy.dataset.copy).then(done, fallback); }
  catch (err) { fallback(); }
});
"""
# Once a page: Tab out of a dropdown (the paper picker, the filters) closes its list, which
# Gradio leaves open when the focus leaves by keyboard.
TAB_CLOSES_JS = """() => {
  if (window.__fnTab) return;
  window.__fnTab = true;
  document.addEventListener('keydown', (e) => {
    const input = e.target;
    if (e.key === 'Tab' && input.matches && input.matches('input[role="combobox"]'))
      setTimeout(() => input.dispatchEvent(new FocusEvent('blur')), 0);
  }, true);
}"""
# After a question: the answer's first line brought into view when it is below the fold.
REVEAL_JS = """() => {
  const a = document.querySelector('#answer-view .result, #answer-view .notice');
  if (!a) return;
  const top = a.getBoundingClientRect().top;
  if (top < 0 || top > innerHeight - 120) a.scrollIntoView({block: 'start'});
}"""
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

    def ask(self, question: str, k: float | None = None, mode: str | None = None,
            linked: str | None = None) -> str:
        """The Ask view's HTML (`linked`: the passage a link names, its card marked); a bad
        question gives a visible one-line message."""
        try:
            answer = self.answer(question, k, mode)
        except InputError as e:
            return message_html(f"Cannot ask that: {e}.")
        except Exception:
            log.exception("ask failed for %r", question)
            return message_html(FAILED)
        return answer_html(answer, self.meta, linked)

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
              batch: int = BATCH, runs: str = "local", first_report: bool = False):
    """The Gradio app over `engine` and the library: four tabs, a paper picker and upload
    (`library_view`), and the `/ask` API endpoint. `reports`: where the Evaluation tab's
    reports live (default: under the home folder); `eval_set`: the set it scores (default:
    the bundled one, for the bundled paper); `batch`: most questions in one forward pass (1:
    none); `runs`: who may start a benchmark run ("local", "all", "none": `Explorer`; a
    paper is removed from the app by a local client only, "none" when shared). The
    picker switches every tab, the Evaluation tab included (`eval_tab.Explorers`).
    `first_report`: when the paper has no report yet, start making one in the background
    (`serve` does; the tab says so until it is there)."""
    import gradio as gr

    from .batcher import Batcher
    from .eval_tab import Explorers, evaluation_tab
    from .library_view import Shelf, examples_js, header

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
        title = gr.Markdown(header(views.meta), elem_id="fn-header")
        with gr.Tabs(selected="ask") as tabs:
            with gr.Tab("Ask", id="ask"):
                question, answer, picker, changed = _ask_tab(gr, views, shelf)
            with gr.Tab("Paper", id="paper"):
                paper = gr.HTML(views.paper(), elem_id="paper-view", elem_classes="fn-app")
            with gr.Tab("Footnotes", id="footnotes"):
                notes = gr.HTML(views.footnotes(), elem_id="notes-view", elem_classes="fn-app")
            with gr.Tab("Evaluation", id="evaluation"):
                explorers = Explorers(shelf, Path(eval_set) if eval_set else None, runs)
                evaluation_tab(gr, explorers, demo, picker)
        # Back and Forward (links.NAV_JS presses it): the address's paper, question, passage
        nav = gr.Button("Follow the address", elem_id="fn-nav", elem_classes="fn-hidden")
        address = gr.Textbox(visible=False)

        def on_open(name: str, evt: gr.EventData):
            data = getattr(evt, "_data", None)
            data = data if isinstance(data, dict) else {}
            paper = data.get("paper")  # a card of an answer over several papers
            return shelf.open_passage(data.get("chunk"),
                                      paper if isinstance(paper, str) and paper else name)

        on_open.__annotations__ = {"name": str, "evt": gr.EventData}  # despite lazy annotations

        answer.click(on_open, picker, [paper, tabs], api_visibility="private",
                     show_progress="hidden").then(None, js=SCROLL_JS)
        shown = [title, paper, notes, answer]
        show = dict(fn=shelf.show, inputs=picker, outputs=shown, api_visibility="private")
        examples_shown = dict(fn=None, inputs=picker, outputs=None, js=examples_js(shelf.start))
        # the picker moved by the reader (`input`, not `change`: a link moves it too, and
        # must not clear the answer it opens), by an upload or by a removal
        picker.input(**show).then(**examples_shown).then(None, picker, None, js=links.PICK_JS)
        for event in changed:
            event.then(**show).then(**examples_shown)
        linked = [picker, question, *shown, tabs]
        demo.load(shelf.open_link, address, linked, js=links.NAV_JS, api_visibility="private"
                  ).then(**examples_shown).then(None, js=links.FOLLOW_JS
                                                ).then(None, js=TAB_CLOSES_JS)
        nav.click(shelf.navigate, address, linked, js=links.NAV_JS, api_visibility="private",
                  show_progress="hidden").then(**examples_shown).then(None, js=links.FOLLOW_JS)

        def ask(question: str, k: int = engine.config.k, mode: str = engine.config.mode,
                paper: str = shelf.start, scope: str = "paper",
                papers: list[str] | None = None) -> dict:
            """Answers a question about a paper (default: the app's first one; `footnoted
            papers` names the others), or with `scope` "library" about every paper, with
            "selected" about the `papers` named: the JSON of `footnoted ask --json`."""
            return shelf.ask_api(question, k, mode, paper, scope, papers)

        gr.api(ask, api_name="ask", concurrency_limit=IN_FLIGHT if batcher else "default")
    if first_report:
        explorers.of(shelf.start).runner.first()
    return demo


def _ask_tab(gr, views: Views, shelf):
    """The question and its answer first; the paper picker, adding a paper and the search
    options beside the question (below it on a phone); the example questions and "save to
    my set" under the answer. Returns the question box, the answer, the picker and the
    events after which the picked paper is shown."""
    from index.config import MODES

    from .library_view import library_row, scope_row

    config = views.engine.config
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=280):
            question = gr.Textbox(label="Your question", lines=1, max_lines=6,
                                  placeholder="e.g. What does the paper conclude, and why?",
                                  info="Enter asks; Shift+Enter starts a new line.")
            ask = gr.Button("Ask", variant="primary")
            scope, selected = scope_row(gr, shelf)
        with gr.Column(scale=1, min_width=220):
            picker, changed = library_row(gr, shelf)
    answer = gr.HTML("", elem_id="answer-view", elem_classes="fn-app", js_on_load=ANSWER_JS,
                     min_height=40)
    shown = examples(views.meta)
    tried = gr.Examples(shown, inputs=[question], label="Try one of these (asks at once)",
                        elem_id="ask-examples") if shown else None
    with gr.Accordion("Search options", open=False):
        with gr.Row():
            k = gr.Slider(1, SLIDER_MAX_K, value=config.k, step=1, label="Passages")
            mode = gr.Radio(list(MODES), value=config.mode, label="Search mode")
    asks = dict(fn=shelf.ask_scoped, inputs=[question, k, mode, picker, scope, selected],
                outputs=answer,
                api_visibility="private", show_progress="minimal")
    pushed = dict(fn=None, inputs=[question, picker], outputs=None, js=links.PUSH_JS)
    reveal = dict(fn=None, js=REVEAL_JS)
    gr.on([ask.click, question.submit], api_name="ask_view", **asks).then(**pushed
                                                                         ).then(**reveal)
    if tried is not None:  # an example asks when clicked, not only fills the box
        tried.load_input_event.then(api_name="ask_example", **asks).then(**pushed
                                                                          ).then(**reveal)
    judgements.controls(gr, lambda name: shelf.views(name).engine, question, k, mode,
                        answer, picker)
    return question, answer, picker, changed


def theme():
    """Gradio's default look with text at WCAG AA contrast (4.5:1) on white: its softer text
    (#bbbbc2 on white, 1.9:1) and orange accent (white on #f97316, 2.8:1) one step darker."""
    import gradio as gr

    return gr.themes.Default().set(
        body_text_color_subdued="*neutral_600", block_info_text_color="*neutral_600",
        input_placeholder_color="*neutral_500", color_accent="*primary_700",
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        checkbox_label_text_color_selected="*primary_700", link_text_color="*primary_700")


def serve(engine, host: str = "127.0.0.1", port: int = 7860, share: bool = False,
          reports: Path | str | None = None, eval_set: Path | str | None = None,
          batch: int = BATCH, remote_runs: bool = False) -> None:
    """Builds the app and serves it until interrupted."""
    from starlette.middleware import Middleware

    from .admission import Admission, AdmissionMiddleware
    from .library_view import LIMITS

    runs = "all" if remote_runs else "none" if share else "local"
    engine.ask("warm-up")  # load the model and set up lazily built maps before the first caller
    demo = build_app(engine, reports, eval_set, batch, runs, first_report=True)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE)
    heavy = frozenset(i for i, f in demo.fns.items() if f.concurrency_id == HEAVY)
    rules = Admission(upload_bytes=LIMITS.bytes + 64 * 1024, heavy=heavy)  # + the form's parts

    demo.launch(server_name=host, server_port=port, share=share, show_error=False,
                app_kwargs={"middleware": [Middleware(AdmissionMiddleware, rules=rules)]},
                max_file_size=LIMITS.bytes,  # Gradio's upload route refuses more (413)
                css=CSS.read_text(encoding="utf-8"), theme=theme(),
                footer_links=["api", "settings"],
                run_history=False)
