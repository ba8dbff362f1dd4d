#!/usr/bin/env python3
"""Load test of the web app through gradio_client, on loopback only; bounded in requests and time, self-stopping.

    python scripts/loadtest.py --sessions 50 --turns 10

Starts the real app (``python -m jxai_assistant serve``) on a free 127.0.0.1 port unless ``--url`` is given, and
stops it at the end. Two phases:

1. **sessions**: N concurrent sessions (one gradio_client each, so one server session each) ask T turns of real
   conversations through ``/ask``, back to back. Reports errors and p50/p95/max latency; passes with 0 errors.
2. **burst**: more simultaneous ``/ask`` requests than the queue holds (default twice the queue size), each from its
   own session. Passes when every request is either answered or refused cleanly as "queue full" (HTTP 503), at
   least one is refused, and the server logged no traceback.

Exit code 0 when both phases pass, 1 otherwise, 2 on bad arguments. ``--json FILE`` writes the report.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

INTENTS = {"lookup", "calculate", "clarify", "out_of_scope"}
# Real conversations (each list is one session's script; turns past its end start it over in a new conversation).
SCRIPTS = [
    ["我们智算支出120万元，能拿多少？", "我们没有开发大模型", "那如果支出是300万呢？"],
    ["算力券单个企业最多补贴多少？", "支持政策第七条", "市数据局牵头哪些任务？"],
    ["研发费用能补多少？", "我们研发费用今年300万，去年200万，符合加计扣除，是规上企业，不是高新技术企业，营业收入5000万"],
    ["我们营收首次过3000万、增长12%，能拿多少？", "我们是信息服务业企业"],
    ["我们的产品被认定为首台套，能奖多少？", "国内的"],
    ["政策有效期到什么时候", "杭州的人工智能补贴政策是什么", "第二部分第十条是什么"],
]
# The burst uses questions that take the longest path (extraction + retrieval over a long text), so the queue fills.
BURST_QUESTION = "我们公司主要做人工智能软件和数据服务，" * 60 + "请问有哪些支持政策适用于我们？"


@dataclass
class Outcome:
    """One request: what happened and how long it took (seconds)."""

    kind: str  # ok | busy | limited | error
    seconds: float
    detail: str = ""


@dataclass
class PhaseReport:
    """Counts and latency of one phase."""

    name: str
    requests: int = 0
    ok: int = 0
    busy: int = 0
    limited: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    seconds: float = 0.0
    passed: bool = False


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0–100), linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summarize(name: str, outcomes: list[Outcome], seconds: float) -> PhaseReport:
    """Aggregate outcomes into a report (latency over answered requests only)."""
    report = PhaseReport(name=name, requests=len(outcomes), seconds=round(seconds, 2))
    for o in outcomes:
        key = o.kind if o.kind in ("ok", "busy", "limited") else "errors"
        setattr(report, key, getattr(report, key) + 1)
        if o.kind == "error" and len(report.error_samples) < 5:
            report.error_samples.append(o.detail[:300])
    answered = [o.seconds * 1000 for o in outcomes if o.kind == "ok"]
    for key, q in (("p50_ms", 50), ("p95_ms", 95), ("max_ms", 100)):
        value = percentile(answered, q)
        setattr(report, key, None if value is None else round(value, 1))
    return report


# --- the server -----------------------------------------------------------------------------------------------------


def is_loopback_url(url: str) -> bool:
    """True when ``url`` points at this machine's loopback interface (127.0.0.0/8, ::1, localhost)."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """The real app in a child process (``python -m jxai_assistant serve``) with its log in a file; a context manager
    that always stops it."""

    def __init__(self, env: dict[str, str] | None = None, startup_timeout: float = 180.0, workers: int = 1,
                 port: int | None = None) -> None:
        self.port = port or free_port()
        self.workers = workers
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout = startup_timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="jxai-loadtest-")
        self.log_path = Path(self._tmp.name) / "server.log"
        self.env = dict(os.environ)
        # Feedback and other user data go to a throwaway directory unless the caller chose one.
        self.env.setdefault("JXAI_DATA_DIR", str(Path(self._tmp.name) / "data"))
        self.env.update({"GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"})
        # The load test measures capacity from one address: the per-address rate limit (tested on its own in
        # tests/robustness/test_security.py) would refuse the burst before the queue is ever full.
        self.env.setdefault("JXAI_RATE_LIMIT", "off")
        self.env.update(env or {})
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "ServerProcess":
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "jxai_assistant", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(self.workers)],
            stdout=log, stderr=subprocess.STDOUT, env=self.env, stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited with {self.process.returncode} during start-up:\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.url}/config", timeout=5) as response:
                    if response.status == 200:
                        return self
            except urllib.error.HTTPError:
                return self  # it answers (401 when a login is configured)
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the app did not answer within {self.startup_timeout:.0f}s:\n{self.log()}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Terminate the child (SIGTERM, then SIGKILL after 15 s) and remove its temporary directory."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self._log_text = self.log()
        self._tmp.cleanup()

    def log(self) -> str:
        """The server's output so far."""
        if getattr(self, "_log_text", None) is not None:
            return self._log_text
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""


def server_problems(log: str) -> list[str]:
    """Failures in a server log (tracebacks, HTTP 500), each as its first line and the exception that ended it."""
    lines = log.splitlines()
    problems = []
    for i, line in enumerate(lines):
        if "Traceback" in line:
            # The exception line is the first unindented line after the traceback's frames.
            end = next((lines[j] for j in range(i + 1, min(len(lines), i + 200)) if lines[j] and not lines[j][0].isspace()
                        and not lines[j].startswith("Traceback")), "")
            problems.append(f"{line.strip()} … {end.strip()[:200]}")
        elif " 500 " in line or "Internal Server Error" in line:
            problems.append(line.strip()[:200])
    return problems[:10]


# --- clients --------------------------------------------------------------------------------------------------------


def connect(url: str, auth: tuple[str, str] | None, timeout: float):
    """A gradio_client for ``url`` (its own server session)."""
    from gradio_client import Client

    return Client(url, auth=auth, verbose=False, httpx_kwargs={"timeout": timeout})


def classify(exc: BaseException) -> Outcome:
    """Sort a failed request into busy (queue full), limited (rate limit) or error."""
    from gradio_client.exceptions import AppError
    from gradio_client.utils import QueueError

    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, QueueError) or "Queue is full" in str(exc) or "queue_full" in str(exc):
        return Outcome("busy", 0.0, text)
    if isinstance(exc, AppError) and "太频繁" in str(exc):
        return Outcome("limited", 0.0, text)
    return Outcome("error", 0.0, text)


def ask(client, question: str, conversation: str | None, timeout: float) -> tuple[Outcome, str | None]:
    """One /ask call; returns its outcome and the conversation id to continue with."""
    started = time.perf_counter()
    try:
        response = client.submit(question, conversation, api_name="/ask").result(timeout=timeout)
    except Exception as exc:  # every failure is counted, never raised: the run must finish and report
        outcome = classify(exc)
        outcome.seconds = time.perf_counter() - started
        return outcome, conversation
    seconds = time.perf_counter() - started
    if not isinstance(response, dict) or not str(response.get("answer", "")).strip() \
            or response.get("intent") not in INTENTS:
        return Outcome("error", seconds, f"not a contract response: {str(response)[:200]}"), conversation
    return Outcome("ok", seconds), response.get("conversation_id") or conversation


def run_sessions(url: str, sessions: int, turns: int, *, auth=None, timeout: float = 60.0,
                 deadline: float) -> PhaseReport:
    """Phase 1: ``sessions`` concurrent sessions × ``turns`` sequential turns each."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    start = threading.Barrier(sessions)

    def session(index: int) -> None:
        try:
            client = connect(url, auth, timeout)
        except Exception as exc:
            with lock:
                outcomes.append(Outcome("error", 0.0, f"connect: {type(exc).__name__}: {exc}"))
            start.abort()
            return
        try:
            start.wait(timeout=timeout)
        except threading.BrokenBarrierError:
            pass
        script = SCRIPTS[index % len(SCRIPTS)]
        conversation = None
        for turn in range(turns):
            if time.monotonic() > deadline:
                return
            if turn % len(script) == 0:
                conversation = None  # the script starts over: a new conversation
            outcome, conversation = ask(client, script[turn % len(script)], conversation, timeout)
            with lock:
                outcomes.append(outcome)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=sessions) as pool:
        list(pool.map(session, range(sessions)))
    report = summarize("sessions", outcomes, time.perf_counter() - started)
    expected = sessions * turns
    if report.requests < expected:
        report.error_samples.append(f"stopped by the time limit after {report.requests} of {expected} requests")
    report.passed = report.errors == 0 and report.requests == expected and report.ok == expected
    return report


def run_burst(url: str, size: int, *, auth=None, timeout: float = 120.0) -> PhaseReport:
    """Phase 2: ``size`` simultaneous /ask requests, one per session, released together."""
    with ThreadPoolExecutor(max_workers=min(size, 64)) as pool:
        clients = list(pool.map(lambda _: connect(url, auth, timeout), range(size)))
    gate = threading.Barrier(size)

    def one(client) -> Outcome:
        try:
            gate.wait(timeout=timeout)
        except threading.BrokenBarrierError:
            pass
        return ask(client, BURST_QUESTION, None, timeout)[0]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=size) as pool:
        outcomes = list(pool.map(one, clients))
    report = summarize("burst", outcomes, time.perf_counter() - started)
    report.passed = report.errors == 0 and report.busy > 0 and report.ok > 0
    if report.busy == 0:
        report.error_samples.append(f"the queue never filled with {size} simultaneous requests: raise --burst")
    return report


# --- command line ---------------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options (bounded: sessions, turns and burst have upper limits)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an app already running on 127.0.0.1 (default: start one on a free port)")
    parser.add_argument("--sessions", type=int, default=50, help="concurrent sessions (1–200, default 50)")
    parser.add_argument("--turns", type=int, default=10, help="turns per session (1–100, default 10)")
    parser.add_argument("--burst", type=int, default=None,
                        help="simultaneous requests in phase 2 (default: twice the app's queue size; 0 = skip)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds one request may take (default 120)")
    parser.add_argument("--max-seconds", type=float, default=900.0,
                        help="stop issuing requests after this many seconds (default 900)")
    parser.add_argument("--auth", help="user:password when the app requires a login")
    parser.add_argument("--json", type=Path, help="write the report as JSON to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= 200 or not 1 <= args.turns <= 100:
        parser.error("--sessions must be 1–200 and --turns 1–100")
    if args.burst is not None and not 0 <= args.burst <= 500:
        parser.error("--burst must be 0–500")
    if args.url and not is_loopback_url(args.url):
        parser.error("--url must point at this machine (127.0.0.1, localhost or ::1)")
    return args


def default_burst() -> int:
    """Twice the app's queue size (the issue's "at twice the queue size")."""
    from jxai_assistant.web.app import QUEUE_MAX

    return 2 * QUEUE_MAX


def run(args: argparse.Namespace) -> dict:
    """Run both phases against ``args.url`` or a freshly started app; returns the report dict."""
    auth = tuple(args.auth.split(":", 1)) if args.auth else None
    burst = default_burst() if args.burst is None else args.burst
    server = None if args.url else ServerProcess(env={"JXAI_AUTH": args.auth} if args.auth else None)
    report: dict = {"sessions": args.sessions, "turns": args.turns, "burst": burst}
    served_log = ""
    try:
        if server is not None:
            server.__enter__()
        url = args.url or server.url
        report["url"] = url
        deadline = time.monotonic() + args.max_seconds
        phases = [run_sessions(url, args.sessions, args.turns, auth=auth, timeout=args.timeout, deadline=deadline)]
        if burst and time.monotonic() < deadline:
            phases.append(run_burst(url, burst, auth=auth, timeout=args.timeout))
        report["phases"] = [asdict(p) for p in phases]
        # Read the log while the server still serves: stopping it cancels the clients' open event streams, and
        # those cancellations ("timeout graceful shutdown exceeded") are the shutdown's, not failures of a request.
        served_log = server.log() if server is not None else ""
    finally:
        if server is not None:
            server.stop()
    problems = server_problems(served_log) if server is not None else []
    report["server_problems"] = problems
    report["passed"] = all(p["passed"] for p in report["phases"]) and not problems
    return report


def render(report: dict) -> str:
    """A short human-readable summary."""
    lines = [f"jxai load test against {report.get('url')}: {report['sessions']} sessions × {report['turns']} turns, "
             f"burst {report['burst']}"]
    for p in report.get("phases", []):
        lines.append(
            f"  {p['name']:<8} requests {p['requests']:>4}  ok {p['ok']:>4}  busy {p['busy']:>3}  "
            f"limited {p['limited']:>3}  errors {p['errors']:>3}  p50 {p['p50_ms']} ms  p95 {p['p95_ms']} ms  "
            f"max {p['max_ms']} ms  ({p['seconds']} s)  {'PASS' if p['passed'] else 'FAIL'}")
        lines += [f"    {sample}" for sample in p["error_samples"]]
    if report.get("server_problems"):
        lines.append("  server log problems:")
        lines += [f"    {line}" for line in report["server_problems"]]
    lines.append("PASS" if report["passed"] else "FAIL")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point; see the module docstring."""
    args = parse_args(argv)
    report = run(args)
    print(render(report), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
