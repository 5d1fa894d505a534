"""`python -m eval.perf.ingest_bench`: how long ingest takes, for text as it grows and for PDFs.

- Text: the bundled paper repeated to 5, 10 and 20 MB, parsed with `parse_document` (warm:
  the sentence tables loaded first; the fastest of --repeat interleaved rounds); the seconds,
  seconds per MB and the 20/5 MB ratio (4.0 is linear growth).
- PDF: the bundled paper typeset as a 10-page PDF (eval.fixtures.pdfgen, reportlab), and with --docs
  the real 10-page two-column mnras_guide.pdf of texlive-publishers-doc (eval.pdf_real says
  how to fetch it): `load_document` warm (median of --repeat runs, split into pdfminer's
  reading and our stages) and cold (a fresh Python process: imports, tables and all).
Figures are reported, never asserted: this machine is shared. Writes ingest_bench.json and
ingest_bench.md to --out. Leaves out indexing (`footnoted bench`).
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

MNRAS = "usr/share/doc/texlive-doc/latex/mnras/mnras_guide.pdf"


def grown_text(megabytes: int) -> str:
    from corpus import PAPER

    paper = PAPER.read_text(encoding="utf-8")
    copies = megabytes * 1024 * 1024 // len(paper.encode("utf-8")) + 1
    return "\n".join([paper] * copies)


def text_growth(sizes: list[int], repeat: int) -> list[dict]:
    """Seconds to parse each size: the fastest of `repeat` rounds, sizes interleaved, so each
    size sees the same load from the machine's other users."""
    import gc

    from ingest import parse_document
    from ingest.sentences import tokenizer

    tokenizer()
    texts = {mb: grown_text(mb) for mb in sizes}
    best: dict[int, float] = {}
    counts: dict[int, int] = {}
    for _ in range(repeat):
        for mb in sizes:
            gc.collect()
            t0 = time.perf_counter()
            doc = parse_document(texts[mb])
            best[mb] = min(best.get(mb, float("inf")), time.perf_counter() - t0)
            counts[mb] = len(doc.sentences)
            del doc
    rows = []
    for mb in sizes:
        real = len(texts[mb].encode("utf-8")) / 2**20
        rows.append({"megabytes": round(real, 1), "seconds": round(best[mb], 2),
                     "seconds_per_mb": round(best[mb] / real, 3), "sentences": counts[mb]})
    return rows


def pdf_timing(name: str, data: bytes, repeat: int) -> dict:
    from ingest.pdf.parse import layout_document
    from ingest.pdf.read import read_pdf
    from ingest.sentences import tokenizer

    tokenizer()
    reads, stages = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        content = read_pdf(data)
        t1 = time.perf_counter()
        doc = layout_document(content)
        stages.append(time.perf_counter() - t1)
        reads.append(t1 - t0)
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as f:
        f.write(data)
    try:
        code = ("import time; t=time.perf_counter(); from ingest import load_document; "
                f"load_document({f.name!r}); print(time.perf_counter()-t)")
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        cold = float(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                    text=True, check=True, env=env).stdout)
    finally:
        os.unlink(f.name)
    warm = [a + b for a, b in zip(reads, stages, strict=True)]
    return {"pdf": name, "pages": doc.pages,
            "warm_seconds": round(statistics.median(warm), 3),
            "pdfminer_seconds": round(statistics.median(reads), 3),
            "our_stages_seconds": round(statistics.median(stages), 3),
            "cold_seconds": round(cold, 2), "sentences": len(doc.sentences),
            "footnotes": sum(not n.missing for n in doc.footnotes)}


def markdown(report: dict) -> str:
    lines = [f"load average at the end: {report['load']}", "",
             "| text | seconds | s/MB | sentences |", "|---|---|---|---|"]
    for r in report["text"]:
        lines.append(f"| {r['megabytes']} MB | {r['seconds']} | {r['seconds_per_mb']} | "
                     f"{r['sentences']} |")
    if len(report["text"]) > 1:
        first, last = report["text"][0], report["text"][-1]
        lines.append(f"\ngrowth: {last['megabytes'] / first['megabytes']:.1f}x the text took "
                     f"{last['seconds'] / first['seconds']:.1f}x the time")
    lines += ["", "| PDF | pages | warm s (pdfminer + ours) | cold s (fresh process) |",
              "|---|---|---|---|"]
    for r in report["pdf"]:
        lines.append(f"| {r['pdf']} | {r['pages']} | {r['warm_seconds']} "
                     f"({r['pdfminer_seconds']} + {r['our_stages_seconds']}) | "
                     f"{r['cold_seconds']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from corpus import PAPER
    from eval.fixtures.pdfgen import paper_pdf

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5,10,20", help="text sizes in MB")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--docs", help="where texlive-publishers-doc was unpacked (optional)")
    ap.add_argument("--out", default="reports/ingest")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    report = {"pdf": [pdf_timing("bundled paper, typeset (eval.fixtures.pdfgen)",
                                 paper_pdf(PAPER.read_text(encoding="utf-8")), args.repeat)]}
    if args.docs:
        real = Path(args.docs) / MNRAS
        report["pdf"].append(pdf_timing("mnras_guide.pdf (two columns, TeX)",
                                        real.read_bytes(), args.repeat))
    report["text"] = text_growth(sizes, args.repeat)
    report["load"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest_bench.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    text = markdown(report)
    (out / "ingest_bench.md").write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
