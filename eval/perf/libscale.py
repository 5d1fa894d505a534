"""Measures the library at scale: a generated library of 1 to 1,000 papers, the time to add
one more and to ask them all a question, and the memory it takes (issue 26, the scale curve).

    python -m eval.perf.libscale [--sizes 1,10,100,1000] [--questions 20] [--adds 3]
                                 [--keep N] [--out reports/library] [--work DIR]

The library is generated in `--work/home` (default: a temporary folder, removed at the end;
a kept one is grown further by a later run, and the adds then go into all of it: each row
says how many papers the library held), beside a library of one paper (`--work/one`), both
sharing one exported ONNX model (`$FOOTNOTED_MODELS`, else `--work/models`). Three
real corpus PDFs (`SEEDS`, 158-172 chunks each) are added with `index.library.add`; the rest
are clones of them (`clone`): a folder under `<home>/papers/clone-NNNN/` whose `paper.json`
names it, whose chunk vectors (`chunks.npy` and the exact FAISS index made from them) are the
seed's plus seeded gaussian noise, normalised again (cosine about 0.9 to the seed's), with the
manifest's checksums of those two files made anew, and every other file (the source PDF, the
sentences, token vectors, BM25, document) hard-linked to the seed's. Each clone therefore
passes every check a saved index gets on opening and is loaded, not rebuilt: an engine opened
with any other status is an error, reported. Clones are good for timing, not for quality: the
router sees distinct papers, but a clone's sentences and words are its seed's.

For each size N, the library grows to N papers (seeds first, then clones) and then:
- adding one more real PDF (`EXTRA`, not a seed) with `library.add` is timed `--adds` times,
  each followed by its removal and each just after the same add into a library of one paper
  (the ratio of the pair is the figure: the load is the same for both); every file of the
  other papers is compared (inode, mtime, size, link target) before and after: "no rebuild
  of the others"; what the add reads of the whole library (`scans`) is timed alone;
- a fresh process (so its peak memory is this size's) opens `Collection.open(home, names)`
  over the N papers, asks a first question (the first engine's open and, above 8 papers, the
  router's build included), then the `--questions` corpus questions (the seeds', drawn with a
  fixed seed) twice over: the first pass (cold: engines opened as the router picks them), then
  the second, where each question is asked once (warm: the engines the LRU of 32 kept from
  before), again at once (hot: its engines all open), and of the first seed alone, whose
  engine is opened beside the collection and shares its models (one paper). Question times
  are medians and 95th percentiles; the stages (`Collection.ask`'s laps: embed, route, open,
  search, fusion, answer) are medians per question. Peak memory is that process's VmHWM.

`--keep N` asks with N engines kept open instead of `config.library.keep`. The checkout's
commit is recorded at the start and for each size (the measuring process reads the code
anew): a change during the run is reported as an error, as a rebuilt engine or another
paper's file changed by an add is.
Writes scale.json, scale.md and scale.png to `--out`; docs/performance.md holds a run. The
machine is shared and has 2 cores: compare the ratios taken inside one run, not absolute times.
Leaves out the quality of answers over the library (`reports/library/quality.md`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

SEEDS = ("holmes-early-forms-liability", "turner-frontier", "plurality-widening-gulf")
EXTRA = "plurality-lost-dao"  # the paper whose add is timed at each size (not a seed)
CLONE = "clone-{:04d}"
NOISE = 0.025  # per dimension: |noise| ~ 0.025 * sqrt(384) ~ 0.49, cosine to the seed ~ 0.9
REWRITTEN = ("chunks.npy", "chunks.faiss", "manifest.json")  # a clone's own files
SIZES = (1, 10, 100, 1000)
QUESTION_SEED = 26
ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error"}
ROOT = Path(__file__).resolve().parents[2]
Stat = tuple[int, int, int, str]  # inode, mtime (ns), size, link target ("" for a file)


def corpus_papers() -> Path:
    import corpus

    return Path(corpus.__file__).resolve().parent / "papers"


def paper_pdf(name: str) -> Path:
    return corpus_papers() / name / "paper.pdf"


def big_cap():
    """A cap the generated library never reaches (the default refuses the 201st paper)."""
    from index.library import Cap

    return Cap(papers=1_000_000, bytes=1 << 50)


# --- the generated library ---------------------------------------------------------------

def add_seed(home: Path, seed: str, embedder) -> str:
    """Adds the corpus paper `seed` for real under its own name; its library name."""
    from index.library import add, find

    if find(home, seed) is None:
        add(paper_pdf(seed), home, embedder, name=seed, cap=big_cap())
    return seed


def varied(vecs: np.ndarray, number: int, noise: float = NOISE) -> np.ndarray:
    """The vectors plus seeded gaussian noise, normalised again (rows stay unit length)."""
    rng = np.random.default_rng(number)
    out = vecs.astype(np.float32) + rng.normal(0.0, noise, vecs.shape).astype(np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def link_tree(src: Path, dst: Path, skip: Sequence[str]) -> None:
    """Hard-links every file under `src` into `dst` (same layout), except those in `skip`."""
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_dir():
            (dst / rel).mkdir(parents=True, exist_ok=True)
        elif str(rel) not in skip:
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(path, dst / rel)


def clone_build(build: Path, target: Path, number: int) -> None:
    """A copy of the saved index `build` at `target`: its chunk vectors varied, the rest
    hard-linked, the manifest's checksums of the rewritten files made anew."""
    import faiss

    from index.build import flat_index
    from index.store import file_sha

    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("vector_index", {}).get("type") != "IndexFlatIP":
        raise SystemExit(f"libscale: {build} has no exact chunk index; pick a smaller seed")
    link_tree(build, target, REWRITTEN)
    vecs = varied(np.load(build / "chunks.npy", allow_pickle=False), number)
    np.save(target / "chunks.npy", vecs, allow_pickle=False)
    faiss.write_index(flat_index(vecs), str(target / "chunks.faiss"))
    files = manifest["files"] | {name: file_sha(target / name) for name in REWRITTEN[:2]}
    manifest |= {"files": files,
                 "generated": f"libscale clone {number} of {build.parent.parent.name}"}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def clone(home: Path, seed: str, number: int) -> str:
    """Clone `number` of the library paper `seed`, as `clone-NNNN`; its name. Made in a
    hidden folder and renamed into place, as `library.add` does."""
    from index.library import read_entry
    from index.store import LIBRARY, current_build

    papers = home / LIBRARY
    name = CLONE.format(number)
    source = papers / seed
    entry = json.loads((source / "paper.json").read_text(encoding="utf-8"))
    build = current_build(source)
    tmp = papers / f".tmp-{os.getpid()}-{name}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for f in source.iterdir():
        if f.is_file() and f.name not in ("paper.json", "build.lock"):
            os.link(f, tmp / f.name)
    clone_build(build, tmp / "builds" / build.name, number)
    (tmp / "current").symlink_to(Path("builds") / build.name)
    entry |= {"name": name, "title": f"{entry['title']} (generated copy {number})",
              "added": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    (tmp / "paper.json").write_text(json.dumps(entry, indent=2, ensure_ascii=False),
                                    encoding="utf-8")
    os.rename(tmp, papers / name)
    if read_entry(papers / name) is None:
        raise SystemExit(f"libscale: the clone {name} is not a library paper")
    return name


def library_order(home: Path, seeds: Sequence[str] = SEEDS) -> list[str]:
    """The generated library's papers: the seeds added, then the clones by number."""
    from index.library import entries

    names = {e.name for e in entries(home)}
    clones = sorted(n for n in names if n.startswith("clone-"))
    return [s for s in seeds if s in names] + clones


def grow(home: Path, size: int, embedder, seeds: Sequence[str] = SEEDS) -> list[str]:
    """The library grown to at least `size` papers (seeds added for real first, then clones
    of them in turn); its papers in order."""
    names = library_order(home, seeds)
    for seed in seeds[len([n for n in names if n in seeds]):size]:
        add_seed(home, seed, embedder)
    names = library_order(home, seeds)
    added = [s for s in seeds if s in names]
    number = len(names) - len(added)
    while len(names) < size:
        number += 1
        names.append(clone(home, added[(number - 1) % len(added)], number))
    return names


def passages(home: Path, names: Sequence[str]) -> int:
    """Chunks (passages) of the papers, as their library entries say."""
    from index.library import find

    return sum(find(home, n).chunks for n in names)


def disk_bytes(folder: Path) -> int:
    """Bytes of the files under `folder`, a hard-linked file counted once."""
    seen: dict[int, int] = {}
    for root, _, files in os.walk(folder):
        for f in files:
            st = os.lstat(os.path.join(root, f))
            seen[st.st_ino] = st.st_size
    return sum(seen.values())


# --- adding one more ----------------------------------------------------------------------

def snapshot(home: Path, skip: Sequence[str] = ()) -> dict[str, Stat]:
    """Every file and link of every library paper but those in `skip`: what it is on disk."""
    from index.store import LIBRARY

    out: dict[str, Stat] = {}
    papers = home / LIBRARY
    for folder in papers.iterdir():
        if folder.name.startswith(".") or folder.name in skip or not folder.is_dir():
            continue
        for root, dirs, files in os.walk(folder):
            for f in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                path = os.path.join(root, f)
                st = os.lstat(path)
                target = os.readlink(path) if os.path.islink(path) else ""
                out[os.path.relpath(path, papers)] = (st.st_ino, st.st_mtime_ns, st.st_size,
                                                      target)
    return out


def changed(before: dict[str, Stat], after: dict[str, Stat]) -> list[str]:
    """The paths made, removed or touched between two snapshots."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def timed_add(home: Path, pdf: Path, embedder) -> dict:
    """`library.add` of `pdf` into the library, timed; which other papers' files it changed;
    then the paper removed again."""
    from index.library import add, remove

    before = snapshot(home)
    t0 = time.perf_counter()
    added = add(pdf, home, embedder, cap=big_cap())
    seconds = time.perf_counter() - t0
    touched = changed(before, snapshot(home, skip=(added.entry.name,)))
    if not added.new:
        raise SystemExit(f"libscale: {pdf.name} was already in the library as "
                         f"{added.entry.name}; the add timed nothing")
    remove(home, added.entry.name)
    return {"seconds": seconds, "chunks": added.entry.chunks, "others_changed": touched,
            "files_checked": len(before)}


def scans(home: Path) -> float:
    """Seconds of what `library.add` reads of the whole library whatever the paper: every
    entry, for the same-file look-up and the room check (which also sizes every file), and
    the same-file look-up again under the lock."""
    from index.library import check_room, entries, same_file

    t0 = time.perf_counter()
    check_room(home, big_cap(), entries(home))
    same_file(home, "")
    return time.perf_counter() - t0


def adds(home: Path, one: Path, times: int, embedder) -> dict:
    """`times` adds of `EXTRA` into the library at `home`, each just after one into the
    one-paper library at `one` (the same load for both): seconds, ratios, files touched."""
    pairs = [(timed_add(one, paper_pdf(EXTRA), embedder),
              timed_add(home, paper_pdf(EXTRA), embedder)) for _ in range(times)]
    into = [b["seconds"] for _, b in pairs]
    return {"add_s": into, "add_median_s": statistics.median(into),
            "add_one_s": [a["seconds"] for a, _ in pairs],
            "add_one_median_s": statistics.median(a["seconds"] for a, _ in pairs),
            "add_over_one": statistics.median(b["seconds"] / a["seconds"] for a, b in pairs),
            "add_scans_s": scans(home),
            "add_others_changed": sorted({p for _, b in pairs for p in b["others_changed"]}),
            "add_files_checked": pairs[0][1]["files_checked"]}


# --- asking (in a fresh process) ----------------------------------------------------------

def questions(count: int, seeds: Sequence[str] = SEEDS, seed: int = QUESTION_SEED) -> list[str]:
    """`count` of the seed papers' corpus questions, drawn with a fixed seed."""
    pool = []
    for name in seeds:
        with (corpus_papers() / name / "questions.jsonl").open(encoding="utf-8") as f:
            pool += [json.loads(line)["question"] for line in f if line.strip()]
    return random.Random(seed).sample(pool, min(count, len(pool)))


class Laps:
    """`Collection.ask`'s laps: milliseconds per stage of one question."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = self.stages.get(stage, 0.0) + 1000 * (now - self.last)
        self.last = now


def memory() -> dict[str, float]:
    """This process's peak and current resident memory, MB (VmHWM, VmRSS), and of the
    current, what is its own (RssAnon) and what are pages of files it maps (RssFile: the
    token vectors read from the papers' memory-mapped files, shared with the system's page
    cache, which takes them back under pressure)."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS", "RssAnon", "RssFile"):
            out[key] = int(value.split()[0]) / 1024
    return out


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def summary(times: Sequence[float]) -> dict:
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "n": len(times)}


def stage_medians(laps: Sequence[dict[str, float]]) -> dict[str, float]:
    stages = dict.fromkeys(s for lap in laps for s in lap)
    return {s: statistics.median(lap.get(s, 0.0) for lap in laps) for s in stages}


def counting(collection, opens: list[dict]) -> None:
    """Makes `collection` record every engine it opens: name, seconds, status."""
    inner = collection.open_one

    def open_one(name: str):
        t0 = time.perf_counter()
        engine = inner(name)
        opens.append({"name": name, "s": time.perf_counter() - t0, "status": engine.status})
        return engine

    collection.open_one = open_one


def ask_timed(collection, question: str, k: int = 5) -> tuple[float, dict, object]:
    laps = Laps()
    t0 = laps.last
    answer = collection.ask(question, k=k, lap=laps)
    return 1000 * (time.perf_counter() - t0), laps.stages, answer


class Pass:
    """Questions asked of a collection one by one: their times, stages and engines opened."""

    def __init__(self, opens: list[dict]) -> None:
        self.opens = opens  # every engine the collection opened (`counting`)
        self.times: list[float] = []
        self.laps: list[dict[str, float]] = []
        self.opened: list[int] = []

    def ask(self, collection, question: str) -> None:
        before = len(self.opens)
        ms, stages, _ = ask_timed(collection, question)
        self.times.append(ms)
        self.laps.append(stages)
        self.opened.append(len(self.opens) - before)

    def figures(self) -> dict:
        return {**summary(self.times), "stages_ms": stage_medians(self.laps),
                "opens_per_question": statistics.mean(self.opened) if self.opened else 0.0,
                "times_ms": self.times}


def passes(collection, alone, qs: Sequence[str], opens: list[dict]) -> dict:
    """The questions asked cold, then each warm, at once again (hot) and of `alone`."""
    cold, warm, hot = Pass(opens), Pass(opens), Pass(opens)
    for q in qs:
        cold.ask(collection, q)
    one: list[float] = []
    for q in qs:
        warm.ask(collection, q)
        hot.ask(collection, q)
        t0 = time.perf_counter()
        alone.ask(q, k=5)
        one.append(1000 * (time.perf_counter() - t0))
    return {"cold": cold.figures(), "warm": warm.figures(), "hot": hot.figures(),
            "one_paper": {**summary(one), "times_ms": one}}


def config(keep: int | None = None):
    """The default configuration, or with `keep` engines kept open instead of its own."""
    from dataclasses import replace

    from index.config import Config

    base = Config()
    return base if keep is None else replace(base, library=replace(base.library, keep=keep))


def not_loaded(opens: Sequence[dict]) -> list[dict]:
    """The engines opened some other way than from their saved index (a rebuild)."""
    return [o for o in opens if not o["status"].startswith("loaded")]


def measure(home: Path, names: Sequence[str], qs: Sequence[str], one: str,
            keep: int | None = None) -> dict:
    """What asking `names` together costs, in this process (a fresh one per size)."""
    from index.collection import Collection
    from index.opening import open_engine

    opens: list[dict] = []
    t0 = time.perf_counter()
    collection = Collection.open(home, names=names, config=config(keep))
    counting(collection, opens)
    open_s = time.perf_counter() - t0
    first_ms, first_stages, answer = ask_timed(collection, qs[0])
    router = collection._router  # noqa: SLF001 - its size, once the first question made it
    lent = collection.engine(names[0])
    alone = open_engine(one, home, collection.config, embedder=lent.embedder,
                        models=lent.models)
    asked = passes(collection, alone, qs, opens)
    return {"papers": len(names), "collection_open_s": open_s,
            "first_question_s": first_ms / 1000, "first_stages_ms": first_stages,
            "router_build_s": first_stages.get("route", 0.0) / 1000 if router else None,
            "router_rows": int(router.index.ntotal) if router else 0,
            "first_answer_papers": sorted({p.paper for p in answer.passages}), **asked,
            "engine_opens": len(opens),
            "engine_open_s_median": statistics.median(o["s"] for o in opens) if opens else None,
            "rebuilt": not_loaded([*opens, {"name": one, "status": alone.status}]),
            "memory_mb": memory()}


def measure_fresh(home: Path, names: Sequence[str], qs: Sequence[str], one: str,
                  work: Path, keep: int | None = None) -> dict:
    """`measure` in a fresh Python process; its figures."""
    job = work / f"job-{len(names)}.json"
    job.write_text(json.dumps({"home": str(home), "names": list(names), "questions": list(qs),
                               "one": one, "keep": keep}), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "eval.perf.libscale", "--measure", str(job)],
                          cwd=ROOT, env=os.environ | ENV, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"libscale: measuring {len(names)} papers failed:\n"
                         f"{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the run ------------------------------------------------------------------------------

def commit() -> str:
    """The checkout's commit (short), or "" where there is none: the code measured."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def one_size(home: Path, one: Path, size: int, embedder, qs: Sequence[str], times: int,
             work: Path, keep: int | None = None) -> dict:
    """Grows the library to `size` papers; times adding one more, and asking them."""
    names = grow(home, size, embedder)[:size]
    row = {"papers": size, "passages": passages(home, names),
           "library_papers": len(library_order(home)), **adds(home, one, times, embedder),
           "library_disk_bytes": disk_bytes(home / "papers"), "commit": commit(),
           **measure_fresh(home, names, qs, names[0], work, keep)}
    for which in ("warm", "hot", "cold"):
        row[f"ratio_{which}"] = row[which]["p50_ms"] / row["one_paper"]["p50_ms"]
    return row


def check(rows: Sequence[dict], start: str = "") -> list[str]:
    """What makes the figures wrong rather than slow: a rebuilt engine, a touched paper, the
    code changing under the run (the process measuring a size reads the checkout anew)."""
    seen = sorted({start, *(r["commit"] for r in rows), commit()} - {""})
    out = [f"the checkout changed during the run ({', '.join(seen)})"] if len(seen) > 1 else []
    for r in rows:
        if r["rebuilt"]:
            out.append(f"{r['papers']} papers: {len(r['rebuilt'])} engines were not loaded "
                       f"(first: {r['rebuilt'][0]})")
        if r["add_others_changed"]:
            out.append(f"{r['papers']} papers: adding one changed "
                       f"{len(r['add_others_changed'])} files of other papers "
                       f"(first: {r['add_others_changed'][0]})")
    return out


def seed_facts(home: Path) -> list[dict]:
    from index.library import find

    return [{"name": s, "chunks": find(home, s).chunks, "pages": find(home, s).pages}
            for s in SEEDS if find(home, s) is not None]


def prepare(home: Path, embedder) -> None:
    """The first seed added and opened once here: the ONNX query model is
    exported before anything is timed, and a seed and a clone are seen to load."""
    from index.opening import open_engine

    grow(home, 1, embedder)
    status = open_engine(SEEDS[0], home).status
    if not status.startswith("loaded"):
        raise SystemExit(f"libscale: the seed {SEEDS[0]} was {status}, not loaded")


def run(sizes: Sequence[int], count: int, work: Path, times: int = 3, keep: int | None = None,
        say: Callable[[str], None] = print) -> dict:
    """The scale curve, the library generated in `work` (kept: a later run grows it)."""
    from index.embed import Embedder

    os.environ.setdefault("FOOTNOTED_MODELS", str(work / "models"))  # one export for all
    home, one = work / "home", work / "one"
    embedder = Embedder()
    started, at = time.time(), commit()
    load_start = os.getloadavg()
    prepare(home, embedder)
    grow(one, 1, embedder)
    qs = questions(count)
    rows = []
    for size in sorted(sizes):
        t0 = time.perf_counter()
        rows.append(one_size(home, one, size, embedder, qs, times, work, keep))
        r = rows[-1]
        say(f"{size} papers: {r['passages']} passages, add {r['add_median_s']:.1f} s "
            f"({r['add_over_one']:.2f}x the add into one paper's), "
            f"warm p50 {r['warm']['p50_ms']:.0f} ms vs one paper "
            f"{r['one_paper']['p50_ms']:.0f} ms ({r['ratio_warm']:.2f}x), peak "
            f"{r['memory_mb']['VmHWM']:.0f} MB ({time.perf_counter() - t0:.0f} s)")
    return {"sizes": list(sorted(sizes)), "questions": qs, "seeds": seed_facts(home),
            "extra": EXTRA, "noise": NOISE, "adds_per_size": times, "keep": keep,
            "models": os.environ["FOOTNOTED_MODELS"], "rows": rows,
            "errors": check(rows, at), "commit": at, "cpus": os.cpu_count(),
            "load_average_start": load_start,
            "load_average_end": os.getloadavg(),
            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
            "minutes": (time.time() - started) / 60}


# --- the report ---------------------------------------------------------------------------

def table(report: dict) -> str:
    head = ("| papers | passages | add s (median) | first question s | router build s | "
            "warm p50 ms | warm p95 ms | cold p50 ms | hot p50 ms | one paper p50 ms | "
            "warm / one | hot / one | peak RSS MB | at the end: own / mapped files MB |")
    lines = [head, "|" + "---|" * 14]
    for r in report["rows"]:
        build = "-" if r["router_build_s"] is None else f"{r['router_build_s']:.2f}"
        lines.append(
            f"| {r['papers']:,} | {r['passages']:,} | {r['add_median_s']:.1f} | "
            f"{r['first_question_s']:.2f} | {build} | {r['warm']['p50_ms']:.0f} | "
            f"{r['warm']['p95_ms']:.0f} | {r['cold']['p50_ms']:.0f} | {r['hot']['p50_ms']:.0f} | "
            f"{r['one_paper']['p50_ms']:.0f} | **{r['ratio_warm']:.2f}x** | "
            f"{r['ratio_hot']:.2f}x | {r['memory_mb']['VmHWM']:.0f} | "
            f"{r['memory_mb'].get('RssAnon', float('nan')):.0f} / "
            f"{r['memory_mb'].get('RssFile', float('nan')):.0f} |")
    return "\n".join(lines)


def adds_table(report: dict) -> str:
    lines = ["| papers in the library | add s, each | add into a 1-paper library s, each "
             "(just before) | ratio, median of the pairs | of which whole-library reads s | "
             "other papers' files checked | changed |", "|" + "---|" * 7]
    for r in report["rows"]:
        lines.append(f"| {r['library_papers']:,} | {', '.join(f'{x:.1f}' for x in r['add_s'])} | "
                     f"{', '.join(f'{x:.1f}' for x in r['add_one_s'])} | "
                     f"{r['add_over_one']:.2f}x | {r['add_scans_s']:.2f} | "
                     f"{r['add_files_checked']:,} | {len(r['add_others_changed'])} |")
    return "\n".join(lines)


def stages_table(report: dict) -> str:
    order = ("embed", "route", "open", "search", "fusion", "answer")
    lines = ["| papers | pass | " + " | ".join(order) + " | engines opened a question | "
             "one open, median ms |", "|" + "---|" * (len(order) + 4)]
    for r in report["rows"]:
        each = r["engine_open_s_median"]
        for which in ("cold", "warm", "hot"):
            s = r[which]["stages_ms"]
            lines.append(f"| {r['papers']:,} | {which} | "
                         + " | ".join(f"{s.get(k, 0.0):.0f}" for k in order)
                         + f" | {r[which]['opens_per_question']:.1f} | "
                         + ("-" if each is None else f"{1000 * each:.0f}") + " |")
    return "\n".join(lines)


def markdown(report: dict) -> str:
    seeds = ", ".join(f"{s['name']} ({s['chunks']} chunks)" for s in report["seeds"])
    errors = report["errors"] or ["none: every engine opened was loaded, and no add touched "
                                  "another paper's files"]
    keep = "the configuration's" if report["keep"] is None else str(report["keep"])
    return "\n".join([
        "# The library at scale: adding a paper and asking them all",
        "",
        f"Generated library: the seeds {seeds} added for real, the rest clones of them "
        f"(chunk vectors varied, noise {report['noise']} a dimension; all else hard-linked). "
        f"{len(report['questions'])} corpus questions, k = 5; engines kept open: {keep}. "
        f"Times in ms unless marked; `warm / one` is the headline ratio (p50 over the library "
        f"/ p50 of the first seed alone, in the same process). Add: `library.add` of "
        f"{report['extra']}, median of {report['adds_per_size']}, removed after each.",
        "",
        table(report),
        "",
        "Adding one paper (each add paired with one into a library of 1 paper, just before):",
        "",
        adds_table(report),
        "",
        "Medians of each stage of a question (ms), and engines opened per question:",
        "",
        stages_table(report),
        "",
        "Problems: " + "; ".join(errors),
        "",
        f"{report['cpus']} CPUs (shared), load average {report['load_average_start'][0]:.1f} "
        f"at the start, {report['load_average_end'][0]:.1f} at the end; started "
        f"{report['started']}, {report['minutes']:.0f} minutes; commit {report['commit']}.",
    ])


def plot(report: dict, path: Path) -> None:
    """Two panels against papers (log): question time p50, and the asking process's peak."""
    from ..plots import _pyplot

    plt = _pyplot()
    rows = report["rows"]
    xs = [r["papers"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for key, label, style in (("warm", "library, warm", "o-"), ("hot", "library, hot", "s--"),
                              ("cold", "library, cold", "^:"),
                              ("one_paper", "one paper alone", "d-")):
        left.plot(xs, [r[key]["p50_ms"] for r in rows], style, label=label)
    left.plot(xs, [2 * r["one_paper"]["p50_ms"] for r in rows], color="grey", lw=1,
              ls="-.", label="2x one paper (the target)")
    left.set(yscale="log", ylabel="question time, p50 (ms)", title="Question time")
    left.legend(fontsize=8)
    right.plot(xs, [r["memory_mb"]["VmHWM"] for r in rows], "o-")
    right.set(ylabel="peak RSS (MB)", title="Peak memory of the asking process", ylim=(0, None))
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xticks(xs, [f"{x / 1000:g}k" if x >= 1000 else str(x) for x in xs])
        ax.set_xlabel("papers in the library")
        ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (out / "scale.md").write_text(markdown(report) + "\n", encoding="utf-8")
    plot(report, out / "scale.png")


def measure_main(job: Path) -> int:
    spec = json.loads(job.read_text(encoding="utf-8"))
    result = measure(Path(spec["home"]), spec["names"], spec["questions"], spec["one"],
                     spec.get("keep"))
    print(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.perf.libscale", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="library sizes, in papers (default 1,10,100,1000)")
    parser.add_argument("--questions", type=int, default=20, help="questions asked per size")
    parser.add_argument("--adds", type=int, default=3, help="adds timed per size")
    parser.add_argument("--keep", type=int, help="engines the collection keeps open (default: "
                        "the configuration's, config.library.keep)")
    parser.add_argument("--out", type=Path, default=Path("reports/library"))
    parser.add_argument("--work", type=Path, help="where the library is generated (kept, and "
                        "grown further by a later run); default a temporary folder, removed")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the fresh process
    args = parser.parse_args(argv)
    if args.measure:
        return measure_main(args.measure)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not sizes or min(sizes) < 1 or args.questions < 1 or args.adds < 1 \
            or (args.keep is not None and args.keep < 1):
        parser.error("sizes, questions, adds and keep must be at least 1")
    work = args.work or Path(tempfile.mkdtemp(prefix="libscale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        report = run(sizes, args.questions, work.resolve(), args.adds, args.keep)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    write(report, args.out)
    print(markdown(report))
    return 1 if report["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
