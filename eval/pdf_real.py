"""`python -m eval.pdf_real --docs DIR`: the PDF ingest against hand-written answer keys.

The PDFs are real ones no one here wrote: documentation from Debian's texlive doc packages,
fetched and unpacked without installing (about 240 MB):

    apt-get download texlive-humanities-doc texlive-publishers-doc
    for f in texlive-*-doc_*.deb; do dpkg -x "$f" DIR; done

Each key (eval/pdf_keys/*.json, written by reading the PDFs: their pages, headings, every
footnote marker with the words it follows and the text of the note it calls) names its file
and sha256. Reported per PDF and in all:
- marker-to-footnote precision and recall: a key marker is found when a sentence on its page
  contains the words it follows and carries a note with its printed mark, and the link is
  correct when that note's text starts as the key's does; precision counts every link the
  parse made (every footnote marker on every sentence), recall every marker of the key;
- exact footnote text: key notes whose text the parse reproduces exactly (whitespace
  collapsed), and how many once a space before punctuation is also ignored;
- headings found (key headings among the section titles) and page labels right.
Writes pdf_real.json and pdf_real.md to --out. Leaves out fetching (the command above).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
from pathlib import Path

KEYS = Path(__file__).parent / "pdf_keys"
FETCH = ("apt-get download texlive-humanities-doc texlive-publishers-doc && "
         "for f in texlive-*-doc_*.deb; do dpkg -x \"$f\" DIR; done")


def squash(text: str) -> str:
    return " ".join(text.split())


def loose(text: str) -> str:
    """Whitespace collapsed, no space before closing punctuation, lower case."""
    return re.sub(r"\s+([.,;:!?)\]])", r"\1", squash(text)).lower()


def links(doc) -> list[dict]:
    """Every marker the parse attached: its sentence, pages, printed mark and note text."""
    out = []
    for s in doc.sentences:
        for n in s.footnotes:
            note = doc.footnote(n)
            out.append({"pages": s.pages, "sentence": loose(s.text),
                        "mark": (note.mark or str(n)) if note else str(n),
                        "text": loose(note.text) if note else ""})
    return out


def score(doc, key: dict) -> dict:
    found = links(doc)
    used: set[int] = set()
    correct = 0
    misses = []
    for m in key["markers"]:
        hit = next((i for i, p in enumerate(found) if i not in used and m["page"] in p["pages"]
                    and p["mark"] == m["mark"] and loose(m["before"]) in p["sentence"]), None)
        if hit is not None and found[hit]["text"].startswith(loose(m["text"])[:40]):
            used.add(hit)
            correct += 1
        else:
            misses.append(f"p{m['page']} {m['mark']} after {m['before']!r}")
    texts = {squash(f.text) for f in doc.footnotes}
    loose_texts = {loose(f.text) for f in doc.footnotes}
    notes = {squash(m["text"]) for m in key["markers"]}
    titles = {re.sub(r"\W+", " ", s.title.lower()).strip() for s in doc.sections}
    heads = [h for h in key["headings"] if re.sub(r"\W+", " ", h.lower()).strip() in titles]
    labels = key["page_labels"]
    return {
        "links_made": len(found), "key_markers": len(key["markers"]), "correct": correct,
        "precision": correct / len(found) if found else 0.0,
        "recall": correct / len(key["markers"]),
        "notes": len(notes), "exact_text": sum(t in texts for t in notes),
        "exact_text_loose": sum(loose(t) in loose_texts for t in notes),
        "headings": len(key["headings"]), "headings_found": len(heads),
        "labels": len(labels),
        "labels_right": sum(doc.label(int(p)) == v for p, v in labels.items()),
        "pages_right": doc.pages == key["pages"], "missed": misses,
    }


def run(docs: Path) -> dict:
    from ingest import load_document

    results = {}
    for path in sorted(KEYS.glob("*.json")):
        key = json.loads(path.read_text(encoding="utf-8"))
        pdf = docs / key["path"]
        if not pdf.is_file():
            raise SystemExit(f"missing {pdf}: fetch it with: {FETCH}")
        if hashlib.sha256(pdf.read_bytes()).hexdigest() != key["sha256"]:
            raise SystemExit(f"{pdf} is not the version the key was written for "
                             f"({key['package']} {key['version']})")
        t0 = time.perf_counter()
        doc = load_document(pdf)
        results[path.stem] = {"file": key["path"], "pages": key["pages"],
                              "seconds": round(time.perf_counter() - t0, 2), **score(doc, key)}
    total = {k: sum(r[k] for r in results.values())
             for k in ("links_made", "key_markers", "correct", "notes", "exact_text",
                       "exact_text_loose", "headings", "headings_found")}
    total["precision"] = total["correct"] / total["links_made"] if total["links_made"] else 0.0
    total["recall"] = total["correct"] / total["key_markers"]
    return {"documents": results, "total": total}


def markdown(report: dict) -> str:
    rows = ["| PDF | pages | links made | key markers | correct | precision | recall | exact "
            "note text | headings found | page labels | seconds |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in report["documents"].items():
        rows.append(f"| {name} | {r['pages']} | {r['links_made']} | {r['key_markers']} | "
                    f"{r['correct']} | {r['precision']:.3f} | {r['recall']:.3f} | "
                    f"{r['exact_text']}/{r['notes']} ({r['exact_text_loose']} loose) | "
                    f"{r['headings_found']}/{r['headings']} | "
                    f"{r['labels_right']}/{r['labels']} | {r['seconds']} |")
    t = report["total"]
    rows.append(f"| **all** | | {t['links_made']} | {t['key_markers']} | {t['correct']} | "
                f"**{t['precision']:.3f}** | **{t['recall']:.3f}** | "
                f"{t['exact_text']}/{t['notes']} ({t['exact_text_loose']} loose) | "
                f"{t['headings_found']}/{t['headings']} | | |")
    missed = [f"- {n}: {m}" for n, r in report["documents"].items() for m in r["missed"]]
    return "\n".join(rows + (["", "Missed:"] + missed if missed else [])) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", required=True, help="where the .deb files were unpacked")
    ap.add_argument("--out", default="reports/pdf")
    args = ap.parse_args(argv)
    report = run(Path(args.docs))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "pdf_real.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    text = markdown(report)
    (out / "pdf_real.md").write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
