"""Deterministic answer composer: Markdown in Chinese, first sentence answers, every figure from a clause or a calculation.

The composer receives clauses, calculations and routing signals and writes text; it computes nothing. Quotes are
verbatim sentences of the clause text (``quote_sentences``), so every quote is a substring of the document.
"""

from __future__ import annotations

import re
from decimal import Decimal
from dataclasses import dataclass, field

from ..document import Clause, Document
from ..numbers import format_percent, format_yuan
from ..response import Citation
from .lexicon import load_lexicon

VALIDITY_CLAUSE = "五.1"
DRAFT_NOTE = "本文件为征求意见稿，最终条款和金额以正式印发的文件为准。"


def is_draft(doc: Document) -> bool:
    """Whether the answer comes from the 征求意见稿 (a final version needs no draft caveat)."""
    return "征求意见稿" in doc.title
# Sentence ends inside a clause body; a quote is one or more whole sentences, never a paraphrase.
_SENTENCE_RE = re.compile(r"[^。；]+[。；]?")


@dataclass
class Composed:
    """An answer and the citations that support it."""

    answer: str
    citations: list[Citation] = field(default_factory=list)


def sentences(clause: Clause) -> list[str]:
    """The clause's sentences (verbatim), heading sentence excluded for numbered items."""
    parts = [s for s in _SENTENCE_RE.findall(clause.body) if s.strip()]
    # "7.支持算力应用。" is the heading: a quote of it says nothing.
    if parts and clause.number is not None and parts[0].rstrip("。").endswith(clause.title):
        parts = parts[1:] or parts
    return parts


def quote_sentences(clause: Clause, terms: list[str], figures: list[str] | None = None, limit: int = 1) -> str:
    """Pick the sentence(s) of a clause that best match the question's terms (and the figures of a calculation)."""
    figures = figures or []
    scored = []
    for position, sentence in enumerate(sentences(clause)):
        score = sum(2 if len(t) > 1 else 1 for t in set(terms) if t and t in sentence)
        score += sum(3 for f in figures if f and f in sentence)
        scored.append((score, -position, sentence))
    best = sorted(scored, reverse=True)[:limit]
    chosen = [s for _, _, s in sorted(best, key=lambda item: -item[1])]
    quote = "".join(chosen) if _adjacent(clause, chosen) else chosen[0]
    return quote.strip()


_PHRASE_RE = re.compile(r"[^，；。]+[，；。]?")
# English cap questions ("what's the cap"); the Chinese words are the lexicon's cap_words.
_CAP_EN = ("cap", "maximum", "at most")
_CAP_TEXT_WORDS = ("最高", "不超过", "上限")


def quote_phrases(clause: Clause, terms: list[str], window: int = 3, question: str = "") -> str:
    """The verbatim run of up to ``window`` comma-separated phrases that best matches the question's terms.

    A long sentence such as 三.7's holds the pool, the rate and both caps; the caller asking "最多补贴多少" should see
    the caps first, quoted exactly, not the whole sentence. For a cap question the run reaches from the best phrase
    to the cap that follows it ("按研发费用增量部分的10%给予补助，每家企业最高不超过500万元"): a cap belongs to the
    rule before it, not to whichever cap shares a word with the question.
    """
    phrases = _PHRASE_RE.findall(clause.content)
    if not phrases:
        return quote_sentences(clause, terms)
    asks_cap = any(w in question for w in load_lexicon().cap_words) or any(w in question.lower() for w in _CAP_EN)

    def hits(phrase: str) -> int:
        return sum(2 if len(t) > 1 else 1 for t in set(terms) if t and t in phrase)

    def is_cap(phrase: str) -> bool:
        return any(w in phrase for w in _CAP_TEXT_WORDS)

    scores = [hits(p) for p in phrases]
    top = max(scores)
    if top <= 0:
        return quote_sentences(clause, terms)
    best = scores.index(top)
    start, end = best, best + 1
    if asks_cap and not is_cap(phrases[best]):
        cap_at = next((i for i in range(best + 1, min(best + window + 1, len(phrases))) if is_cap(phrases[i])), None)
        if cap_at is not None:
            end = cap_at + 1
    # Grow the run with neighbours that matter nearly as much (the cap and its exception; a rule and its rate).
    while end - start < window:
        left = scores[start - 1] if start > 0 else -1
        right = scores[end] if end < len(phrases) else -1
        if max(left, right) * 2 < top or max(left, right) < 2:
            break
        if right >= left:
            end += 1
        else:
            start -= 1
    run = "".join(phrases[start:end]).rstrip("，；")
    # A short sentence is quoted whole: a fragment of it ("按照“就高不重复”原则实施") loses its own condition.
    sentence = next((x for x in sentences(clause) if run in x), run)
    return sentence.strip() if len(sentence) <= _WHOLE_SENTENCE_CHARS else run


#: Sentences up to this length are quoted whole rather than by phrase.
_WHOLE_SENTENCE_CHARS = 60


def _adjacent(clause: Clause, chosen: list[str]) -> bool:
    return "".join(chosen) in clause.text


def cite(clause: Clause, quote: str | None = None) -> Citation:
    """A citation of a clause with a verbatim quote (the whole body when no sentence is given)."""
    text = quote or clause.body
    if text not in clause.text:  # a programming error, never user input: quotes are taken from the clause itself
        raise ValueError(f"quote is not verbatim in {clause.clause_id}: {text[:30]}")
    return Citation(clause_id=clause.clause_id, title=clause.title, quote=text)


def clause_heading(clause: Clause) -> str:
    """Markdown heading line for a clause: 〔三.7〕 三、支持政策 › 7. 支持算力应用."""
    return f"〔{clause.clause_id}〕{clause.path}"


def blockquote(text: str) -> str:
    """Quote document text as a Markdown blockquote."""
    return "\n".join(f"> {line}" for line in text.splitlines() if line.strip())


def lead_line(clause: Clause) -> str:
    """Who to contact: the lead unit (listed first in the clause, as the document rules)."""
    if not clause.lead_unit:
        return ""
    others = [u for u in clause.units if u != clause.lead_unit]
    tail = f"，配合单位：{'、'.join(others)}" if others else ""
    return f"牵头单位：**{clause.lead_unit}**{tail}〔{clause.clause_id}〕。"


def compose_lookup(
    doc: Document,
    clause_ids: list[str],
    terms: list[str],
    *,
    verbatim_first: bool,
    who: bool = False,
    procedure: bool = False,
    related: list[str] | None = None,
    question: str = "",
) -> Composed:
    """Answer a lookup: the best sentence first (or the verbatim clause for a reference), then the clause, then who."""
    clauses = [doc.get(cid) for cid in clause_ids]
    main = clauses[0]
    lines: list[str] = []
    citations: list[Citation] = []
    if who and main.lead_unit:
        lines.append(f"该事项的牵头单位是**{main.lead_unit}**〔{main.clause_id}〕（文件规定责任单位中列第一位的为牵头单位）。")
    if verbatim_first:
        sections = {c.section for c in clauses}
        if len(clauses) > 1 and len(sections) == 1 and main.section:
            lines.append(f"{main.part_title}{main.section}共{len(clauses)}项任务：")
        elif len(clauses) > 1 and len({c.part for c in clauses}) == 1:
            lines.append(f"{main.part_title}共{len(clauses)}条：")
        for clause in clauses:
            lines.append(f"**{clause_heading(clause)}**")
            lines.append(blockquote(clause.text))
            citations.append(cite(clause))
            if clause.lead_unit:
                lines.append(lead_line(clause))
            lines.append("")
    else:
        quote = quote_phrases(main, terms, question=question)
        lines.append(f"根据〔{main.clause_id}〕{main.title}：“{quote}”")
        citations.append(cite(main, quote))
        for clause in clauses[1:]:
            extra = quote_phrases(clause, terms, question=question)
            lines.append(f"另见〔{clause.clause_id}〕{clause.title}：“{extra}”")
            citations.append(cite(clause, extra))
        lines.append("")
        # The whole clause follows unless the quote already is most of it (no text twice).
        if len(quote) < 0.9 * len(main.content):
            lines.append(f"**原文 {clause_heading(main)}**")
            lines.append(blockquote(main.text))
        if main.lead_unit and not who:
            lines.append(lead_line(main))
    if any(c.clause_id == VALIDITY_CLAUSE for c in clauses) and is_draft(doc):
        lines.append(DRAFT_NOTE)
    if procedure:
        unit = main.lead_unit or "相关责任单位"
        lines.append(f"文件未规定申报流程、材料、时间或联系方式，具体以实施细则为准，请咨询{unit}。")
    if related:
        names = "、".join(f"〔{cid}〕{doc.get(cid).title}" for cid in related if cid not in clause_ids)
        if names:
            lines.append(f"相关条款：{names}。")
    return Composed("\n".join(line for line in lines).strip(), citations)


def compose_department(doc: Document, roles_list: list) -> Composed:
    """Answer "X 牵头/负责哪些": the clauses each unit leads (listed first) and takes part in."""
    lines: list[str] = []
    citations: list[Citation] = []
    for roles in roles_list:
        lead_titles = "、".join(f"〔{cid}〕{doc.get(cid).title}" for cid in roles.leads) or "无"
        lines.append(f"**{roles.name}**牵头 {len(roles.leads)} 项：{lead_titles}。")
        if roles.participates:
            part_titles = "、".join(f"〔{cid}〕{doc.get(cid).title}" for cid in roles.participates)
            lines.append(f"参与（列为配合单位）{len(roles.participates)} 项：{part_titles}。")
        for cid in roles.leads + roles.participates:
            clause = doc.get(cid)
            citations.append(cite(clause, clause.text[len(clause.body):].strip()))
    if doc.lead_rule:
        lines.append(f"说明：文件规定“{doc.lead_rule.quote}”〔{doc.lead_rule.clause_id}〕。")
    return Composed("\n".join(lines), citations)


def compose_implementer(doc: Document) -> Composed:
    """Who carries the plan out locally: every task falls to the county governments; counties apply the policies."""
    lines: list[str] = []
    citations: list[Citation] = []
    if doc.implementer:
        task_clause = doc.get(doc.implementer.clause_id)
        lines.append(f"重点任务：文件规定“{doc.implementer.quote}”〔{task_clause.clause_id}〕，即全部重点任务都由"
                     "各县（市、区）人民政府落实；各任务的牵头单位是其责任单位中列第一位的单位。")
        citations.append(cite(task_clause, doc.implementer.quote))
    other = doc.get(VALIDITY_CLAUSE)
    funding = next((s for s in sentences(other) if "参照执行" in s), None)
    if funding:
        lines.append(f"支持政策：“{funding}”〔{VALIDITY_CLAUSE}〕")
        citations.append(cite(other, funding))
    return Composed("\n".join(lines), citations)


def compose_out_of_scope(doc: Document, nearby: list[str], reason: str | None = None) -> Composed:
    """Say plainly that the document does not cover the question; offer the nearest clauses, invent nothing."""
    lines = [
        f"抱歉，《{doc.title}》没有涉及这个问题{('（' + reason + '）') if reason else ''}，我无法据此回答，也不会推测。",
        "本文件只涵盖嘉兴市推动人工智能发展的总体要求、15项重点任务、10条支持政策、保障措施和施行期限。",
    ]
    if nearby:
        names = "、".join(f"〔{cid}〕{doc.get(cid).title}" for cid in nearby)
        lines.append(f"如果您想了解的是下列内容，可以继续问我：{names}。")
    else:
        lines.append("您可以问：算力券能补多少、研发费用补助条件、首台（套）奖励标准、某个部门牵头哪些任务等。")
    return Composed("\n".join(lines))


def compose_not_specified(doc: Document, clause_id: str, what: str, terms: list[str], question: str = "") -> Composed:
    """A near miss: the document covers the subject but not what is asked (deadlines, forms, materials, contacts).

    The first sentence says so; then the nearest clause (quoted) and its lead unit, as the place to ask.
    """
    clause = doc.get(clause_id)
    quote = quote_phrases(clause, terms, question=question)
    lines = [f"文件没有规定{what}。"]
    lines.append(f"与此最相关的是〔{clause.clause_id}〕{clause.title}：“{quote}”")
    if clause.lead_unit:
        lines.append(f"具体办理以正式文件和实施细则为准，可咨询牵头单位**{clause.lead_unit}**〔{clause.clause_id}〕。")
    return Composed("\n".join(lines), [cite(clause, quote)])


def compose_choose_policy(doc: Document) -> Composed:
    """A money question with no topic: ask which policy, listing the ten."""
    items = "；".join(f"〔{c.clause_id}〕{c.title}" for c in doc.part_clauses("三"))
    text = (
        "请问您想测算哪一项支持政策？文件共有10条支持政策：" + items + "。"
        "请说明政策名称和贵企业的相关情况（例如：“我们使用智算的实际金额是多少、能拿多少算力券？”）。"
    )
    return Composed(text)


def premise_sentence(premises: list, calculations: list) -> str | None:
    """"对/不对，文件规定的是…〔id〕。" for the first claimed figure the calculation's rule figures speak to.

    A claimed percent is checked against the rates and percentage thresholds the steps used, a claimed amount against
    the caps, thresholds and fixed awards. A wrong claim is not repeated: an injected figure never reaches the answer.
    """
    used = [(f, st) for c in calculations for st in c.steps for f in st.figures
            if f.role in ("rate", "cap", "threshold") or f.role == "result" and st.name == "base"]
    for premise in premises:
        unit = "percent" if premise.kind == "percent" else "yuan"
        same = [(f, st) for f, st in used if f.unit == unit]
        if not same:
            continue
        shown = format_percent if unit == "percent" else format_yuan
        match = next(((f, st) for f, st in same if Decimal(str(f.value)) == premise.value), None)
        if match is not None:
            return f"对，文件规定的是{shown(Decimal(str(match[0].value)))}〔{match[1].clause_id}〕。"
        main = next(((f, st) for f, st in same if f.role == ("rate" if unit == "percent" else "cap")), same[0])
        quote = f"（“{main[1].quote}”）" if main[1].quote else ""
        return f"不对，文件规定的是{shown(Decimal(str(main[0].value)))}{quote}〔{main[1].clause_id}〕。"
    return None


def compose_calculation(
    doc: Document,
    calculations: list,
    award_yuan: int | None,
    eligible: bool | None,
    combination_notes: list[str],
    missing: list,
    known: str,
    terms: list[str],
    injection: bool,
    premises: list | None = None,
    *,
    conditionals: list | None = None,
    alternatives: list | None = None,
    footnote: bool = True,
) -> Composed:
    """Answer a calculation, short: the figure or the verdict with its reason first, then the arithmetic, what the
    figure assumed, the facts used, the rule's own words, whom to ask.

    ``premises`` are figures the message claims about the document ("比例是70%吧"): the first sentence confirms or
    corrects them from the rule figures the calculation used, without repeating a claimed figure that is wrong.
    ``conditionals`` are undecided items computed as if their yes/no conditions held (``calculator.conditional``):
    the answer gives that figure as "若…，可获…" and asks for the conditions; ``alternatives`` (condition, calculation)
    pairs give the figure a paying item would give if an unknown yes/no fact held (三.7's higher cap). ``footnote`` adds the caveats that never
    change (征求意见稿, validity, 就高不重复) as one line; a conversation shows it once. The full steps stay in the
    response's ``calculations``.
    """
    policy_ids = list(dict.fromkeys(c.policy_id for c in calculations))
    clauses = [doc.get(pid) for pid in policy_ids]
    names = "、".join(f"〔{c.clause_id}〕{c.title}" for c in clauses)
    conditionals = [c for c in conditionals or [] if c.amount_yuan is not None]
    lines: list[str] = []
    if premises and (checked := premise_sentence(premises, calculations)):
        lines.append(checked)
    shown: list = []  # the calculations whose arithmetic the answer shows
    if missing and conditionals:
        conditions = "，且".join(dict.fromkeys(_as_statement(m) for c in conditionals for m in c.missing))
        figures = "；".join(f"{_item_name(doc, c)} **{format_yuan(c.amount_yuan)}**〔{c.policy_id}〕" for c in conditionals)
        lines.append(f"若{conditions}，可获{figures}。请确认：")
        lines.extend(f"{i}. {item.question or item.label}" for i, item in enumerate(missing, 1))
        shown = conditionals
    elif missing:
        lines.append(f"要测算{names}，还需要确认以下信息：")
        lines.extend(f"{i}. {item.question or item.label}" for i, item in enumerate(missing, 1))
    elif eligible is True and award_yuan is not None:
        shown = [c for c in calculations if c.eligible is True and c.amount_yuan is not None]
        paying = [c for c in shown if not any(st.outcome == "superseded" for st in c.steps)]
        if len(paying) == 1:
            lines.append(f"可获{_item_name(doc, paying[0])} **{format_yuan(award_yuan)}**〔{paying[0].policy_id}〕。")
        else:
            parts = "＋".join(f"{_item_name(doc, c)}{format_yuan(c.amount_yuan)}〔{c.policy_id}〕" for c in paying)
            lines.append(f"合计可获 **{format_yuan(award_yuan)}**：{parts}。")
    elif eligible is True:
        qualifying = [c for c in calculations if c.eligible is True]
        caps = [format_yuan(c.cap_yuan) for c in qualifying if c.cap_yuan]
        cap_text = f"文件只规定了上限（{'、'.join(caps)}）。" if caps else ""
        qualifying_names = "、".join(f"〔{pid}〕{doc.get(pid).title}"
                                     for pid in dict.fromkeys(c.policy_id for c in qualifying))
        lines.append(f"符合{qualifying_names}的条件，但文件没有给出可据以计算金额的标准，无法测算具体金额；{cap_text}")
    elif eligible is False:
        # The reason in the calculator's own words (the condition text before its verdict).
        failed = next((st for c in calculations for st in c.steps if st.outcome == "not_met"), None)
        expired = next((st for c in calculations for st in c.steps if st.outcome == "expired"), None)
        reason = f"：{failed.tested}，不满足" if failed else (f"：{expired.text}" if expired else "")
        lines.append(f"**不符合**{names}的条件{reason}〔{(failed or expired or calculations[0]).clause_id}〕。"
                     if failed or expired else f"**不符合**{names}的条件。")
    else:
        lines.append(f"暂时无法确定能否享受{names}。")
    if injection:
        lines.append("提示：问题中关于规则、标准或回答方式的要求不会改变文件规定；金额只按文件原文和计算器得出。")

    if arithmetic := _arithmetic(doc, shown):
        lines.append(f"算法：{arithmetic}。")
    for condition, other in alternatives or []:
        lines.append(f"若{_as_statement(condition)}，可获 **{format_yuan(other.amount_yuan)}**〔{other.policy_id}〕"
                     f"（{_arithmetic(doc, [other])}）。")
    # What the figure assumed (the calculator's notes); 就高不重复 and the sum are steps of the arithmetic already.
    lines.extend(f"- {_unquoted(n)}" for n in dict.fromkeys(n for c in (shown or calculations) for n in c.notes)
                 if n and "征求意见稿" not in n)
    if known:
        lines.append(f"{'已知信息' if missing else '已知'}：{known}。")

    citations: list[Citation] = []
    figures = [f for calc in calculations for f in _figures_of(calc)]
    for clause in clauses:
        quote = _rule_quote(clause, shown or calculations) or quote_sentences(clause, terms, figures, limit=2)
        lines.append(f"依据〔{clause.clause_id}〕：“{quote}”")
        citations.append(cite(clause, quote))
    validity = doc.get(VALIDITY_CLAUSE)
    validity_quote = next((s for s in sentences(validity) if "有效期" in s), validity.body)
    rule = next((s for s in sentences(validity) if "就高不重复" in s), None)
    if rule and (len(calculations) > 1 or any("就高不重复" in n for c in calculations for n in c.notes)):
        citations.append(cite(validity, rule))
    citations.append(cite(validity, validity_quote))
    leads = list(dict.fromkeys(c.lead_unit for c in clauses if c.lead_unit))
    if leads:
        lines.append(f"咨询：{'、'.join(leads)}（牵头单位）。")
    if footnote:
        draft = "依据征求意见稿，以正式文件为准；" if is_draft(doc) else ""
        lines.append(f"注：{draft}{_validity_phrase(validity_quote)}；同一事项就高不重复〔{VALIDITY_CLAUSE}〕。")
    unique = list({(c.clause_id, c.quote): c for c in citations}.values())
    return Composed("\n".join(lines).strip(), unique)


# A step or note quotes the rule in （“…”）: the answer quotes the rule once, below, so the arithmetic reads short.
_QUOTE_PAREN_RE = re.compile(r"（“[^”]*”）")


def _unquoted(text: str) -> str:
    return _QUOTE_PAREN_RE.sub("", text).strip()


def _item_name(doc: Document, calc) -> str:
    """What is paid, as the rule names it ("算力券补贴"), else the policy's title."""
    return getattr(calc, "item", None) or doc.get(calc.policy_id).title


def _as_statement(missing) -> str:
    """"贵企业是否属于信息服务业企业？" → "贵企业属于信息服务业企业"; a choice → "该项目是提升改造项目"."""
    question = (missing.question or missing.label).rstrip("？?。")
    return question.replace("是否", "", 1) if "是否" in question else missing.label


def _arithmetic(doc: Document, calcs: list) -> str:
    """The computing steps (base, rate, cap, 就高不重复) of the shown calculations, short, one clause after another."""
    parts: list[str] = []
    for calc in calcs:
        steps = [st.brief for st in calc.steps if st.name in ("base", "rate", "cap", "combination")]
        if steps:
            prefix = f"{_item_name(doc, calc)}：" if len(calcs) > 1 else ""
            parts.append(prefix + "；".join(dict.fromkeys(steps)))
    return "；".join(parts)


def _validity_phrase(quote: str) -> str:
    match = re.search(r"有效期至[^，。；]*", quote)
    return match.group(0) if match else "有效期见原文"


def _rule_quote(clause: Clause, calculations: list) -> str | None:
    """The shortest verbatim run of the clause holding the rule phrases the figures came from (rate and cap together),
    or the condition that failed."""
    quoted = [st for c in calculations for st in c.steps if st.clause_id == clause.clause_id and st.quote]
    phrases = [st.quote for st in quoted if st.name in ("base", "rate", "cap") or st.outcome == "not_met"] or \
        [st.quote for st in quoted]
    spans = [(clause.text.find(p), clause.text.find(p) + len(p)) for p in dict.fromkeys(phrases) if p in clause.text]
    if not spans:
        return None
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    run = clause.text[start:end]
    # A short sentence is quoted whole, as quote_phrases does; a long one by the run the figures need.
    sentence = next((x for x in sentences(clause) if run in x), run)
    return sentence.strip() if len(sentence) <= _WHOLE_SENTENCE_CHARS else run if len(run) <= _LONGEST_RUN else None


#: A run of rule phrases longer than this is replaced by the best sentences.
_LONGEST_RUN = 160


def _supporting_sentences(clause: Clause, calculations: list) -> list[str]:
    """The clause's sentences that the calculation steps quote, in document order: the quote shows the very rule the
    figures come from (国家重点研发计划's 100万元, not the R&D-increment sentence)."""
    phrases = {step.quote for calc in calculations for step in calc.steps
               if step.clause_id == clause.clause_id and step.quote}
    return [s for s in sentences(clause) if any(p in s for p in phrases)]


def _figures_of(calc) -> list[str]:
    figures = []
    for value in (calc.amount_yuan, calc.cap_yuan):
        if value:
            figures.append(format_yuan(value))
    figures.extend(format_percent(f.value) for step in calc.steps for f in step.figures if f.unit == "percent")
    return figures
