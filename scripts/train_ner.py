"""Train the character BiLSTM-CRF entity recogniser (`make train-ner`); writes models/ner/.

Data: the TRAIN splits of ../shared/data/ner (MSRA, CLUENER2020, Weibo, Resume, and Boson's
records outside its duplicate groups, 90 % by a hash of the id), labels mapped by
train_ner_labels.tsv.  Where a dataset folds companies into organisations (MSRA, Weibo, Resume:
"ORG*"), the CRF is trained with partial labels: any path that tags the span as COMPANY or as
ORG is correct, so the company/organisation distinction is learned from CLUENER and Boson and
applied everywhere.  Optionally (`--duee FILE`, off by default; tried and not shipped, see the
model card) business news from DuEE train (Baidu's terms: non-commercial use): the names its
event arguments give (acquirer, company raising money, who resigned, ...; train_ner_duee.tsv)
are weak labels, a span of the role's type with the rest of the sentence unlabelled, so the CRF
sums over every tagging that agrees with them.  Augmentation puts generated Latin-script,
transliterated and titled names into some training sentences (train_ner_names.tsv).  Held out
for model selection: 3 % of the MSRA and CLUENER training sentences and Boson's remaining 10 %;
the public dev/test splits are only for the final figures (`make bench`).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections import Counter
import re
from dataclasses import dataclass, replace
from pathlib import Path

import jieba.posseg as jieba_posseg
import numpy as np
import torch
from torch import nn

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.ner_model import (  # noqa: E402
    LABELS, LEXICON_WIDTH, SCRIPTS, TAGS, Encoded, Featurizer, allowed_ends, allowed_starts,
    allowed_transitions, chunks, norm_char, spans_from_tags,
)
from pipeline.segmentation import JiebaSegmenter  # noqa: E402
from pipeline.titles import title_kinds  # noqa: E402

HERE = Path(__file__).resolve().parent
TRAIN_FILES = {
    "msra": "msra/train.jsonl",
    "cluener2020": "cluener2020/train.jsonl",
    "weibo": "weibo/train.jsonl",
    "resume": "resume/train.jsonl",
    "boson": "boson/all.jsonl",
}
AMBIGUOUS = "ORG*"
ANY_NAME = "NAME*"  # a weak label: a person, company or organisation, the model decides which
DUEE_TRAIN = REPO.parent / "shared" / "data" / "re" / "duee" / "duee_train.json"


@dataclass
class Example:
    dataset: str
    text: str
    spans: list[tuple[int, int, str]]  # label PERSON / COMPANY / ORG / LOC / ORG* / NAME*
    partial: bool = False  # only the spans are labelled; every other character may be anything


# --- data ------------------------------------------------------------------------------------

def label_maps() -> dict[str, dict[str, str]]:
    maps: dict[str, dict[str, str]] = {}
    for line in (HERE / "train_ner_labels.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            dataset, source, target = line.split("\t")
            maps.setdefault(dataset, {})[source] = target
    return maps


def _held_out(record_id: str, percent: int) -> bool:
    return int(hashlib.sha1(record_id.encode()).hexdigest(), 16) % 100 < percent


def load(data: Path) -> tuple[list[Example], list[Example]]:
    """(train, held-out) examples, cut into chunks the way the model sees text at run time."""
    maps = label_maps()
    groups = json.loads((data / "boson" / "duplicate_groups.json").read_text(encoding="utf-8"))["groups"]
    boson_dupes = {i for group in groups for i in group}
    train, held = [], []
    for dataset, name in TRAIN_FILES.items():
        for line in (data / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if dataset == "boson" and record["id"] in boson_dupes:
                continue  # annotated several times, differently
            spans = []
            for e in record["entities"]:
                label = maps[dataset][e["label"]]
                if label != "O":
                    spans.append((e["start"], e["end"], label))
            percent = {"boson": 10, "msra": 3, "cluener2020": 3}.get(dataset, 0)
            target = held if _held_out(f"{dataset}:{record['id']}", percent) else train
            target.extend(_chunked(dataset, record["text"], spans))
    return train, held


def duee_rules() -> tuple[dict[str, str], dict[str, set[str]]]:
    """(role → label, filter kind → words) from train_ner_duee.tsv."""
    roles: dict[str, str] = {}
    rules: dict[str, set[str]] = {}
    for line in (HERE / "train_ner_duee.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, value, *label = line.split("\t")
            if kind == "role":
                roles[value] = label[0]
            else:
                rules.setdefault(kind, set()).add(value)
    return roles, rules


_NOT_IN_NAME = set("()（）%％【】[]《》“”\"'‘’、，,。；;：:@#/ ")
_COUNTED = re.compile(r"\d+[年月日岁个名家位]")


def name_in_argument(argument: str, rules: dict[str, set[str]], titles: list[str]) -> tuple[int, str, bool] | None:
    """(offset, name, a person's name after a description) of the name a DuEE argument gives, or
    None when it describes: a name after a description ("蔚来汽车软件负责人庄莉" → 庄莉) is kept alone."""
    if not 2 <= len(argument) <= 20 or _NOT_IN_NAME & set(argument) or _COUNTED.search(argument):
        return None
    if argument.startswith(tuple(rules["start"])) or argument.endswith(tuple(rules["end"])) \
            or any(w in argument for w in rules["contains"]) or argument in rules["generic"]:
        return None
    words = [(w.word, w.flag) for w in jieba_posseg.cut(argument)]
    last, flag = words[-1]
    if len(words) > 1 and flag in ("nr", "nrfg", "nrt", "eng") and len(last) >= 2:
        return len(argument) - len(last), last, flag != "eng"
    if any(t in argument for t in titles) or (len(words) == 1 and flag[0] in "rvamtd"):
        return None
    return 0, argument, False


def load_duee(path: Path) -> list[Example]:
    """Weakly labelled business and general news: DuEE train sentences with the names its event
    arguments give (roles in train_ner_duee.tsv) as spans of the role's type, nothing else labelled."""
    roles, rules = duee_rules()
    titles = [t for t in title_kinds() if len(t) >= 2]
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        spans = set()
        for event in record["event_list"]:
            for arg in event["arguments"]:
                found = name_in_argument(arg["argument"], rules, titles) if arg["role"] in roles else None
                if found:
                    offset, name, person = found
                    start = arg["argument_start_index"] + offset
                    spans.add((start, start + len(name), "PERSON" if person else roles[arg["role"]]))
        kept = _without_overlaps(sorted(spans))
        if kept:
            out.extend(replace(ex, partial=True) for ex in _chunked("duee", record["text"], kept))
    return out


def _without_overlaps(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for span in spans:
        if not out or span[0] >= out[-1][1]:
            out.append(span)
    return out


def _chunked(dataset: str, text: str, spans: list[tuple[int, int, str]]) -> list[Example]:
    pieces = chunks(text)
    merged: list[list[int]] = []
    for start, end in pieces:  # never cut inside an entity
        if merged and any(s < start < e for s, e, _ in spans):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    out = []
    for start, end in merged:
        inside = [(s - start, e - start, label) for s, e, label in spans if start <= s and e <= end]
        out.append(Example(dataset, text[start:end], inside))
    return out


# --- augmentation ----------------------------------------------------------------------------

class Names:
    """Generated names from generic parts: Latin persons and companies, transliterations."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: dict[str, list[str]] = {}
        for line in (HERE / "train_ner_names.tsv").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                kind, part = line.split("\t")
                self.parts.setdefault(kind, []).append(part)
        self.titles = [t for t in title_kinds() if not t.islower()]

    def pick(self, kind: str) -> str:
        return self.rng.choice(self.parts[kind])

    def latin_person(self) -> str:
        roll = self.rng.random()
        if roll < 0.15:
            return self.pick("first")
        if roll < 0.3:
            return f"{self.pick('first')} {self.pick('first')} {self.pick('surname')}"
        if roll < 0.4:
            return f"{self.pick('first')} {self.pick('surname')[0]}. {self.pick('surname')}"
        return f"{self.pick('first')} {self.pick('surname')}"

    def transliterated(self) -> str:
        part = lambda: "".join(self.rng.choice(self.parts["translit"]) for _ in range(self.rng.randint(2, 4)))  # noqa: E731
        return f"{part()}{self.rng.choice('·-·')}{part()}"

    def latin_company(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return self.pick("stem") + self.pick("stem")  # one word: "DeepPath"
        if roll < 0.8:
            return f"{self.pick('stem')} {self.pick('suffix')}"
        return f"{self.pick('stem')}{self.pick('stem').lower()} {self.pick('suffix')}"


def augment(example: Example, names: Names, rng: random.Random) -> Example:
    """Some person and company names replaced by generated ones; some names get a title before."""
    text, spans, shift, out = example.text, sorted(example.spans), 0, []
    pieces: list[str] = []
    pos, changed = 0, False
    for start, end, label in spans:
        pieces.append(text[pos:start])
        name = text[start:end]
        roll = rng.random()
        if label == "PERSON" and roll < 0.12:
            name = names.latin_person()
        elif label == "PERSON" and roll < 0.17:
            name = names.transliterated()
        elif label == "COMPANY" and roll < 0.2:
            name = names.latin_company()
        if label == "PERSON" and rng.random() < 0.06:
            title = rng.choice(names.titles)
            gap = " " if title.isascii() or name[0].isascii() else ""
            pieces.append(title + gap)
            shift += len(title) + len(gap)
        changed = changed or name != text[start:end] or shift != 0
        new_start = start + shift
        pieces.append(name)
        shift += len(name) - (end - start)
        out.append((new_start, new_start + len(name), label))
        pos = end
    pieces.append(text[pos:])
    return replace(example, text="".join(pieces), spans=out) if changed else example


# --- encoding --------------------------------------------------------------------------------

def vocabularies(examples: list[Example]) -> tuple[dict[str, int], dict[str, int]]:
    chars: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for ex in examples:
        normed = [norm_char(c) for c in ex.text]
        chars.update(normed)
        padded = ["<s>", *normed, "</s>"]
        bigrams.update(padded[i] + padded[i + 1] if i else "<s>" + padded[1] for i in range(len(padded) - 1))
    char_vocab = {c: i + 2 for i, (c, n) in enumerate(x for x in chars.most_common() if x[1] >= 2)}
    bigram_vocab = {b: i + 2 for i, (b, n) in enumerate(x for x in bigrams.most_common(120_000) if x[1] >= 3)}
    return char_vocab, bigram_vocab  # 0 = padding, 1 = unknown


_KINDS = {AMBIGUOUS: ("COMPANY", "ORG"), ANY_NAME: ("PERSON", "COMPANY", "ORG")}


def allowed_tags(length: int, spans: list[tuple[int, int, str]], partial: bool = False) -> np.ndarray:
    """(T, K) which tags each character may carry: one tag, two for an ORG* span, three for a
    NAME* span; outside the spans O, or anything in a partially labelled example."""
    mask = np.zeros((length, len(TAGS)), dtype=bool)
    mask[:, 0] = True
    if partial:
        mask[:, :] = True
    for start, end, label in spans:
        mask[start:end, :] = False
        for kind in _KINDS.get(label, (label,)):
            if end - start == 1:
                mask[start, TAGS.index(f"S-{kind}")] = True
            else:
                mask[start, TAGS.index(f"B-{kind}")] = True
                for i in range(start + 1, end - 1):
                    mask[i, TAGS.index(f"I-{kind}")] = True
                mask[end - 1, TAGS.index(f"E-{kind}")] = True
    return mask


def encode(example: Example, featurizer: Featurizer, segmenter: JiebaSegmenter) -> tuple[Encoded, np.ndarray]:
    return (featurizer.encode(example.text, segmenter.spans(example.text)),
            allowed_tags(len(example.text), example.spans, example.partial))


# --- the network (mirrors pipeline.ner_model.CharTagger) --------------------------------------

class Tagger(nn.Module):
    def __init__(self, n_chars: int, n_bigrams: int, args: argparse.Namespace) -> None:
        super().__init__()
        self.emb = nn.ModuleDict({
            "char": nn.Embedding(n_chars, args.char_dim, padding_idx=0),
            "bigram": nn.Embedding(n_bigrams, args.bigram_dim, padding_idx=0),
            "segment": nn.Embedding(5, 8),
            "script": nn.Embedding(len(SCRIPTS), 8),
        })
        self.lexicon = nn.Linear(LEXICON_WIDTH, 16)
        width = args.char_dim + 2 * args.bigram_dim + 8 + 8 + 16
        self.input = nn.Linear(width, args.input_dim)
        self.lstm = nn.LSTM(args.input_dim, args.hidden, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(args.dropout)
        self.output = nn.Linear(2 * args.hidden, len(TAGS))
        k = len(TAGS)
        self.transitions = nn.Parameter(torch.zeros(k, k))
        self.start = nn.Parameter(torch.zeros(k))
        self.end = nn.Parameter(torch.zeros(k))
        penalty = -1e4
        self.register_buffer("trans_mask", torch.tensor(np.where(allowed_transitions(), 0.0, penalty), dtype=torch.float32))
        self.register_buffer("start_mask", torch.tensor(np.where(allowed_starts(), 0.0, penalty), dtype=torch.float32))
        self.register_buffer("end_mask", torch.tensor(np.where(allowed_ends(), 0.0, penalty), dtype=torch.float32))

    def crf(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.transitions + self.trans_mask, self.start + self.start_mask, self.end + self.end_mask

    def emissions(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        b, t = batch["chars"].shape
        x = torch.cat([
            self.emb["char"](batch["chars"]),
            self.emb["bigram"](batch["bigrams"]).reshape(b, t, -1),
            self.emb["segment"](batch["segment"]),
            self.emb["script"](batch["script"]),
            self.lexicon(batch["lexicon"]),
        ], dim=2)
        x = torch.tanh(self.input(self.dropout(x)))
        packed = nn.utils.rnn.pack_padded_sequence(x, batch["lengths"], batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=t)
        return self.output(self.dropout(h))

    def log_partition(self, scores: torch.Tensor, mask: torch.Tensor, allowed: torch.Tensor | None) -> torch.Tensor:
        """log Σ exp(path score) over all paths, or only over the paths `allowed` permits."""
        trans, start, end = self.crf()
        if allowed is not None:
            scores = scores.masked_fill(~allowed, -1e4)
        alpha = start + scores[:, 0]
        for i in range(1, scores.shape[1]):
            step = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + scores[:, i]
            alpha = torch.where(mask[:, i].unsqueeze(1), step, alpha)
        return torch.logsumexp(alpha + end, dim=1)

    def loss(self, batch: dict[str, torch.Tensor]) -> torch.Tensor:
        scores = self.emissions(batch)
        mask = batch["mask"]
        return (self.log_partition(scores, mask, None) - self.log_partition(scores, mask, batch["allowed"])).mean()


def to_batch(items: list[tuple[Encoded, np.ndarray]]) -> dict[str, torch.Tensor]:
    lengths = [len(e.chars) for e, _ in items]
    width, b = max(lengths), len(items)
    out = {
        "chars": np.zeros((b, width), np.int64), "bigrams": np.zeros((b, width, 2), np.int64),
        "segment": np.zeros((b, width), np.int64), "script": np.zeros((b, width), np.int64),
        "lexicon": np.zeros((b, width, LEXICON_WIDTH), np.float32),
        "mask": np.zeros((b, width), bool), "allowed": np.ones((b, width, len(TAGS)), bool),
    }
    for i, (e, allowed) in enumerate(items):
        n = len(e.chars)
        out["chars"][i, :n] = e.chars
        out["bigrams"][i, :n] = e.bigrams
        out["segment"][i, :n] = e.segment
        out["script"][i, :n] = e.script
        out["lexicon"][i, :n] = e.lexicon
        out["mask"][i, :n] = True
        out["allowed"][i, :n] = allowed
    batch = {k: torch.from_numpy(v) for k, v in out.items()}
    batch["lengths"] = torch.tensor(lengths)
    return batch


def buckets(items: list, size: int, rng: random.Random) -> list[list]:
    """Batches of similar length (less padding), in random order."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i][0].chars), rng.random()))
    groups = [[items[i] for i in order[k:k + size]] for k in range(0, len(order), size)]
    rng.shuffle(groups)
    return groups


# --- evaluation and export -------------------------------------------------------------------

def export(model: Tagger) -> dict[str, np.ndarray]:
    """The weights under the names pipeline.ner_model.CharTagger reads; big tables as float16."""
    out = {}
    for name, tensor in model.state_dict().items():
        if name.endswith("_mask") or name in ("transitions", "start", "end"):
            continue
        array = tensor.detach().numpy()
        if name.startswith("emb."):
            out[name.removesuffix(".weight")] = array.astype(np.float16)
        else:
            out[name] = array
    trans, start, end = model.crf()
    out["crf.transitions"], out["crf.start"], out["crf.end"] = (x.detach().numpy() for x in (trans, start, end))
    return out


def evaluate(model_dir: Path, held: list[Example], featurizer: Featurizer, segmenter: JiebaSegmenter) -> dict:
    """Span P/R/F1 per label family on the held-out examples, decoded with the numpy tagger."""
    from pipeline.ner_model import CharTagger

    tagger, _, _ = CharTagger.load(model_dir)
    counts: Counter[str] = Counter()
    family = {"PERSON": "PERSON", "COMPANY": "ORG", "ORG": "ORG", AMBIGUOUS: "ORG", "LOC": "LOC"}
    for k in range(0, len(held), 256):
        batch = [ex for ex in held[k:k + 256] if ex.text]
        encoded = [featurizer.encode(ex.text, segmenter.spans(ex.text)) for ex in batch]
        for ex, path in zip(batch, tagger.decode(encoded)):
            gold = {(s, e, family[l]) for s, e, l in ex.spans}
            pred = {(s, e, family[l]) for s, e, l in spans_from_tags(path)}
            for label in ("PERSON", "ORG", "LOC"):
                g = {x for x in gold if x[2] == label}
                p = {x for x in pred if x[2] == label}
                counts[label, "tp"] += len(g & p)
                counts[label, "fp"] += len(p - g)
                counts[label, "fn"] += len(g - p)
    scores = {}
    for label in ("PERSON", "ORG", "LOC"):
        tp, fp, fn = counts[label, "tp"], counts[label, "fp"], counts[label, "fn"]
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        scores[label] = round(2 * p * r / max(p + r, 1e-9), 4)
    return scores


def save(model: Tagger, out: Path, chars: dict, bigrams: dict, args: argparse.Namespace, extra: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "weights.npz", **export(model))
    (out / "vocab.json").write_text(json.dumps({"chars": chars, "bigrams": bigrams}, ensure_ascii=False), encoding="utf-8")
    config = {"labels": list(LABELS), "tags": list(TAGS), "recipe": vars(args) | {"data": str(args.data)}, **extra}
    (out / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner")
    parser.add_argument("--out", type=Path, default=REPO / "models" / "ner")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--char-dim", type=int, default=80)
    parser.add_argument("--bigram-dim", type=int, default=40)
    parser.add_argument("--input-dim", type=int, default=160)
    parser.add_argument("--hidden", type=int, default=150)
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--upsample", default="cluener2020=2,boson=2,weibo=2",
                        help="dataset=times to repeat its training examples")
    parser.add_argument("--duee", type=Path, default=None,
                        help=f"DuEE train file for weak labels from event arguments (e.g. {DUEE_TRAIN})")
    parser.add_argument("--limit", type=int, default=0, help="use only this many training chunks (smoke test)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"train_ner: no NER data at {args.data}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    started = time.monotonic()
    train, held = load(args.data)
    if args.duee and args.duee.is_file():
        weak = load_duee(args.duee)
        print(f"DuEE weak labels: {len(weak):,} chunks, {sum(len(ex.spans) for ex in weak):,} names", flush=True)
        train += weak
    if args.limit:
        rng.shuffle(train)
        train, held = train[:args.limit], held[: max(args.limit // 10, 50)]
    upsample = {k: int(v) for k, v in (x.split("=") for x in args.upsample.split(",") if x)}
    train = [ex for ex in train for _ in range(upsample.get(ex.dataset, 1)) if ex.text.strip()]
    names = Names(rng)
    segmenter = JiebaSegmenter()
    chars, bigrams = vocabularies(train)
    featurizer = Featurizer(chars, bigrams, segmenter._jieba)
    originals = [encode(ex, featurizer, segmenter) for ex in train]  # re-encoded only when augmented
    print(f"train chunks {len(train):,}, held-out {len(held):,}, chars vocab {len(chars):,}, "
          f"bigrams {len(bigrams):,}", flush=True)
    model = Tagger(len(chars) + 2, len(bigrams) + 2, args)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-5)
    total_steps = args.epochs * (len(train) // args.batch + 1)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=total_steps, pct_start=0.1)
    best, best_scores, history = -1.0, {}, []
    for epoch in range(1, args.epochs + 1):
        model.train()
        items = []
        for ex, original in zip(train, originals):
            augmented = augment(ex, names, rng)
            items.append(original if augmented is ex else encode(augmented, featurizer, segmenter))
        loss_sum, steps = 0.0, 0
        for batch_items in buckets(items, args.batch, rng):
            loss = model.loss(to_batch(batch_items))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            scheduler.step()
            loss_sum += loss.item()
            steps += 1
        model.eval()
        save(model, args.out, chars, bigrams, args, {})
        scores = evaluate(args.out, held, featurizer, segmenter)
        mean = (scores["PERSON"] + scores["ORG"]) / 2
        history.append({"epoch": epoch, "loss": round(loss_sum / steps, 4), "held_out_f1": scores})
        print(f"epoch {epoch}: loss {loss_sum / steps:.3f}, held-out F1 {scores}, "
              f"{(time.monotonic() - started) / 60:.1f} min", flush=True)
        if mean > best:
            best, best_scores = mean, scores
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    save(model, args.out, chars, bigrams, args,
         {"held_out_f1": best_scores, "history": history,
          "training_minutes": round((time.monotonic() - started) / 60, 1),
          "training_chunks": len(train)})
    print(f"wrote {args.out} (best held-out {best_scores})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
