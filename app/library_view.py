"""The app's library: a paper picker, an upload that adds a paper, and one `Views` per paper.

A `Shelf` holds the papers the app can show: the one it was started on, the bundled one and
the library's (`index.library`), each paper's `Views` opened on first use and kept (they share
the one model). Its handlers take the picked paper's name as their last input, so every
browser session asks, reads and follows citations in the paper it picked; `/ask` takes it as
an optional fourth argument. An upload is added with `library.add` (size and page limits, a
sandboxed parse) with its progress shown, and the picker then switches to it; a refused file
gives a visible one-line message. A question may also go to several papers at once (the
"Ask" scope: this paper, the papers selected, or the whole library) through one
`index.collection.Collection` over the papers the picker lists, which shares the opened
engines. Leaves out the tabs' own HTML (`cards`, `paper`) and the layout of the tabs (`web`).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ingest import InputError
from ingest.guard import Limits, megabytes

from .cards import message_html
from .cite import byline
from .library_cli import plural

log = logging.getLogger(__name__)
UPLOAD_TYPES = [".pdf", ".txt", ".md"]
SCOPES = ("This paper", "Selected papers", "The whole library")  # what a question goes to
API_SCOPES = {"paper": SCOPES[0], "selected": SCOPES[1], "library": SCOPES[2]}  # on /ask
FAILED_ADD = "Something went wrong while adding the paper; the details are in the server log."
FAILED_ASK = "Something went wrong while asking; the details are in the server log."
LIMITS = Limits()
UPLOAD_LABEL = (f"Add a paper: PDF, text or Markdown, at most {megabytes(LIMITS.bytes)} and "
                f"{LIMITS.pages} pages")


def paper_document(engine):
    """The parsed paper an engine's index was built from (saved with it), else parsed."""
    from ingest import load_document

    doc = getattr(engine.data, "document", None)
    return doc if doc is not None else load_document(engine.paper)


def paper_meta(engine) -> dict:
    """Title, authors, year (and examples): the bundled paper's metadata, a library paper's
    entry, else what its parsed document found, else the file's name as a working title."""
    from corpus import PAPER, metadata
    from index.library import find, in_library

    if engine.paper.resolve() == PAPER.resolve():
        return metadata()
    if engine.home is not None and in_library(engine.home, engine.paper):
        entry = find(engine.home, engine.paper.parent.name)
        if entry is not None:
            return {"title": entry.title, "authors": list(entry.authors), "year": entry.year,
                    "working_title": entry.name}
    doc = getattr(engine.data, "document", None)
    if doc is not None and doc.title:
        return {"title": doc.title, "authors": list(doc.authors), "year": doc.year,
                "working_title": engine.paper.stem}
    return {"title": None, "working_title": engine.paper.stem}


def paper_name(engine) -> str:
    """The name the picker knows an engine's paper by."""
    from corpus import PAPER
    from index.library import BUNDLED, in_library

    if engine.paper.resolve() == PAPER.resolve():
        return BUNDLED
    if engine.home is not None and in_library(engine.home, engine.paper):
        return engine.paper.parent.name
    return str(engine.paper)


def added_html(added) -> str:
    e = added.entry
    what = (f"Added <b>{escape(e.title)}</b>" if added.new else
            f"<b>{escape(e.title)}</b> was already in the library")
    unlinked = len(e.markers_unlinked) + len(e.notes_unlinked)
    return (f'<div class="notice info" role="status">{what} ({escape(e.name)}): '
            f"{plural(e.pages, 'page')}, {plural(e.sections, 'section')}, "
            f"{plural(len(e.linked), 'footnote')} linked to their markers, {unlinked} unlinked. "
            "It is now the paper you ask.</div>")


@dataclass
class Shelf:
    """The papers of the app and their views; `make(engine)` builds a paper's `Views`."""

    first: object  # the Views of the paper the app started on
    make: Callable[[object], object]
    limits: Limits = LIMITS
    # who may remove papers: "local" (a loopback client of an unshared server), "all", "none"
    owners: str = "local"
    opened: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    together: object = None  # the Collection over the papers the picker lists, when asked

    def __post_init__(self) -> None:
        self.start = paper_name(self.first.engine)
        self.opened[self.start] = self.first

    @property
    def home(self) -> Path:
        from index import store

        return self.first.engine.home or store.default_home()

    def choices(self) -> list[tuple[str, str]]:
        """(label, name) of every paper: the one started on, the bundled one, the library."""
        from index.library import BUNDLED, entries

        out = [(self.first.meta.get("title") or self.first.meta.get("working_title")
                or self.start, self.start)]
        if self.start != BUNDLED:
            out.append(("The bundled paper", BUNDLED))
        out += [(f"{e.title}" + (f" ({e.year})" if e.year else "") + f" \u00b7 {e.name}",
                 e.name) for e in entries(self.home) if e.name != self.start]
        return out

    def views(self, name: str | None):
        """The Views of paper `name` (None: the one started on); InputError if unknown."""
        from index import open_engine

        name = name or self.start
        with self.lock:
            if name not in self.opened:
                if name not in {n for _, n in self.choices()}:
                    raise InputError(f"no paper named {name[:80]!r} in the library")
                engine = open_engine(name, self.home, self.first.engine.config,
                                     self.first.engine.embedder)
                self.opened[name] = self.make(engine)
            return self.opened[name]

    def ask(self, question: str, k=None, mode=None, paper: str | None = None) -> str:
        try:
            views = self.views(paper)
        except InputError as e:
            return message_html(f"Cannot ask that: {e}.")
        return views.ask(question, k, mode)

    def ask_api(self, question: str, k=None, mode=None, paper: str | None = None,
                scope: str | None = None, papers: list[str] | None = None) -> dict:
        import gradio as gr

        if scope not in (None, "", "paper"):
            if scope not in API_SCOPES:
                raise gr.Error(f"scope must be one of {', '.join(API_SCOPES)}",
                               print_exception=False)
            try:
                return self.ask_several(question, k, mode, API_SCOPES[scope], papers
                                        ).to_dict()
            except InputError as e:
                raise gr.Error(escape(str(e), quote=False), print_exception=False) from None
            except Exception:
                log.exception("/ask over several papers failed for %r", question)
                raise gr.Error(FAILED_ASK, print_exception=False) from None
        try:
            views = self.views(paper)
        except InputError as e:
            raise gr.Error(escape(str(e), quote=False), print_exception=False) from None
        return views.ask_api(question, k, mode)

    def ask_scoped(self, question: str, k=None, mode=None, paper: str | None = None,
                   scope: str | None = None, selected: list[str] | None = None) -> str:
        """The Ask view's HTML for the scope picked: the picked paper, or several."""
        from .cards import answer_html

        if scope in (None, SCOPES[0]):
            return self.ask(question, k, mode, paper)
        try:
            answer = self.ask_several(question, k, mode, scope, selected)
        except InputError as e:
            return message_html(f"Cannot ask that: {e}.")
        except Exception:
            log.exception("asking several papers failed for %r", question)
            return message_html(FAILED_ASK)
        return answer_html(answer, self.first.meta)

    def ask_several(self, question: str, k, mode, scope: str, selected: list[str] | None):
        """The Answer over the papers selected, or the whole library; InputError (one line)
        when none is selected or a name is unknown."""
        if scope == SCOPES[1]:
            chosen = [n for n in selected or [] if isinstance(n, str)]
            if not chosen:
                raise InputError("pick the papers to ask (none is selected)")
        elif scope == SCOPES[2]:
            chosen = None
        else:
            raise InputError(f"the scope must be one of: {', '.join(SCOPES)}")
        if isinstance(k, float) and k.is_integer():  # a slider sends 5.0
            k = int(k)
        return self.collection().ask(question, k, mode, papers=chosen)

    def collection(self):
        """One Collection over the papers the picker lists (made again when they change),
        opening engines through the papers' views when open, else on its own."""
        from index.collection import Collection

        names = tuple(n for _, n in self.choices())
        with self.lock:
            if self.together is None or self.together.names != names:
                self.together = Collection(self.home, names, self.engine_of,
                                           self.first.engine.config, refer=self.ref)
            return self.together

    def engine_of(self, name: str):
        """Paper `name`'s engine: its views' when open, else opened sharing the first's
        model and answer models (not kept here: the collection keeps its own)."""
        from index import open_engine

        with self.lock:
            if name in self.opened:
                return self.opened[name].engine
        first = self.first.engine
        return open_engine(name, self.home, first.config, first.embedder,
                           models=first.models)

    def ref(self, name: str):
        """How an answer over several papers names `name` (`index.records.PaperRef`)."""
        from index.collection import paper_ref
        from index.records import PaperRef

        with self.lock:
            views = self.opened.get(name)
        if views is None:
            return paper_ref(self.home, name)
        meta = views.meta
        title = meta.get("title") or f"[{meta.get('working_title') or name}]"
        return PaperRef(name, title, tuple(meta.get("authors") or ()), meta.get("year"))

    def open_passage(self, chunk_id: str | None, paper: str | None):
        return self.views(paper).open_passage(chunk_id)

    def show(self, paper: str | None) -> tuple[str, str, str, str]:
        """The header, Paper and Footnotes views of the picked paper, and an empty answer."""
        try:
            views = self.views(paper)
        except InputError as e:
            note = message_html(f"Cannot show that paper: {e}.")
            return header(self.first.meta), note, note, ""
        return header(views.meta), views.paper(), views.footnotes(), ""

    def refresh(self):
        """The picker with the library as it is now (a page load; the paper started on)."""
        import gradio as gr

        return gr.Dropdown(choices=self.choices(), value=self.start)

    def open_link(self, text: str | None, cleared: bool = False):
        """What a link shows (`links.parse`): the picker on its paper, its question asked
        with the linked passage's card marked, or that passage open in the Paper tab; the
        outputs (picker, question, header, paper, footnotes, answer, tabs). No link: the
        picker refreshed and, unless `cleared` (Back to the bare address), nothing else."""
        import gradio as gr

        from .links import parse

        link = parse(text)
        if link.empty and not cleared:
            return (self.refresh(), *(gr.skip(),) * 6)
        name = link.paper or self.start
        try:
            views = self.views(name)
        except InputError as e:
            return (self.refresh(), gr.skip(), gr.skip(), gr.skip(), gr.skip(),
                    message_html(f"Cannot open that link: {e}."), gr.Tabs(selected="ask"))
        picker = gr.Dropdown(choices=self.choices(), value=name)
        answer = views.ask(link.question, linked=link.passage) if link.question else ""
        tab = "paper" if link.passage and not link.question else "ask"
        return (picker, link.question or "", header(views.meta), views.paper(link.passage),
                views.footnotes(), answer, gr.Tabs(selected=tab))

    def navigate(self, text: str | None):
        """Back or Forward: the address's paper, question and passage (`open_link`)."""
        return self.open_link(text, cleared=True)

    def upload(self, file: str | None, step: Callable[[float, str], None]):
        """Adds an uploaded file; the picker switched to it, and a status line."""
        import gradio as gr

        from index.library import add

        if not file:
            return gr.Dropdown(), message_html("Choose a file to add.", "info")
        engine = self.first.engine
        try:
            added = add(file, self.home, engine.embedder, engine.config,
                        file_name=Path(file).name, limits=self.limits, step=step, progress=True)
        except InputError as e:
            return gr.Dropdown(), message_html(f"Cannot add that file: {e}.")
        except Exception:
            log.exception("adding an uploaded paper failed")
            return gr.Dropdown(), message_html(FAILED_ADD)
        return gr.Dropdown(choices=self.choices(), value=added.entry.name), added_html(added)


    def remove(self, name: str | None, client: str | None):
        """Removes library paper `name` (its owner only: see `owners`); the picker back on
        the paper the app started on, and a status line."""
        import gradio as gr

        from index.library import BUNDLED, remove

        from .admission import allowed

        if not allowed(self.owners, client):
            log.warning("refused removing %r from %s: not the server's owner", name, client)
            return gr.Dropdown(), message_html(
                "Removing papers is for the server's owner (footnoted remove NAME).", "info")
        if not name or name in (self.start, BUNDLED):
            return gr.Dropdown(), message_html("The paper the app started on stays; pick a "
                                               "library paper to remove.", "info")
        try:
            entry = remove(self.home, name)
        except InputError as e:
            return gr.Dropdown(), message_html(f"Cannot remove it: {e}.")
        with self.lock:
            self.opened.pop(name, None)
        return (gr.Dropdown(choices=self.choices(), value=self.start),
                message_html(f"Removed {entry.name} ({entry.file_name}) and its index.", "info"))


def header(meta: dict) -> str:
    title = meta.get("title") or meta.get("working_title")
    by = byline(meta)
    return (f"# footnoted\nAsk *{escape(str(title))}*" + (f", {escape(by)}," if by else "")
            + " and see the passages, pages and footnotes behind every answer.")


def examples_js(start: str) -> str:
    """Browser code that shows the example questions only on the paper they were written for
    (the one the app started on)."""
    return ("(name) => { const ex = document.getElementById('ask-examples'); "
            f"if (ex) ex.style.display = name === {json.dumps(start)} ? '' : 'none'; }}")


def library_row(gr, shelf: Shelf):
    """The picker, a compact "Add a paper" button and its status line, and "Remove this
    paper". Returns the picker and the upload's and removal's events, after which the caller
    shows the paper the picker is on."""
    picker = gr.Dropdown(shelf.choices(), value=shelf.start, label="Paper",
                         elem_id="paper-picker", min_width=200)
    with gr.Row():
        upload = gr.UploadButton("Add a paper…", file_types=UPLOAD_TYPES, type="filepath",
                                 file_count="single", size="sm", elem_id="paper-upload",
                                 min_width=100)
        drop = gr.Button("Remove this paper", size="sm", elem_id="paper-remove",
                         min_width=100)
    gr.HTML(f'<p class="hint">{escape(UPLOAD_LABEL[len("Add a paper: "):])}</p>',
            elem_classes="fn-app", padding=False)
    status = gr.HTML("", elem_id="library-status", elem_classes="fn-app")

    def add(file, progress=gr.Progress(track_tqdm=True)):  # noqa: B008 - Gradio's idiom
        return shelf.upload(file, lambda f, what: progress(f, desc=what))

    added = upload.upload(add, upload, [picker, status], api_visibility="private",
                          concurrency_limit=2, concurrency_id="upload",
                          show_progress_on=status)

    def remove(name: str, request: gr.Request):
        return shelf.remove(name, request.client.host if request and request.client else None)
    remove.__annotations__ = {"name": str, "request": gr.Request}  # annotations are lazy

    removed = drop.click(remove, picker, [picker, status], api_visibility="private",
                         concurrency_id="explorer", concurrency_limit=1)
    return picker, (added, removed)


def scope_row(gr, shelf: Shelf):
    """What a question goes to: this paper, the papers selected (a list to pick them from,
    shown only then), or the whole library. Returns (scope, selected)."""
    scope = gr.Radio(list(SCOPES), value=SCOPES[0], label="Ask", elem_id="ask-scope")
    selected = gr.Dropdown(shelf.choices(), value=[], multiselect=True, label="Papers to ask",
                           visible=False, elem_id="ask-papers")

    def shown(which: str):
        return gr.Dropdown(choices=shelf.choices(), visible=which == SCOPES[1])

    scope.change(shown, scope, selected, api_visibility="private", show_progress="hidden")
    return scope, selected
