#!/usr/bin/env python3
"""Throughput and latency of the REST API beside the in-process figure, in the same run; memory under new sessions.

    python scripts/httpbench.py [--workers 2] [--seconds 10] [--clients 1,10,50] [--sessions 10000]

Starts the real server (``jxai serve --workers N``, rate limit off, throwaway data directory) on a free 127.0.0.1
port and stops it at the end. Prints:

1. **in-process**: one thread answering the question mix below through ``Assistant.ask`` (answers/s, p50/p95);
2. **REST** ``POST /v1/ask`` at each client count (keep-alive connections, one per client, the same question mix as
   conversations): answers/s, p50/p95/max and the share of the in-process throughput;
3. **memory**: the server's resident memory (all worker processes) before and after ``--sessions`` new
   conversations (each a new ``/v1/ask`` without an id) and ``--page-sessions`` new page sessions (Gradio queue
   events, each with a new session hash).

Figures only: nothing is asserted. The load average is printed, since other work on the machine changes the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest import SCRIPTS, ServerProcess, percentile  # noqa: E402

QUESTIONS = [turn for script in SCRIPTS for turn in script]


def in_process(seconds: float) -> dict:
    """Single-thread throughput of the assistant itself over the conversations in ``SCRIPTS``."""
    from jxai_assistant.assistant import Assistant

    assistant = Assistant()
    for question in QUESTIONS:  # warm: index loaded, caches filled, as in a running server
        assistant.ask(question)
    latencies: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for script in SCRIPTS:
            conversation = uuid.uuid4().hex
            for turn in script:
                t0 = time.perf_counter()
                assistant.ask(turn, conversation)
                latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    return {"answers": len(latencies), "per_second": len(latencies) / elapsed, **_percentiles(latencies)}


def _percentiles(latencies: list[float]) -> dict:
    ms = [x * 1000 for x in latencies]
    return {"p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95), "max_ms": max(ms) if ms else None}


def _post(conn: http.client.HTTPConnection, path: str, body: dict) -> dict:
    conn.request("POST", path, json.dumps(body, ensure_ascii=False).encode(), {"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status}: {data[:200]!r}")
    return json.loads(data)


def rest(port: int, clients: int, seconds: float) -> dict:
    """``clients`` threads, each one keep-alive connection running the conversations back to back."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        n = index
        while time.perf_counter() < stop:
            script = SCRIPTS[n % len(SCRIPTS)]
            n += 1
            conversation = None
            for turn in script:
                t0 = time.perf_counter()
                try:
                    conversation = _post(conn, "/v1/ask", {"question": turn, "conversation_id": conversation})[
                        "conversation_id"]
                except Exception as exc:  # counted and reported, never raised: the run must finish
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    break
                mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"clients": clients, "answers": len(latencies), "errors": len(errors), "error_samples": errors[:3],
            "per_second": len(latencies) / elapsed, **_percentiles(latencies)}


def server_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the uvicorn workers), in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def new_sessions(port: int, count: int, clients: int = 4) -> float:
    """``count`` new conversations (no id, one question each); returns the seconds taken."""
    per_client = count // clients
    started = time.perf_counter()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for i in range(per_client):
            _post(conn, "/v1/ask", {"question": "支持政策第七条"})
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def new_page_sessions(port: int, count: int) -> float:
    """``count`` page sessions: each a Gradio queue event (/ask) under a new session hash, read to completion."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/config")
    config = json.loads(conn.getresponse().read())
    fn_index = next(d.get("id", i) for i, d in enumerate(config["dependencies"]) if d.get("api_name") == "ask")
    started = time.perf_counter()
    for _ in range(count):
        session = uuid.uuid4().hex[:11]
        conn.request("POST", "/gradio_api/queue/join", json.dumps(
            {"data": ["支持政策第七条", None], "fn_index": fn_index, "session_hash": session, "event_data": None,
             "trigger_id": None}).encode(), {"Content-Type": "application/json"})
        conn.getresponse().read()
        conn.request("GET", f"/gradio_api/queue/data?session_hash={session}")
        response = conn.getresponse()
        while line := response.readline():
            if b"process_completed" in line:
                break
        response.read() if response.length else None
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per measurement (default 10)")
    parser.add_argument("--clients", default="1,10,50", help="concurrent REST clients (default 1,10,50)")
    parser.add_argument("--sessions", type=int, default=10_000, help="new conversations for the memory figure")
    parser.add_argument("--page-sessions", type=int, default=0,
                        help="new page (Gradio) sessions for the memory figure (default 0)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.clients.split(",") if c.strip()]
    if not 1 <= args.workers <= 16 or not all(1 <= c <= 200 for c in counts) or not 1 <= args.seconds <= 120:
        parser.error("--workers 1–16, --clients 1–200 each, --seconds 1–120")

    report: dict = {"load_average_before": os.getloadavg(), "workers": args.workers}
    with ServerProcess(env={"JXAI_RATE_LIMIT": "off"}, workers=args.workers) as server:
        # Ready: every worker has its index loaded (readiness is per worker; ask until several say so).
        deadline = time.monotonic() + 180
        ready = 0
        while ready < 4 * args.workers and time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            conn.request("GET", "/v1/readyz")
            ready = ready + 1 if conn.getresponse().status == 200 else 0
            conn.close()
            time.sleep(0.2)
        report["in_process"] = in_process(args.seconds)
        base = report["in_process"]["per_second"]
        report["rest"] = []
        for clients in counts:
            result = rest(server.port, clients, args.seconds)
            result["share_of_in_process"] = result["per_second"] / base
            report["rest"].append(result)
        before = server_rss_mb(server.process.pid)
        took = new_sessions(server.port, args.sessions) if args.sessions else 0.0
        page_took = new_page_sessions(server.port, args.page_sessions) if args.page_sessions else 0.0
        after = server_rss_mb(server.process.pid)
        report["memory"] = {"sessions": args.sessions, "page_sessions": args.page_sessions,
                            "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1),
                            "added_mb": round(after - before, 1), "seconds": round(took + page_took, 1)}
        report["server_problems"] = [line for line in server.log().splitlines() if "Traceback" in line][:5]
    report["load_average_after"] = os.getloadavg()
    print(render(report), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def render(report: dict) -> str:
    """The figures as a short table."""
    ip = report["in_process"]
    lines = [f"load average before {', '.join(f'{x:.2f}' for x in report['load_average_before'])}; "
             f"server workers {report['workers']}",
             f"in-process (1 thread)  {ip['per_second']:7.1f} answers/s  p50 {ip['p50_ms']:.1f} ms  "
             f"p95 {ip['p95_ms']:.1f} ms"]
    for r in report["rest"]:
        lines.append(f"REST /v1/ask  {r['clients']:>3} clients  {r['per_second']:7.1f} answers/s "
                     f"({r['share_of_in_process']:.0%} of in-process)  p50 {r['p50_ms']:.1f} ms  "
                     f"p95 {r['p95_ms']:.1f} ms  max {r['max_ms']:.1f} ms  errors {r['errors']}")
        lines += [f"    {s}" for s in r["error_samples"]]
    m = report["memory"]
    lines.append(f"memory: {m['sessions']} new conversations + {m['page_sessions']} new page sessions: "
                 f"RSS {m['rss_before_mb']} → {m['rss_after_mb']} MB (+{m['added_mb']} MB, {m['seconds']} s)")
    lines.append(f"load average after {', '.join(f'{x:.2f}' for x in report['load_average_after'])}")
    if report["server_problems"]:
        lines += ["server log problems:", *report["server_problems"]]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
