"""The crisis net's second reading: a small model learnt from people's own phrasings.

The patterns (services/crisis.py) say precisely what they catch, and miss what nobody
wrote down: testers who had not read them kept finding a crisis said another way (a
plan without the word, a goodbye, a newcomer's grammar, a misspelling). This model
reads what the patterns did not catch, from the words, word pairs and triples and the
letter groups of the text (so a misspelt word still meets its kind), and says how likely
the text is a crisis, and which kind.

It is a multinomial logistic regression learnt from `data/crisis_examples.json` (crisis
phrasings and ordinary searches near them by four testers, everyday needs written apart)
and the need lexicon's phrases, a fifth of the examples held out (by a hash of their
text) to measure it; `proxima train-crisis-model` learns it again with numpy and writes
`data/crisis_model.json`, the same bytes for the same examples. A search reads it in
plain Python, a fraction of a millisecond. Where the patterns read nothing and the model
reads a crisis, the numbers are offered quietly (crisis.may_be_a_crisis): it also reads
much ordinary distress as one.
"""

import hashlib
import json
import math
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLES = DATA / "crisis_examples.json"
MODEL = DATA / "crisis_model.json"
NONE, KINDS = "none", ("suicide", "danger_to_others", "violence")
LABELS = (NONE, *KINDS)
# A crisis when the model is this sure (measured on the held-out fifth: see the tests).
THRESHOLD = 0.8
HELD_OUT_SHARE = 5  # one example in five
EPOCHS, RATE, L2 = 30, 0.2, 1e-4


def features(text: str) -> set[str]:
    """Words, pairs and triples of words, and each word's groups of four letters, of
    the text as the patterns read it (spoken contractions spelt out, accents gone,
    figures of speech taken out: crisis.prepare)."""
    from proxima.directory.services.crisis import prepare

    return prepared_features(prepare(text))


def prepared_features(prepared: str) -> set[str]:
    words = prepared.split()
    found = set()
    for i, word in enumerate(words):
        found.add("w:" + word)
        if i + 1 < len(words):
            found.add(f"b:{word}_{words[i + 1]}")
        if i + 2 < len(words):
            found.add(f"t:{word}_{words[i + 1]}_{words[i + 2]}")
        marked = f"<{word}>"
        found.update("c:" + marked[j : j + 4] for j in range(len(marked) - 3))
    return found


def held_out(text: str) -> bool:
    """Whether an example is kept out of the learning, to measure the model."""
    return hashlib.sha256(text.encode()).digest()[0] % HELD_OUT_SHARE == 0


def examples(*, learning: bool | None = None) -> list[tuple[str, str]]:
    """(text, label) pairs; `learning` True: those learnt from, False: those held out."""
    data = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    pairs = [(c["text"], c["kind"]) for c in data["crises"]]
    pairs += [(o["text"], NONE) for o in data["ordinary"]]
    pairs += [(text, NONE) for text in _everyday_needs()]
    if learning is None:
        return pairs
    return [(t, label) for t, label in pairs if held_out(t) != learning]


def _everyday_needs() -> list[str]:
    """The need lexicon's everyday phrases and names of every domain but crisis and
    violence: searches that are no crisis."""
    from proxima.directory.services.crisis import CRISIS_DOMAINS, ELDER_ABUSE_DOMAIN
    from proxima.directory.services.taxonomy import NEED_DOMAINS_FILE

    answering = {code for codes in CRISIS_DOMAINS.values() for code in codes}
    answering.add(ELDER_ABUSE_DOMAIN)
    data = json.loads(NEED_DOMAINS_FILE.read_text(encoding="utf-8"))
    texts: list[str] = []
    stack = list(data["domains"])
    while stack:
        domain = stack.pop(0)
        stack.extend(domain.get("children", []))
        if domain["code"].split(".")[0] in answering:
            continue
        texts += domain.get("lex_fr", []) + domain.get("lex_en", [])
        texts += [domain["fr"], domain["en"], domain["desc_fr"], domain["desc_en"]]
    return texts


def train(pairs: list[tuple[str, str]]) -> dict:
    """The model learnt from (text, label) pairs: the same pairs, the same model."""
    vocabulary: dict[str, int] = {}
    rows = []
    for text, _label in pairs:
        rows.append([vocabulary.setdefault(f, len(vocabulary)) for f in sorted(features(text))])
    labels = [LABELS.index(label) for _text, label in pairs]
    counts = np.bincount(labels, minlength=len(LABELS)).astype(float)
    balance = counts.sum() / (len(LABELS) * np.maximum(counts, 1))  # each kind weighs alike
    weights = np.zeros((len(vocabulary), len(LABELS)))
    bias = np.zeros(len(LABELS))
    order = list(range(len(rows)))
    state = 12345  # a fixed order of visits (no random module: the same on every machine)
    for _epoch in range(EPOCHS):
        for i in range(len(order) - 1, 0, -1):
            state = (state * 1103515245 + 12345) % 2**31
            j = state % (i + 1)
            order[i], order[j] = order[j], order[i]
        for i in order:
            idx = rows[i]
            scores = bias + weights[idx].sum(axis=0)
            scores -= scores.max()
            p = np.exp(scores) / np.exp(scores).sum()
            p[labels[i]] -= 1.0
            gradient = p * balance[labels[i]]
            weights[idx] -= RATE * (gradient + L2 * weights[idx])
            bias -= RATE * gradient
    names = sorted(vocabulary, key=vocabulary.get)
    kept = {
        name: [round(float(v), 3) for v in weights[vocabulary[name]]]
        for name in names
        if float(np.abs(weights[vocabulary[name]]).max()) >= 0.01
    }
    return {"labels": list(LABELS), "bias": [round(float(v), 3) for v in bias], "weights": kept}


def write_model(model: dict, path: Path = MODEL) -> None:
    path.write_text(
        json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _loaded() -> tuple[dict[str, tuple[float, ...]], tuple[float, ...]]:
    with _lock:
        model = json.loads(MODEL.read_text(encoding="utf-8"))
        weights = {name: tuple(values) for name, values in model["weights"].items()}
        return weights, tuple(model["bias"])


def _probabilities(prepared: str) -> list[float]:
    """P(label) for each of LABELS (plain floats: a search pays microseconds)."""
    weights, bias = _loaded()
    scores = list(bias)
    for name in prepared_features(prepared):
        found = weights.get(name)
        if found is not None:
            for k, value in enumerate(found):
                scores[k] += value
    top = max(scores)
    exp = [math.exp(v - top) for v in scores]
    total = sum(exp)
    return [v / total for v in exp]


def crisis_kind(parts: list[str], threshold: float = THRESHOLD) -> str | None:
    """The kind of crisis the model reads in a text's prepared parts (the text whole and
    each of its sentences: a crisis said in the middle of a long message), or None."""
    best, kind = 0.0, None
    for part in parts:
        p = _probabilities(part)
        crisis = 1.0 - p[0]
        if crisis > best:
            best, kind = crisis, KINDS[max(range(len(KINDS)), key=lambda k: p[k + 1])]
    return kind if best >= threshold else None
