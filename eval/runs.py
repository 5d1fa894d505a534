"""A system's answers to a question set, as data: what it retrieved, in rank order, and what it
answered. Runs are saved and scored again without retrieving anything.

    {"id": "q001", "passages": ["text", ...], "answer": "...", "abstained": false}

is one line of a JSONL run (`passages` ranked, best first; each may instead be an object with
`text` and, optionally, `id` and `sources`, the footnote sources shown with it, which relevance
reads along with the text; `answer`, `abstained`, `seconds`, `system`, and footnoted's own
`kind` and `confidence` are optional). A TREC
run (`qid Q0 docid rank score tag`, ranked by score as trec_eval does) names footnoted's
passage ids instead, and `read_run` takes their texts from the index. Relevance never looks at
ids, so any system's passages are scored by the same gold quotes (`scoring`).
Leaves out scoring (`scoring`) and running a system (`benchmark`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from ingest import InputError
from ingest.load import read_text

MAX_PASSAGES = 100  # per question, in a run file


@dataclass(frozen=True)
class Retrieved:
    """One retrieved passage: its text and the footnote sources shown with it."""

    id: str
    text: str
    sources: tuple[str, ...] = ()

    @property
    def evidence(self) -> str:
        """What a reader sees of it, and what relevance reads: the text, then the sources."""
        return "\n".join([self.text, *dict.fromkeys(self.sources)])

    def to_dict(self) -> dict:
        out = {"id": self.id, "text": self.text}
        return out | {"sources": list(self.sources)} if self.sources else out


@dataclass(frozen=True)
class Entry:
    """A system's output for one question. `answer` None: the system gives no answer text."""

    qid: str
    passages: tuple[Retrieved, ...]
    answer: str | None = None
    abstained: bool = False
    seconds: float | None = None
    kind: str = "fact"  # what the system took the question to ask for (`index.kinds`)
    confidence: str = "low"  # how sure it said it was

    def to_dict(self, system: str) -> dict:
        out = {"id": self.qid, "system": system, "passages": [p.to_dict() for p in self.passages]}
        if self.answer is not None:
            out |= {"answer": self.answer, "abstained": self.abstained, "kind": self.kind,
                    "confidence": self.confidence}
        return out | ({"seconds": self.seconds} if self.seconds is not None else {})


@dataclass(frozen=True)
class Run:
    system: str
    entries: tuple[Entry, ...]
    source: str = "in-process"  # or the file it was read from
    by_id: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {e.qid: e for e in self.entries})

    def entry(self, qid: str) -> Entry:
        """This question's entry; a question the run does not hold retrieved nothing."""
        return self.by_id.get(qid) or Entry(qid, ())


def from_answer(qid: str, answer, seconds: float | None = None) -> Entry:
    """The entry for an `index.records.Answer` (the engine's, or the tutorial baseline's)."""
    passages = tuple(Retrieved(p.id, p.text, tuple(dict.fromkeys(
        f.source for f in p.footnotes if f.source))) for p in answer.passages)
    return Entry(qid, passages, answer.answer, bool(answer.abstained), seconds,
                 getattr(answer, "kind", "fact"), getattr(answer, "confidence", "low"))


def save_run(run: Run, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for e in run.entries:
            f.write(json.dumps(e.to_dict(run.system), ensure_ascii=False) + "\n")


def slug(system: str) -> str:
    """A file name for a system's run: `tutorial baseline` -> `tutorial-baseline`."""
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in system).strip("-.") or "run"


def read_run(path: str | Path, passages_by_id=None) -> Run:
    """A run from a JSONL or TREC file; InputError (`FILE:LINE: reason`) on a bad line.
    `passages_by_id(id) -> Retrieved | None` resolves a TREC run's passage ids."""
    text = read_text(path)
    first = next(line for line in text.splitlines() if line.strip())
    if first.lstrip().startswith("{"):
        return _jsonl(text, Path(path))
    if passages_by_id is None:
        raise InputError(f"{path}: a TREC run needs the paper's index to read its passages")
    return _trec(text, Path(path), passages_by_id)


def _jsonl(text: str, path: Path) -> Run:
    entries, systems = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry, system = parse_entry(line)
        except ValueError as e:
            raise InputError(f"{path}:{number}: {e}") from None
        if entry.qid in entries:
            raise InputError(f"{path}:{number}: question {entry.qid!r} appears twice")
        entries[entry.qid] = entry
        systems.append(system)
    named = {s for s in systems if s}
    if len(named) > 1:
        raise InputError(f"{path}: lines name several systems ({', '.join(sorted(named))})")
    return Run(named.pop() if named else path.stem, tuple(entries.values()), str(path))


def parse_entry(line: str) -> tuple[Entry, str | None]:
    """One JSONL line of a run; ValueError with the reason."""
    try:
        obj = json.loads(line)
    except (ValueError, RecursionError):
        raise ValueError("bad JSON") from None
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    qid = obj.get("id")
    if isinstance(qid, bool) or not isinstance(qid, str | int):
        raise ValueError("no 'id' (the question's id)")
    raw = obj.get("passages")
    if not isinstance(raw, list):
        raise ValueError("'passages' must be a list of texts or objects with 'text'")
    if len(raw) > MAX_PASSAGES:
        raise ValueError(f"more than {MAX_PASSAGES} passages")
    passages = tuple(_passage(p, rank) for rank, p in enumerate(raw, start=1))
    answer = obj.get("answer")
    if answer is not None and not isinstance(answer, str):
        raise ValueError("'answer' must be a string")
    abstained = obj.get("abstained", False)
    if not isinstance(abstained, bool):
        raise ValueError("'abstained' must be true or false")
    seconds = obj.get("seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float)
                                or not math.isfinite(seconds) or seconds < 0):
        raise ValueError("'seconds' must be a number >= 0")
    system = obj.get("system")
    if system is not None and not isinstance(system, str):
        raise ValueError("'system' must be a string")
    kind, confidence = obj.get("kind", "fact"), obj.get("confidence", "low")
    if not isinstance(kind, str) or not isinstance(confidence, str):
        raise ValueError("'kind' and 'confidence' must be strings")
    return Entry(str(qid), passages, answer, abstained, seconds, kind, confidence), system


def _passage(p: object, rank: int) -> Retrieved:
    if isinstance(p, str):
        return Retrieved(f"r{rank}", p)
    if not isinstance(p, dict) or not isinstance(p.get("text"), str):
        raise ValueError(f"passage {rank} must be a text or an object with 'text'")
    sources = p.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ValueError(f"passage {rank}: 'sources' must be a list of strings")
    pid = p.get("id", f"r{rank}")
    return Retrieved(str(pid), p["text"], tuple(sources))


def _trec(text: str, path: Path, passages_by_id) -> Run:
    rows: dict[str, list[tuple[float, int, str]]] = {}
    tags = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 6:
            raise InputError(f"{path}:{number}: expected 'qid Q0 docid rank score tag'")
        qid, _, doc, rank, score, tag = parts
        try:
            key = (-float(score), int(rank), doc)
        except ValueError:
            raise InputError(f"{path}:{number}: rank and score must be numbers") from None
        if not math.isfinite(key[0]):
            raise InputError(f"{path}:{number}: the score is not a finite number")
        if passages_by_id(doc) is None:
            raise InputError(f"{path}:{number}: passage {doc!r} is not in this paper's index "
                             "(footnoted's passage ids, as `footnoted ask --json` gives them)")
        rows.setdefault(qid, []).append(key)
        tags.add(tag)
    entries = []
    for qid, docs in rows.items():
        ranked = [d for _, _, d in sorted(docs)]
        if len(set(ranked)) != len(ranked):
            raise InputError(f"{path}: question {qid!r} lists a passage twice")
        entries.append(Entry(qid, tuple(passages_by_id(d) for d in ranked[:MAX_PASSAGES])))
    system = tags.pop() if len(tags) == 1 else path.stem
    return Run(system, tuple(entries), str(path))


def index_passages(data):
    """`passages_by_id` over an index (`index.build.IndexData`): chunk id -> its passage."""
    notes = data.footnote_map
    chunks = {c.id: c for c in data.chunks}

    def lookup(pid: str) -> Retrieved | None:
        c = chunks.get(pid)
        if c is None:
            return None
        sources = tuple(dict.fromkeys(notes[n].source for n in c.footnotes
                                      if n in notes and notes[n].source))
        return Retrieved(c.id, c.text, sources)

    return lookup
