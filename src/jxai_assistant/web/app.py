"""The Gradio app: 政策问答 (chat), 补贴测算 (calculator form), 条款查询 (hotline lookup), and the named API.

``build_app()`` returns the Blocks (queue configured); ``launch()`` serves it. Every handler catches its own errors
and shows a Chinese message (the traceback goes to the server log only).
"""

from __future__ import annotations

import functools
import html
import logging
import threading
from collections.abc import Callable
from typing import Any

import gradio as gr

from ..calculator import load_rules
from ..document import load_document
from . import limits, service
from .feedback import REASONS, FeedbackStore, store_questions
from .format import (
    citation_panel_html,
    citation_panel_placeholder,
    clause_detail_html,
    escape_markdown,
    match_cards_html,
    message_html,
    search_results_html,
)
from .security import safe_markdown
from .profile import (COUNT, NO, OTHER, SECTIONS, UNKNOWN, YES, FormError, count_specs, facts_from_form, field_spec,
                      match_result)
from .versions_view import comparison_html, header_html, version_choices, version_document

log = logging.getLogger(__name__)

#: Two worker slots for two cores; answers take well under a second, so 64 waiting requests clear in seconds. The
#: queue holds 50 simultaneous sessions (the load test); beyond it a caller gets a clean "queue full" (HTTP 503).
CONCURRENCY = 2
QUEUE_MAX = 64

EXAMPLE_QUESTIONS = [
    "算力券单个企业最多补贴多少？",
    "我们智算支出120万元，能拿多少？",
    "我们营收首次过3000万、增长12%，能拿多少？",
    "支持政策第七条讲了什么？",
    "市数据局牵头哪些任务？",
]
EXAMPLE_SEARCHES = ["算力券", "三.7", "支持政策第七条", "市经信局牵头", "数据要素"]
# A sample enterprise for the 填入示例 button (amounts in 万元, as typed in the form).
SAMPLE_PROFILE = {
    "industry": "information_service",
    "ai_field": YES,
    "compute_spend_yuan": "120",
    "jiaxing_model": NO,
    "revenue_yuan": "3200",
    "last_revenue_yuan": "2800",
}
CHAT_PLACEHOLDER = (
    "### 您好，我是嘉兴市人工智能政策助手\n"
    "可以问我政策条款、补贴标准，或告诉我企业情况来测算能申请的补贴。回答中的〔三.7〕为所引用的条款编号，"
    "右侧显示条款原文。下方有常见问题可供参考。"
)
# Clicks on result cards: delegate from the component root, so re-rendered cards need no new listeners.
CLICK_JS = """
const pick = (ev) => {
  const card = ev.target.closest('[data-clause]');
  if (card) { trigger('click', {clause_id: card.dataset.clause}); }
};
element.addEventListener('click', pick);
element.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') pick(ev); });
"""


def _safe(message: str) -> str:
    """Gradio renders error and toast messages as HTML; ours may quote user input, so escape it."""
    return html.escape(message, quote=False)


def _friendly(fallback: Callable[[str], Any] | None = None):
    """Wrap a UI handler: known problems show their Chinese message, anything else a generic one (logged)."""

    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except (service.ServiceError, FormError) as exc:
                message = exc.message
            except gr.Error:
                raise
            except Exception:
                log.exception("web handler %s failed", fn.__name__)
                message = service.BUSY_MESSAGE
            if fallback is None:
                raise gr.Error(_safe(message), title="提示", print_exception=False)
            return fallback(message)

        return inner

    return wrap


def _throttle(request: gr.Request | None) -> str | None:
    """The friendly message when this caller (client address or API key — never the session id, which the client
    chooses) is over the shared rate limit, else None."""
    client = getattr(request, "client", None)
    headers = getattr(request, "headers", None) or {}
    limited = limits.current().check(getattr(client, "host", None), {k.lower(): v for k, v in headers.items()})
    return None if limited is None else limited[0]


def _check_rate(request: gr.Request | None) -> None:
    """Raise ``ServiceError`` with the friendly message when the caller is over its rate limit."""
    if message := _throttle(request):
        raise service.ServiceError(message)


def _api_error(fn):
    """Wrap an API endpoint: errors reach the client as a Chinese message, never as a traceback."""

    @functools.wraps(fn)
    def inner(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except service.ServiceError as exc:
            # The message may quote the caller's input, and Gradio renders error messages as HTML: escape it.
            raise gr.Error(_safe(exc.message), title="提示", print_exception=False) from None
        except Exception:
            log.exception("API %s failed", fn.__name__)
            raise gr.Error(service.BUSY_MESSAGE, title="提示", print_exception=False) from None

    return inner


# --- API endpoints (typed: gradio_client reads the signature) ------------------------------------------------------


@_api_error
def api_ask(question: str, conversation_id: str | None = None, request: gr.Request = None) -> dict:
    """政策问答：回答一个问题，返回 DESIGN 约定的 JSON（answer、intent、citations、calculations、award_yuan、eligible、
    out_of_scope、conversation_id …）。追问时传回上次返回的 conversation_id。"""
    _check_rate(request)
    return service.ask(question, conversation_id, channel="gradio_api")


@_api_error
def api_search(query: str, k: int = 8, request: gr.Request = None) -> list[dict]:
    """条款查询：按条款编号（三.7、支持政策第七条）、责任单位（市经信局）或关键词检索，返回条款列表
    （clause_id、title、clause_path、lead_unit、units、match、text、citation、matched_terms、score）。"""
    _check_rate(request)
    return service.search(query, k)


@_api_error
def api_calc(profile: dict, request: gr.Request = None) -> dict:
    """补贴测算：传入企业情况（EnterpriseFacts 字段名 → 取值；金额单位为元，或写作 "120万"），返回可能符合的
    政策（matches：金额、步骤、引用条款、尚缺信息）与就高不重复后的合计 award_yuan。"""
    _check_rate(request)
    return service.calc(profile)


# --- 政策问答 ----------------------------------------------------------------------------------------------------------


def _chat_tab(doc, store: FeedbackStore) -> None:
    # The conversation id lives in the page (a hidden field sent with every event), not in server memory: it
    # continues after a restart, on any worker, and when the server has dropped this session's page state.
    cid = gr.Textbox(None, visible=False, elem_id="jx-conversation")
    turns = gr.State([])  # per answered turn: {"question", "response"} (bounded: web.server.SESSION_CAPACITY)
    pending = gr.State("")  # the submitted question, handed from the echo step to the answer step
    rated = gr.State(None)  # the turn a 👎 reason is being asked for

    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            chatbot = gr.Chatbot(
                label="政策问答",
                show_label=False,
                elem_id="jx-chat",
                height=540,
                layout="bubble",
                placeholder=CHAT_PLACEHOLDER,
                sanitize_html=True,
                render_markdown=True,
                allow_tags=False,
                latex_delimiters=[],
                buttons=["copy"],
                feedback_options=("Like", "Dislike"),
                group_consecutive_messages=False,
                examples=[{"text": q} for q in EXAMPLE_QUESTIONS[:4]],
            )
            with gr.Column(visible=False, elem_id="jx-feedback", variant="panel") as feedback_box:
                reason = gr.Radio(
                    [(label, key) for key, label in REASONS.items()],
                    label="这条回答哪里不对？" + ("（将记录问题原文、评价和所引条款编号）" if store_questions()
                                                 else "（只记录评价和所引条款编号，不保存对话内容）"),
                    elem_id="jx-feedback-reason",
                )
                with gr.Row():
                    send_reason = gr.Button("提交反馈", variant="primary", size="sm", elem_id="jx-feedback-send")
                    cancel_reason = gr.Button("取消", size="sm")
            with gr.Row(equal_height=True):
                question = gr.Textbox(
                    show_label=False,
                    placeholder="请输入您的问题，如：算力券单个企业最多补贴多少？（Enter 发送）",
                    max_length=service.MAX_INPUT_CHARS,
                    lines=1,
                    max_lines=4,
                    scale=8,
                    elem_id="jx-question",
                    submit_btn="发送",
                    autofocus=True,
                )
                new_chat = gr.Button("新对话", scale=1, min_width=90, elem_id="jx-new-chat")
            gr.Examples(EXAMPLE_QUESTIONS, inputs=question, label="常见问题（点击填入）", examples_per_page=5)
        with gr.Column(scale=2, min_width=320):
            gr.HTML('<div class="jx-panel-title">引用条款原文</div>', js_on_load=None)
            panel = gr.HTML(citation_panel_placeholder(), elem_id="jx-cite-panel", js_on_load=None)

    def echo(message: str, history: list) -> tuple:
        text = (message or "").strip()
        if not text:
            gr.Warning("请输入问题后再发送。", duration=4, title="提示")
            return gr.update(), history, ""
        if len(text) > service.MAX_INPUT_CHARS:
            gr.Warning(service.too_long_message(len(text)), duration=6, title="提示")
            return gr.update(), history, ""
        return "", [*history, {"role": "user", "content": escape_markdown(text)}], text

    @_friendly(lambda m: (gr.update(), gr.update(), gr.update(), message_html(m, "error")))
    def answer(text: str, history: list, conversation: str | None, done: list, request: gr.Request) -> tuple:
        if not text:
            return history, conversation, done, gr.update()
        # Still one answer per question (also when limited or failing): feedback and the panel find turns by position.
        if limited := _throttle(request):
            response = {"answer": limited, "intent": "clarify", "citations": [], "calculations": [],
                        "conversation_id": conversation or None}
        else:
            try:
                response = service.ask(text, conversation or None, channel="page")
            except service.ServiceError as exc:
                response = {"answer": exc.message, "intent": "clarify", "citations": [], "calculations": [],
                            "conversation_id": conversation or None}
            except Exception:
                log.exception("assistant failed")
                response = {"answer": service.BUSY_MESSAGE, "intent": "clarify", "citations": [], "calculations": [],
                            "conversation_id": conversation or None}
        # Defence in depth: no raw HTML, image or link reaches the chat, whatever the answer's source (LLM, echoes).
        history = [*history, {"role": "assistant", "content": safe_markdown(response["answer"])}]
        done = [*done, {"question": text, "response": response}]
        # An ended conversation answers with no id: the next question starts a new one (the answer said so).
        return history, response.get("conversation_id"), done, citation_panel_html(response, doc)

    # The echo step goes through the queue too: only queued events can show a gr.Warning in the page.
    question.submit(echo, [question, chatbot], [question, chatbot, pending], api_visibility="private").then(
        answer, [pending, chatbot, cid, turns], [chatbot, cid, turns, panel], api_visibility="private")

    def echo_example(history: list, evt: gr.SelectData) -> tuple:
        value = evt.value if isinstance(evt.value, dict) else {"text": evt.value}
        return echo(str(value.get("text") or ""), history)

    chatbot.example_select(echo_example, [chatbot], [question, chatbot, pending], api_visibility="private").then(
        answer, [pending, chatbot, cid, turns], [chatbot, cid, turns, panel], api_visibility="private")

    def turn_of(index: Any) -> int | None:
        # The chat alternates user / assistant, so assistant message i answers turn i // 2.
        i = index[0] if isinstance(index, (list, tuple)) else index
        return i // 2 if isinstance(i, int) and i % 2 == 1 else None

    @_friendly(lambda m: gr.update())
    def show_turn(done: list, evt: gr.SelectData) -> str:
        turn = turn_of(evt.index)
        if turn is None or turn >= len(done):
            return gr.update()
        return citation_panel_html(done[turn]["response"], doc)

    chatbot.select(show_turn, [turns], [panel], api_visibility="private")

    def save(done: list, turn: int, rating: str, why: str | None, request: gr.Request) -> str:
        """Record the rating against the answer's own id; returns the message to show (saved or why not)."""
        if limited := _throttle(request):
            return limited
        item = done[turn]
        answer_id = item["response"].get("answer_id")
        if not answer_id:
            return "这条回答不能评价（它没有对应的对话记录）。"
        try:
            return service.feedback(store, answer_id, rating, why, item["question"])["message"]
        except service.ServiceError as exc:
            return exc.message

    @_friendly(lambda m: (gr.update(), None))
    def on_like(done: list, evt: gr.LikeData, request: gr.Request) -> tuple:
        turn = turn_of(evt.index)
        if turn is None or turn >= len(done):
            gr.Warning("这条回答的记录已过期，反馈未保存。", duration=6, title="提示")
            return gr.update(visible=False), None
        if evt.liked is True or evt.liked == "Like":
            _notify(save(done, turn, "up", None, request))
            return gr.update(visible=False), None
        if evt.liked is False or evt.liked == "Dislike":
            return gr.update(visible=True), turn
        return gr.update(visible=False), None  # the user took the rating back

    chatbot.like(on_like, [turns], [feedback_box, rated], api_visibility="private")

    @_friendly(lambda m: (gr.update(), gr.update(), gr.update()))
    def on_reason(done: list, turn: int | None, why: str | None, request: gr.Request) -> tuple:
        if turn is None or turn >= len(done):
            gr.Warning("这条回答的记录已过期，反馈未保存。", duration=6, title="提示")
            return gr.update(visible=False), None, None
        if not why:
            gr.Warning("请选择一个原因。", duration=4, title="提示")
            return gr.update(), turn, why
        _notify(save(done, turn, "down", why, request), "感谢反馈，我们会据此改进。")
        return gr.update(visible=False), None, None

    send_reason.click(on_reason, [turns, rated, reason], [feedback_box, rated, reason],
                      api_visibility="private")
    cancel_reason.click(lambda: (gr.update(visible=False), None, None), None, [feedback_box, rated, reason],
                        queue=False, api_visibility="private")

    @_friendly(lambda m: (gr.update(),) * 5)
    def restart(conversation: str | None) -> tuple:
        service.reset(conversation or None)
        return [], None, [], citation_panel_placeholder(), gr.update(visible=False)

    new_chat.click(restart, [cid], [chatbot, cid, turns, panel, feedback_box], api_visibility="private")
    # The chat's own 🗑 button clears the messages; the conversation must be forgotten with them.
    chatbot.clear(restart, [cid], [chatbot, cid, turns, panel, feedback_box], api_visibility="private")


def _notify(message: str, thanks: str | None = None) -> None:
    """Show the outcome of a feedback write: thanks when it was saved, otherwise why it was not (a warning)."""
    if message == service.FEEDBACK_SAVED:
        gr.Info(thanks or message, duration=4, title="提示")
    else:
        gr.Warning(_safe(message), duration=6, title="提示")


# --- 补贴测算 ----------------------------------------------------------------------------------------------------------


def _field(name: str) -> gr.components.Component:
    spec = field_spec(name)
    if spec.kind == "bool":
        return gr.Radio([UNKNOWN, YES, NO], value=UNKNOWN, label=spec.label, info=spec.info, elem_id=f"f-{name}")
    if spec.kind == "choice":
        return gr.Dropdown([(UNKNOWN, "")] + spec.choices, value="", label=spec.label, info=spec.info,
                           elem_id=f"f-{name}")
    if spec.kind == "choices":
        return gr.CheckboxGroup(spec.choices, value=[], label=spec.label, info=spec.info, elem_id=f"f-{name}")
    if spec.kind == "date":
        return gr.Textbox(label=spec.label, info=spec.info, placeholder="如 2026-05-01", max_length=20,
                          elem_id=f"f-{name}")
    unit = spec.unit
    return gr.Textbox(label=f"{spec.label}（{unit}）", info=spec.info, placeholder=f"单位：{unit}", max_length=20,
                      elem_id=f"f-{name}")


def _default(name: str) -> Any:
    if name.startswith(COUNT):
        return 1
    if name.startswith(OTHER):
        return False
    kind = field_spec(name).kind
    return {"bool": UNKNOWN, "choice": "", "choices": []}.get(kind, "")


def _count_fields(section: list[str]) -> list[tuple[str, gr.components.Component]]:
    """Beside each product award of the section (三.6): how many products hold it, and a 另一产品 box."""
    out: list[tuple[str, gr.components.Component]] = []
    for spec in (c for c in count_specs() if c.fact in section):
        slug = spec.name.replace(".", "-")
        with gr.Row(equal_height=True):
            out.append((COUNT + spec.name, gr.Number(
                value=1, precision=0, minimum=1, label=f"{spec.label}：产品个数", elem_id=f"f-count-{slug}",
                info="几个产品获得这项认定（选中该认定后填写）")))
            out.append((OTHER + spec.name, gr.Checkbox(
                value=False, label="另一产品", elem_id=f"f-other-{slug}",
                info="获得这项认定的是另外的产品（与其他认定不是同一产品，奖励分别计算）")))
    return out


def _calc_tab(doc) -> None:
    with gr.Row(equal_height=True):
        gr.Markdown(
            "填写企业情况（不清楚的可以不填，系统会列出还需要哪些信息），点击 **测算全部政策**，按《实施方案》"
            "“三、支持政策”逐条测算。金额单位为 **万元**，增速单位为 **%**。",
            elem_classes=["jx-note"],
        )
        # Above the long form, so the button and its results are on screen together.
        run = gr.Button("测算全部政策", variant="primary", elem_id="jx-calc-run", scale=0, min_width=150)
        sample = gr.Button("填入示例企业", elem_id="jx-calc-sample", scale=0, min_width=130)
        clear = gr.Button("清空", scale=0, min_width=80)
    names: list[str] = []
    fields: list[gr.components.Component] = []
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=420):
            for title, section, is_open in SECTIONS:
                with gr.Accordion(title, open=is_open):
                    for start in range(0, len(section), 2):
                        with gr.Row():
                            for name in section[start:start + 2]:
                                names.append(name)
                                fields.append(_field(name))
                    for name, component in _count_fields(section):
                        names.append(name)
                        fields.append(component)
        with gr.Column(scale=2, min_width=360):
            gr.HTML('<div class="jx-panel-title">测算结果</div>', js_on_load=None)
            result = gr.HTML(
                '<div class="jx-empty">填写左侧信息后点击“测算全部政策”，这里将列出可能符合的政策、测算金额、'
                "计算步骤与依据条款，以及还需补充的信息。</div>",
                elem_id="jx-calc-result",
                js_on_load=None,
            )

    @_friendly(lambda m: message_html(m, "warn"))
    def run_calc(request: gr.Request, *values: Any) -> str:  # Gradio passes the request first
        _check_rate(request)
        facts = facts_from_form(dict(zip(names, values)))
        return match_cards_html(match_result(facts), doc)

    run.click(run_calc, fields, result, api_visibility="private")
    sample.click(lambda: [SAMPLE_PROFILE.get(n, _default(n)) for n in names], None, fields, queue=False,
                 api_visibility="private")
    clear.click(lambda: [_default(n) for n in names], None, fields, queue=False, api_visibility="private")


# --- 条款查询 ----------------------------------------------------------------------------------------------------------


def _search_tab(doc) -> None:
    found = gr.State([])
    with gr.Row(equal_height=True):
        query = gr.Textbox(
            show_label=False,
            placeholder="输入关键词、条款编号或单位，如：算力券 / 三.7 / 支持政策第七条 / 市经信局牵头",
            max_length=service.MAX_INPUT_CHARS,
            submit_btn="查询",
            scale=8,
            elem_id="jx-search",
        )
    gr.Examples(EXAMPLE_SEARCHES, inputs=query, label="试一试", examples_per_page=5)
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=360):
            gr.HTML('<div class="jx-panel-title">查询结果（点击查看全文）</div>', js_on_load=None)
            results = gr.HTML('<div class="jx-empty">输入查询内容后按 Enter。</div>', elem_id="jx-search-results",
                              js_on_load=CLICK_JS)
        with gr.Column(scale=3, min_width=420):
            gr.HTML('<div class="jx-panel-title">条款全文</div>', js_on_load=None)
            detail = gr.HTML('<div class="jx-empty">点击左侧结果查看条款全文。</div>', elem_id="jx-clause-detail",
                             js_on_load=None)
            citation = gr.Textbox(
                label="工单引用（点击右上角按钮一键复制）",
                buttons=["copy"],
                interactive=False,
                lines=3,
                elem_id="jx-citation",
            )

    def show(hit: dict) -> tuple[str, str]:
        clause = doc.get(hit["clause_id"])
        return clause_detail_html(clause, hit.get("matched_terms") or []), hit["citation"]

    @_friendly(lambda m: ([], message_html(m, "warn"), gr.update(), gr.update()))
    def run_search(text: str, request: gr.Request) -> tuple:
        _check_rate(request)
        hits = service.search(text, 8)
        if not hits:
            return [], search_results_html([]), gr.update(), gr.update()
        first_detail, first_citation = show(hits[0])
        return hits, search_results_html(hits, hits[0]["clause_id"]), first_detail, first_citation

    query.submit(run_search, [query], [found, results, detail, citation], api_visibility="private")

    @_friendly(lambda m: (gr.update(),) * 3)
    def pick(hits: list, evt: gr.EventData) -> tuple:
        chosen = getattr(evt, "clause_id", None) if evt is not None else None
        hit = next((h for h in hits if h["clause_id"] == chosen), None)
        if hit is None:
            return gr.update(), gr.update(), gr.update()
        body, line = show(hit)
        return search_results_html(hits, hit["clause_id"]), body, line

    results.click(pick, [found], [results, detail, citation], api_visibility="private")


def _versions_tab() -> None:
    """Changed clauses of the version in force beside the draft's, and any version's clauses by number."""
    from ..versions import active_version

    gr.HTML(comparison_html(), js_on_load=None)
    gr.HTML('<div class="jx-panel-title">按版本查看条款原文</div>', js_on_load=None)
    current = active_version().id
    with gr.Row(equal_height=True):
        version = gr.Dropdown(version_choices(), value=current, label="版本", elem_id="jx-version-pick", scale=3)
        clause = gr.Dropdown(version_document(current).ids(), value=None, label="条款编号", elem_id="jx-version-clause",
                             scale=1)
    detail = gr.HTML('<div class="jx-empty">选择版本和条款编号查看原文。</div>', elem_id="jx-version-detail",
                     js_on_load=None)

    @_friendly(lambda m: (gr.update(), message_html(m, "warn")))
    def pick_version(version_id: str) -> tuple:
        return gr.update(choices=version_document(version_id).ids(), value=None), gr.update()

    @_friendly(lambda m: message_html(m, "warn"))
    def show(version_id: str, clause_id: str | None) -> str:
        if not clause_id:
            return '<div class="jx-empty">选择版本和条款编号查看原文。</div>'
        doc = version_document(version_id)
        if clause_id not in doc.ids():
            return message_html(f"该版本没有条款 {clause_id}。", "warn")
        return clause_detail_html(doc.get(clause_id))

    version.change(pick_version, [version], [clause, detail], api_visibility="private")
    clause.change(show, [version, clause], [detail], api_visibility="private")


# --- assembly ------------------------------------------------------------------------------------------------------


def build_app(feedback_store: FeedbackStore | None = None) -> gr.Blocks:
    """Build the page (three tabs plus the ``/ask``, ``/search``, ``/calc`` endpoints), with its queue configured.
    ``web.server.create_app`` mounts it beside the REST API."""
    doc = load_document()
    load_rules()  # bad rule data stops the start-up with a RuleFileError naming the file and key, not a user's answer
    store = feedback_store or FeedbackStore()
    with gr.Blocks(title="嘉兴市人工智能政策助手", analytics_enabled=False) as demo:
        gr.HTML(header_html(), js_on_load=None)
        with gr.Tabs():
            with gr.Tab("政策问答", id="chat", elem_id="tab-chat"):
                _chat_tab(doc, store)
            with gr.Tab("补贴测算", id="calc", elem_id="tab-calc"):
                _calc_tab(doc)
            with gr.Tab("条款查询", id="search", elem_id="tab-search"):
                _search_tab(doc)
            with gr.Tab("与征求意见稿相比", id="versions", elem_id="tab-versions"):
                _versions_tab()
        gr.api(api_ask, api_name="ask")
        gr.api(api_search, api_name="search")
        gr.api(api_calc, api_name="calc")
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_MAX)
    return demo


def warm_up() -> threading.Thread:
    """Load the assistant and retrieval index in the background, so the first visitor does not wait for it."""

    def run() -> None:
        try:
            from ..assistant import get_assistant

            get_assistant().retriever.search("算力券", 1)
        except Exception:  # the first real request will report the problem to its user
            log.exception("warm-up failed")

    thread = threading.Thread(target=run, name="jxai-warm-up", daemon=True)
    thread.start()
    return thread
