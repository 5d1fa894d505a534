"""The reader's own judgements: from the Ask tab, save a question with the passage that
answered it (or "not answered in the paper") to the reader's own set in the home folder.

The set is `my_questions.jsonl` beside the paper's index, one line a question in the format
`footnoted eval --set` reads (`id`, `question`, `gold`: the passage's text, or an empty list,
`type`: `reader` or `unanswerable`, and the passage's id); no split, so it is scored whole.
What is saved is rebuilt on the server: the question is checked as `/ask` checks it, and the
gold text is the index's own passage, looked up by id, never text sent by the browser. Lines
are appended under a file lock; the set is capped (`MAX_QUESTIONS`), and the same question
with the same judgement is saved once. The bundled set is never touched.
Leaves out scoring the set (`eval`) and the rest of the Ask tab (`web`).
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from ingest import InputError

NONE = "none"  # the choice "not answered in the paper"
MAX_QUESTIONS = 2000
NAME = "my_questions.jsonl"


def set_path(engine) -> Path:
    from index import store

    return store.index_root(Path(engine.home), Path(engine.paper)) / NAME


def choices(answer) -> list[tuple[str, str]]:
    """The dropdown's choices after an answer: each passage, then "not answered"."""
    out = []
    for p in answer.passages:
        text = " ".join(p.text.split())
        out.append((f"[{p.rank}] {p.section[:40]}: {text[:70]}\u2026", p.id))
    return out + [("Not answered in the paper", NONE)]


def save(engine, path: Path, question: object, choice: object) -> str:
    """Appends the judgement to the set at `path`; a one-line message (HTML) saying what
    happened. InputError (one line) for a bad question or choice, or a full set."""
    from filelock import FileLock

    from index.engine import check_request

    text, _, _ = check_request(question, engine.config.k, engine.config.mode)
    if not isinstance(choice, str) or not choice:
        raise InputError("choose the passage that answers it, or \u201cnot answered\u201d")
    if choice == NONE:
        gold, kind = [], "unanswerable"
    else:
        chunk = next((c for c in engine.data.chunks if c.id == choice), None)
        if chunk is None:
            raise InputError(f"no passage {choice[:40]!r} in this paper")
        gold, kind = [chunk.text], "reader"
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        rows = [row for line in lines if line.strip() and isinstance(row := _row(line), dict)]
        if any(r.get("question") == text and r.get("gold") == gold for r in rows):
            return f"Already in your set ({len(rows)} questions)."
        if len(rows) >= MAX_QUESTIONS:
            raise InputError(f"your set is full ({MAX_QUESTIONS} questions)")
        qid = f"mine-{len(rows) + 1:04d}"
        row = {"id": qid, "question": text, "gold": gold, "type": kind,
               "passage": None if choice == NONE else choice}
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return (f"Saved as {qid} ({len(rows) + 1} in your set). Score it with "
            f"<code>footnoted eval --set {escape(str(path))}</code>.")


def _row(line: str) -> object:
    """A saved line as JSON (a line the reader broke by hand counts as none)."""
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return None


def controls(gr, engine_of, question, k, mode, answer, paper) -> None:
    """The Ask tab's small "save to my set" row, wired to the answer shown above it.
    `engine_of(name)`: the engine of the paper picked in `paper` (each paper has its own set)."""
    with gr.Row(equal_height=True, elem_classes="fn-judge"):
        pick = gr.Dropdown([("Ask a question first", NONE)], value=None, scale=3,
                           label="Save to my own set: which passage answers it?")
        button = gr.Button("Save to my set", scale=1, size="sm")
    said = gr.HTML("", elem_id="judge-status", elem_classes="fn-app")

    def refresh(q, kk, m, name):
        try:
            found = engine_of(name).ask(q, k=int(kk) if kk else None, mode=m)
        except (InputError, TypeError, ValueError):
            return gr.Dropdown(choices=[("Ask a question first", NONE)], value=None), ""
        return gr.Dropdown(choices=choices(found), value=None), ""

    def on_save(q, choice, name):
        try:
            engine = engine_of(name)
            return f'<div class="notice info">{save(engine, set_path(engine), q, choice)}</div>'
        except InputError as e:
            return f'<div class="notice error" role="alert">{escape(str(e))}</div>'

    answer.change(refresh, [question, k, mode, paper], [pick, said], api_visibility="private",
                  show_progress="hidden")
    button.click(on_save, [question, pick, paper], said, api_visibility="private",
                 show_progress="hidden")
