"""`python -m eval.pdf_real --docs DIR`: the PDF ingest against hand-written answer keys.

The PDFs are real ones no one here wrote: documentation from Debian's texlive doc packages,
fetched and unpacked without installing (about 240 MB):

    apt-get download texlive-humanities-doc texlive-publishers-doc
    for f in texlive-*-doc_*.deb; do dpkg -x "$f" DIR; done

and the corpus's own papers (corpus/papers/, "package": "corpus" in their keys). Each key
(eval/pdf_keys/*.json, written by reading the PDFs' pages, not the parser's output: title,
headings, every footnote marker with the words it follows and the start of the note it calls,
the Ibid.-type notes with the note they refer back to, lines that are not body) names its file
and sha256. Reported per PDF and in all:
- marker-to-footnote precision and recall: a key marker is found when a sentence on its page
  (or the title, or a caption, for the notes printed there) contains the words it follows and
  carries a note with its printed mark, and the link is correct when that note's text starts
  as the key's does; precision counts every link the parse made, recall every marker of the
  key;
- exact footnote text (the Debian keys give whole notes): key notes whose text the parse
  reproduces exactly (whitespace collapsed), and how many once a space before punctuation is
  also ignored;
- headings: recall (key headings among the section titles) and precision (section titles that
  are key headings); the title (letters and digits alike up to one in ten); page labels;
- Ibid.-type notes whose source holds their antecedent's once, with their own locator once
  (one whose work no earlier note cites must stay unresolved); notes still saying
  "(continued"; table-of-contents lines left in the body.
Writes pdf_real.json and pdf_real.md to --out. Leaves out fetching (the command above).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import time
from pathlib import Path

from ingest.records import UNTITLED

KEYS = Path(__file__).parent / "pdf_keys"
ROOT = Path(__file__).resolve().parents[1]  # keys of the corpus's own papers ("package":
# "corpus") name paths in the repository
FETCH = ("apt-get download texlive-humanities-doc texlive-publishers-doc && "
         "for f in texlive-*-doc_*.deb; do dpkg -x \"$f\" DIR; done")


def squash(text: str) -> str:
    return " ".join(text.split())


def loose(text: str) -> str:
    """Whitespace collapsed, no space before closing punctuation, lower case."""
    return re.sub(r"\s+([.,;:!?)\]])", r"\1", squash(text)).lower()


def links(doc) -> list[dict]:
    """Every marker the parse attached: its sentence, pages, printed mark and note text; a
    title note's "sentence" is the title and byline it sits on."""
    out = []
    for n in doc.title_notes:
        note = doc.footnote(n)
        out.append({"pages": (1,), "sentence": loose(" ".join([doc.title, *doc.authors])),
                    "mark": (note.mark or str(n)) if note else str(n),
                    "text": loose(note.text) if note else ""})
    for extra in doc.extras:  # a caption's notes
        for n in extra.footnotes:
            note = doc.footnote(n)
            out.append({"pages": (extra.page,), "sentence": loose(extra.text),
                        "mark": (note.mark or str(n)) if note else str(n),
                        "text": loose(note.text) if note else ""})
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
    notes = {squash(m["text"]) for m in key["markers"]} if key.get("package") != "corpus" \
        else set()  # the corpus keys give each note's first words, not its whole text
    titles = {heading(s.title) for s in doc.sections}
    heads = [h for h in key["headings"] if heading(h) in titles]
    wanted = {heading(h) for h in key["headings"]}
    made = [s.title for s in doc.sections if s.title != UNTITLED]
    labels = key["page_labels"]
    body = loose(doc.body)
    sentences = "\n".join(squash(x.text) for x in doc.sentences)  # what chunks are made of
    return {
        "links_made": len(found), "key_markers": len(key["markers"]), "correct": correct,
        "precision": correct / len(found) if found else 0.0,
        "recall": correct / len(key["markers"]) if key["markers"] else 0.0,
        "notes": len(notes), "exact_text": sum(t in texts for t in notes),
        "exact_text_loose": sum(loose(t) in loose_texts for t in notes),
        "headings": len(key["headings"]), "headings_found": len(heads),
        "labels": len(labels),
        "labels_right": sum(doc.label(int(p)) == v for p, v in labels.items()),
        "pages_right": doc.pages == key["pages"], "missed": misses,
        "sections_made": len(made), "sections_right": sum(heading(t) in wanted for t in made),
        "wrong_headings": [t for t in made if heading(t) not in wanted],
        "title": doc.title, "title_right": title_right(doc.title, key.get("title", "")),
        "not_body": len(key.get("not_body", [])),
        "in_body": [t for t in key.get("not_body", []) if len(t) >= 20 and loose(t) in body],
        "continued": sum("(continued" in f.text.lower() for f in doc.footnotes),
        "contents_in_body": sum(squash(e.text) in sentences for e in doc.extras
                                if e.kind == "contents" and len(e.text) >= 12),
        **ibid_check(doc, key.get("ibid_notes", [])),
    }


def heading(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def title_right(found: str, printed: str) -> bool:
    """Letters and digits the same up to one in ten (a printed "LaTeX" reads "LAT X")."""
    a, b = (re.sub(r"[\W_]+", "", t.lower()) for t in (found, printed))
    return bool(a) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.9


def note_at(doc, page: int, mark: str, text: str):
    """The parsed note of a key's page, mark and text."""
    start = loose(text)[:30]
    return next((f for f in doc.footnotes if loose(f.text).startswith(start)
                 and (f.mark or str(f.number)) == mark and f.page in (page, page + 1)), None) \
        or next((f for f in doc.footnotes if loose(f.text).startswith(start)), None)


def ibid_check(doc, notes: list[dict]) -> dict:
    """Each Ibid.-type note of the key: its source holds the antecedent's text once, and its
    own locator once (the locator may also be the antecedent's: then it may appear twice)."""
    wrong = []
    for k in notes:
        note = note_at(doc, k["page"], k["mark"], k["text"])
        ante = k.get("antecedent")
        if note is None:
            wrong.append(f"p{k['page']} {k['mark']}: not found")
            continue
        if ante is None:  # its work is cited in no earlier note: it must stay unresolved
            if note.ibid_of is not None:
                wrong.append(f"p{k['page']} {k['mark']}: resolved to note {note.ibid_of}")
            continue
        first = next((m for m in doc.footnotes if (m.mark or str(m.number)) == ante["mark"]
                      and m.page in (ante["page"], ante["page"] + 1)), None)
        source = loose(note.source or "")
        base = loose(first.source or first.text).rstrip(".") if first else ""
        locator = loose(k.get("locator", ""))
        ok = bool(base) and source.count(base[:60]) == 1 and (
            not locator or source.count(locator) in (1, loose(base).count(locator) + 1))
        if not ok:
            wrong.append(f"p{k['page']} {k['mark']}: {note.source!r}")
    return {"ibid_notes": len(notes), "ibid_right": len(notes) - len(wrong),
            "ibid_wrong": wrong}


def run(docs: Path) -> dict:
    from ingest import load_document

    results = {}
    for path in sorted(KEYS.glob("*.json")):
        key = json.loads(path.read_text(encoding="utf-8"))
        pdf = (ROOT if key.get("package") == "corpus" else docs) / key["path"]
        if not pdf.is_file():
            raise SystemExit(f"missing {pdf}: fetch it with: {FETCH}")
        if hashlib.sha256(pdf.read_bytes()).hexdigest() != key["sha256"]:
            raise SystemExit(f"{pdf} is not the version the key was written for "
                             f"({key['package']} {key.get('version', '')})")
        t0 = time.perf_counter()
        doc = load_document(pdf)
        results[path.stem] = {"file": key["path"], "pages": key["pages"],
                              "seconds": round(time.perf_counter() - t0, 2), **score(doc, key)}
    total = {k: sum(r[k] for r in results.values())
             for k in ("links_made", "key_markers", "correct", "notes", "exact_text",
                       "exact_text_loose", "headings", "headings_found", "sections_made",
                       "sections_right", "ibid_notes", "ibid_right", "continued")}
    total["precision"] = total["correct"] / total["links_made"] if total["links_made"] else 0.0
    total["recall"] = total["correct"] / total["key_markers"]
    total["heading_precision"] = total["sections_right"] / max(1, total["sections_made"])
    total["heading_recall"] = total["headings_found"] / max(1, total["headings"])
    total["titles_right"] = sum(r["title_right"] for r in results.values())
    total["documents"] = len(results)
    total["contents_in_body"] = sum(r["contents_in_body"] for r in results.values())
    return {"documents": results, "total": total}


def markdown(report: dict) -> str:
    rows = ["| PDF | pages | links made | key markers | correct | precision | recall | exact "
            "note text | headings found | sections right | title | Ibid.-type right | "
            "page labels | seconds |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in report["documents"].items():
        exact = (f"{r['exact_text']}/{r['notes']} ({r['exact_text_loose']} loose)"
                 if r["notes"] else "n/a")
        rows.append(f"| {name} | {r['pages']} | {r['links_made']} | {r['key_markers']} | "
                    f"{r['correct']} | {r['precision']:.3f} | {r['recall']:.3f} | {exact} | "
                    f"{r['headings_found']}/{r['headings']} | "
                    f"{r['sections_right']}/{r['sections_made']} | "
                    f"{'right' if r['title_right'] else 'WRONG: ' + r['title']} | "
                    f"{r['ibid_right']}/{r['ibid_notes']} | "
                    f"{r['labels_right']}/{r['labels']} | {r['seconds']} |")
    t = report["total"]
    rows.append(f"| **all** | | {t['links_made']} | {t['key_markers']} | {t['correct']} | "
                f"**{t['precision']:.3f}** | **{t['recall']:.3f}** | "
                f"{t['exact_text']}/{t['notes']} ({t['exact_text_loose']} loose) | "
                f"{t['headings_found']}/{t['headings']} (**{t['heading_recall']:.3f}**) | "
                f"{t['sections_right']}/{t['sections_made']} "
                f"(**{t['heading_precision']:.3f}**) | "
                f"**{t['titles_right']}/{t['documents']}** | "
                f"{t['ibid_right']}/{t['ibid_notes']} | | |")
    rows += ["", f"Notes still saying \"(continued\": {t['continued']}; table-of-contents lines "
             f"in the body (so in a chunk): {t['contents_in_body']}."]
    missed = [f"- {n}: {m}" for n, r in report["documents"].items() for m in r["missed"]]
    wrong = [f"- {n}: heading {h!r} is none of the key's" for n, r in
             report["documents"].items() for h in r["wrong_headings"]]
    wrong += [f"- {n}: Ibid.-type note {w}" for n, r in report["documents"].items()
              for w in r["ibid_wrong"]]
    return "\n".join(rows + (["", "Missed:"] + missed if missed else [])
                     + (["", "Wrong:"] + wrong if wrong else [])) + "\n"


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
