"""The Evaluation view: the latest benchmark report as markdown, its plots as inline images.

`report_markdown(folder)` and `plots_html(folder)` read `report.md` and the PNGs `eval/report.py`
writes; the PNGs are embedded as data URIs, so Gradio serves no file from that folder.
Leaves out measuring anything itself (`eval/`) and the explorer (`eval_view`).
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from eval.report import PLOTS

NO_REPORT = ("No evaluation report yet in `{folder}`. Press **Run the benchmark** (a few "
             "minutes) or run `footnoted eval` in a terminal.")


def report_markdown(folder: Path) -> str:
    path = Path(folder) / "report.md"
    if not path.is_file():
        return NO_REPORT.format(folder=folder)
    return path.read_text(encoding="utf-8")


def plots_html(folder: Path) -> str:
    imgs = []
    for name in PLOTS:
        path = Path(folder) / name
        if path.is_file():
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            what = name.removesuffix(".png").replace("_", " ")
            imgs.append(f'<figure><img src="data:image/png;base64,{data}" '
                        f'alt="Plot: {escape(what)}">'
                        f"<figcaption>{escape(name)}</figcaption></figure>")
    return f'<div class="plots">{"".join(imgs)}</div>' if imgs else ""
