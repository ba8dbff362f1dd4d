"""Hotline clause lookup (条款查询): clause numbers first, then well-known names, then departments, then keywords.

Order matters: a number like 三.7 names exactly one clause and no retriever finds it reliably; a well-known name
(算力券) puts the clause it stands for first, with the keyword results after it (other clauses that mention it); a
department name is answered from the responsibility index (all its clauses, led ones first); everything else goes to
the retriever.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..document import Clause, Document, load_document
from ..references import ReferenceNotFound, resolve_name, resolve_reference, scan_references
from ..units import find_units, unit_roles

#: Upper bound of results one query returns (the document has 32 clauses).
MAX_K = 32


@dataclass
class ClauseResult:
    """One search result, JSON-ready (the ``/search`` endpoint returns a list of these as dicts)."""

    clause_id: str
    title: str
    # Not "path": gradio_client takes any dict with a string "path" for a file to download.
    clause_path: str
    lead_unit: str | None
    units: list[str]
    match: str  # reference | name | unit_lead | unit_participant | keyword
    text: str
    citation: str
    matched_terms: list[str] = field(default_factory=list)
    score: float | None = None

    def to_dict(self) -> dict:
        """Return the result as a plain dict."""
        return asdict(self)


def _result(doc: Document, clause: Clause, match: str, terms: list[str] | None = None,
            score: float | None = None) -> ClauseResult:
    return ClauseResult(
        clause_id=clause.clause_id,
        title=clause.title,
        clause_path=clause.path,
        lead_unit=clause.lead_unit,
        units=list(clause.units),
        match=match,
        text=clause.text,
        citation=clause.citation_line(doc.title),
        matched_terms=list(terms or []),
        score=score,
    )


def _by_reference(query: str, doc: Document) -> list[str]:
    """Clause ids the query names; raises ``ReferenceNotFound`` when it names a clause that does not exist."""
    try:
        return resolve_reference(query, doc)
    except ReferenceNotFound:
        pass
    scan = scan_references(query, doc)
    if scan.ids:
        return scan.ids
    if scan.errors:
        raise ReferenceNotFound(scan.errors[0])
    return []


def search_clauses(query: str, k: int = 8, doc: Document | None = None) -> list[ClauseResult]:
    """Find clauses for a hotline query: by number (三.7, 支持政策第7条), by department (市经信局), or by keywords.

    Returns at most ``k`` results for keyword queries; a number or department returns all the clauses it names.
    Raises ``ReferenceNotFound`` (Chinese ``message``) for a reference to a clause that does not exist (三.11).
    """
    doc = doc or load_document()
    query = (query or "").strip()
    if not query:
        return []
    k = max(1, min(int(k), MAX_K))

    ids = _by_reference(query, doc)
    if ids:
        return [_result(doc, doc.get(cid), "reference") for cid in ids]
    named = [_result(doc, doc.get(cid), "name") for cid in resolve_name(query, doc)]

    units = find_units(query)
    if units:
        leads_only = "牵头" in query
        results: list[ClauseResult] = []
        for unit in units:
            roles = unit_roles(unit)
            if roles is None:
                continue
            for cid in roles.leads:
                results.append(_result(doc, doc.get(cid), "unit_lead", [unit]))
            if not leads_only:
                results.extend(_result(doc, doc.get(cid), "unit_participant", [unit]) for cid in roles.participates)
        if results:
            seen: set[str] = set()
            return [r for r in results if not (r.clause_id in seen or seen.add(r.clause_id))]

    from ..retrieval import get_retriever

    hits = get_retriever().search(query, k)
    keyword = [_result(doc, doc.get(h.clause_id), "keyword", h.matched_terms, h.score) for h in hits]
    if named:
        # The named clause first, highlighted with the keyword hit's terms; then the other clauses that mention it.
        terms = {r.clause_id: r.matched_terms for r in keyword}
        for r in named:
            r.matched_terms = terms.get(r.clause_id) or [query.strip()]
        return (named + [r for r in keyword if r.clause_id not in {n.clause_id for n in named}])[:max(k, len(named))]
    return keyword
