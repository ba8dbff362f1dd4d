"""What a message asks and what it is about, learned from examples (``corpus/nlu/intents.yaml``, ``topics.yaml``).

Two classifiers over character n-grams (1–3, TF-IDF): one for the act (ask_amount, ask_policy_terms, out_of_scope …),
one for the topic (三.1 … 三.10, 五.1, task groups, ``none``). They are multinomial logistic regressions trained with
scikit-learn the first time they are needed (or by ``jxai index``) and cached as plain arrays in the cache
directory, keyed by the example files: at run time a prediction is a few dictionary look-ups and one small matrix
product in numpy, and scikit-learn is never imported. The softmax probability is the confidence the decisions use.

Examples are data: adding a way people ask is a line in the YAML file, not a word in a list of routing words.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from ..paths import cache_dir, corpus_dir
from ..textnorm import to_simplified

log = logging.getLogger(__name__)

NLU_DIR = "nlu"
#: Bump when features or training change: the cache key includes it.
MODEL_VERSION = 3
#: Regularisation of the logistic regressions (chosen by cross-validation on the examples; `jxai nlu --cv`).
C = 20.0
_NGRAMS = (1, 2, 3)
#: At least this many examples per label, or the file is rejected (a label learned from three lines guesses).
MIN_EXAMPLES = 12


class ExamplesError(ValueError):
    """An example file does not load: the message names the file and the key."""


@dataclass(frozen=True)
class Prediction:
    """Labels with their probabilities, best first."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def label(self) -> str:
        """The most probable label."""
        return self.ranked[0][0]

    @property
    def confidence(self) -> float:
        """The probability of the most probable label."""
        return self.ranked[0][1]

    def probability(self, label: str) -> float:
        """The probability of one label (0 for an unknown one)."""
        return next((p for name, p in self.ranked if name == label), 0.0)


# --- examples ----------------------------------------------------------------------------------------------------

def load_examples(kind: str, path: Path | None = None) -> dict[str, list[str]]:
    """Label → examples from ``corpus/nlu/<kind>.yaml`` (``kind``: intents or topics), validated loudly."""
    path = path or corpus_dir() / NLU_DIR / f"{kind}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ExamplesError(f"{path.name}: 无法读取示例文件（{exc}）") from None
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get(kind), dict):
        raise ExamplesError(f"{path.name}: 顶层应为 {{version: 1, {kind}: {{标签: {{description, examples}}}}}}")
    out: dict[str, list[str]] = {}
    for label, entry in data[kind].items():
        where = f"{path.name}: {kind}.{label}"
        if not isinstance(entry, dict) or set(entry) - {"description", "examples", "clauses"}:
            raise ExamplesError(f"{where}: 只允许 description、examples 与 clauses 三个键")
        examples = entry.get("examples")
        if not isinstance(examples, list) or not all(isinstance(e, str) and e.strip() for e in examples):
            raise ExamplesError(f"{where}.examples: 应为非空字符串列表")
        if len(examples) < MIN_EXAMPLES:
            raise ExamplesError(f"{where}.examples: 至少需要 {MIN_EXAMPLES} 条示例（现有 {len(examples)} 条）")
        out[str(label)] = [str(e) for e in examples]
    return out


# --- features ----------------------------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


def features_text(text: str) -> str:
    """The form the classifiers read: half-width, simplified, lower-case, every number written as 0.

    Numbers carry the facts, not the act: "花了120万" and "花了80万" ask the same thing.
    """
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    return _DIGITS.sub("0", " ".join(text.split()))


def _grams(text: str) -> list[str]:
    padded = f"^{text}$"
    return [padded[i:i + n] for n in _NGRAMS for i in range(len(padded) - n + 1)]


class _Model:
    """A trained linear classifier as arrays: vocabulary → column, idf, weights (labels × vocabulary), bias."""

    def __init__(self, labels: list[str], vocabulary: dict[str, int], idf: np.ndarray, weights: np.ndarray,
                 bias: np.ndarray) -> None:
        self.labels, self.vocabulary, self.idf, self.weights, self.bias = labels, vocabulary, idf, weights, bias

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        counts: dict[int, int] = {}
        for gram in _grams(features_text(text)):
            column = self.vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        columns = np.fromiter(counts, dtype=np.int64)
        values = (1 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[columns]
        return columns, values / np.linalg.norm(values)

    def predict(self, text: str) -> Prediction:
        columns, values = self.vector(text)
        scores = self.bias + (self.weights[:, columns] @ values if len(columns) else 0.0)
        scores = np.exp(scores - scores.max())
        probabilities = scores / scores.sum()
        order = np.argsort(-probabilities)
        return Prediction(tuple((self.labels[i], float(probabilities[i])) for i in order))


def _train(examples: dict[str, list[str]]) -> _Model:
    """Fit TF-IDF + multinomial logistic regression (scikit-learn, imported only here)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [features_text(e) for label in examples for e in examples[label]]
    targets = [label for label in examples for _ in examples[label]]
    vectorizer = TfidfVectorizer(analyzer=_grams, sublinear_tf=True, min_df=1, lowercase=False)
    matrix = vectorizer.fit_transform(texts)
    classifier = LogisticRegression(C=C, max_iter=3000)
    classifier.fit(matrix, targets)
    labels = [str(label) for label in classifier.classes_]
    vocabulary = {gram: int(col) for gram, col in vectorizer.vocabulary_.items()}
    return _Model(labels, vocabulary, vectorizer.idf_.astype(np.float64), classifier.coef_.astype(np.float64),
                  classifier.intercept_.astype(np.float64))


def _key(kind: str) -> str:
    path = corpus_dir() / NLU_DIR / f"{kind}.yaml"
    digest = hashlib.sha256(path.read_bytes() + f"{MODEL_VERSION}/{C}/{_NGRAMS}".encode()).hexdigest()
    return digest[:16]


def _save(model: _Model, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    grams = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, idf=model.idf, weights=model.weights, bias=model.bias,
             labels=np.array(json.dumps(model.labels, ensure_ascii=False)),
             grams=np.array(json.dumps(grams, ensure_ascii=False)))
    tmp.replace(path)


def _load(path: Path) -> _Model:
    with np.load(path) as data:
        labels = json.loads(str(data["labels"]))
        grams = json.loads(str(data["grams"]))
        return _Model(labels, {g: i for i, g in enumerate(grams)}, data["idf"], data["weights"], data["bias"])


@cache
def classifier(kind: str) -> _Model:
    """The trained classifier for ``intents`` or ``topics`` (from the cache, else trained and cached)."""
    path = cache_dir() / f"nlu-{kind}-{_key(kind)}.npz"
    try:
        return _load(path)
    except (OSError, ValueError, KeyError):
        pass
    model = _train(load_examples(kind))
    try:
        _save(model, path)
    except OSError:
        log.warning("无法写入意图模型缓存 %s；下次启动将重新训练", path)
    return model


@cache
def topic_clauses() -> dict[str, tuple[str, ...]]:
    """Topic → the clause ids it stands for (a group's ``clauses``; a topic named by a clause id stands for itself;
    ``none`` for nothing)."""
    path = corpus_dir() / NLU_DIR / "topics.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]
    return {str(label): tuple(entry.get("clauses") or ([] if label == "none" else [str(label)]))
            for label, entry in data.items()}


def predict_act(text: str) -> Prediction:
    """What the message asks (an intent of ``corpus/nlu/intents.yaml``), with probabilities."""
    return classifier("intents").predict(text)


def predict_topic(text: str) -> Prediction:
    """What the message is about (a topic of ``corpus/nlu/topics.yaml``), with probabilities."""
    return classifier("topics").predict(text)


def cross_validate(kind: str, folds: int = 5, seed: int = 0) -> dict[str, Any]:
    """Stratified k-fold accuracy of one classifier on its own examples: overall and per label."""
    from sklearn.model_selection import StratifiedKFold

    examples = load_examples(kind)
    texts = [e for label in examples for e in examples[label]]
    targets = [label for label in examples for _ in examples[label]]
    right: dict[str, int] = {label: 0 for label in examples}
    total: dict[str, int] = {label: len(v) for label, v in examples.items()}
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(texts, targets):
        fold: dict[str, list[str]] = {}
        for i in train:
            fold.setdefault(targets[i], []).append(texts[i])
        model = _train(fold)
        for i in test:
            right[targets[i]] += model.predict(texts[i]).label == targets[i]
    return {"accuracy": sum(right.values()) / sum(total.values()), "examples": sum(total.values()),
            "per_label": {label: right[label] / total[label] for label in examples}}


__all__ = ["ExamplesError", "Prediction", "classifier", "cross_validate", "features_text", "load_examples",
           "predict_act", "predict_topic", "topic_clauses"]
