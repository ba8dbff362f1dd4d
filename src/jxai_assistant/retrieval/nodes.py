"""One llama-index ``TextNode`` per clause, and the texts each retrieval path indexes.

The indexed text adds the part/section/title headings (they name the topic: 算力资源建设支撑行动, 支持政策), but
quotes are always taken from ``Clause.text`` (the node text ends with it verbatim, after the headings line).
llama-index is imported only when nodes are made: importing it costs ~2.5 s, and the query path never needs it.
"""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from ..document import Clause, Document

if TYPE_CHECKING:
    from llama_index.core.schema import TextNode

# Sentence ends inside a clause; the dense path embeds each sentence as well as the whole clause.
_SENTENCE_END_RE = re.compile(r"(?<=[。；！？])")


def heading(clause: Clause) -> str:
    """Return the headings above a clause's body: part title, section title and clause title."""
    parts = [clause.part_title, clause.section or "", clause.title]
    return " ".join(p for p in parts if p)


def clause_node(clause: Clause) -> "TextNode":
    """Return the node of a clause: id = clause id, text = headings + verbatim text, metadata for display."""
    from llama_index.core.schema import TextNode

    return TextNode(
        id_=clause.clause_id,
        text=f"{heading(clause)}\n{clause.text}",
        metadata={
            "clause_id": clause.clause_id,
            "path": clause.path,
            "title": clause.title,
            "units": list(clause.units),
        },
        # Headings are already in the text; metadata is for display and must not be embedded twice.
        excluded_embed_metadata_keys=["clause_id", "path", "title", "units"],
        excluded_llm_metadata_keys=["units"],
    )


def document_nodes(document: Document) -> list["TextNode"]:
    """Return one node per clause in document order."""
    return [clause_node(c) for c in document.clauses]


def dense_passages(clause: Clause) -> list[str]:
    """Return the passages the dense path embeds for a clause: the whole clause, then each sentence with its title.

    Short questions match one sentence of a long clause far better than the average of all its sentences.
    """
    head = f"{clause.title}。"
    sentences = [s.strip() for s in _SENTENCE_END_RE.split(clause.body) if len(s.strip()) > 4]
    passages = [f"{heading(clause)}。{clause.body}"]
    if len(sentences) > 1:
        passages.extend(head + s for s in sentences)
    return passages
