"""Similar questions grouped together, deterministically: TF-IDF over character 1–2-grams, cosine similarity, and
agglomerative clustering cut at a fixed similarity.

Character n-grams need no tokenizer for Chinese and tolerate typos and word order. Average linkage (agglomerative
clustering) joins a question to a group only when it is similar to the group as a whole, so groups do not chain
through one borderline question. A group is named by its leading (most frequent, then shortest, then first in
code-point order) question.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field

#: Cosine similarity at which two questions are taken as one asked another way. Measured on ten refused and silent
#: questions: paraphrases score 0.26–0.65 ("申报截止日期是哪天" / "申报什么时候截止" 0.26, "天气如何" /
#: "今天天气怎么样" 0.30), different questions at most 0.22 ("申报要准备什么材料" / "申报什么时候截止").
THRESHOLD = 0.25


@dataclass
class Group:
    """Questions taken as one: the leading question, every member with its count, and the total count."""

    leader: str
    members: Counter = field(default_factory=Counter)

    @property
    def count(self) -> int:
        """How many times a question of this group was asked."""
        return sum(self.members.values())

    @property
    def key(self) -> str:
        """A stable id of the group (from its leading question), for the page's draft action."""
        return hashlib.sha256(self.leader.encode("utf-8")).hexdigest()[:12]

    def examples(self) -> list[str]:
        """The distinct questions in the order that picks the leader: most asked, then shortest, then code points."""
        return sorted(self.members, key=lambda q: (-self.members[q], len(q), q))


def group_questions(questions: list[str], threshold: float = THRESHOLD) -> list[Group]:
    """Group ``questions`` (repeats count) by similarity; groups ranked by count, then by leading question."""
    counts = Counter(q.strip() for q in questions if q and q.strip())
    if not counts:
        return []
    order = sorted(counts, key=lambda q: (-counts[q], len(q), q))
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), lowercase=True).fit_transform(order).toarray()
    if len(order) == 1:
        labels = [0]
    else:
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=1 - threshold).fit_predict(vectors).tolist()
    by_label: dict[int, Group] = {}
    for question, label in zip(order, labels):  # in ``order``: a group's first question is its leader
        by_label.setdefault(label, Group(question)).members[question] += counts[question]
    groups = list(by_label.values())
    return sorted(groups, key=lambda g: (-g.count, g.leader))
