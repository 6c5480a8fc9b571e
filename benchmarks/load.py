"""`python -m benchmarks load`: many visitors at once, in real browsers and in threads.

* Browser: one `streamlit run app.py`, N Chromium contexts (separate sessions) that each ask a
  different golden question at the same moment, for several rounds. Every page must show its
  own answer (the expected answer's opening words and cited titles, computed sequentially
  in-process beforehand with that visitor's earlier questions as history, as the page passes
  them) and no other page's. Time to full answer runs from pressing Enter to
  the consultation button (or the no-answer text) in that page's new assistant message.
* Service: M simultaneous :meth:`Assistant.ask` calls from threads (released together by a
  barrier) on an assistant that has not loaded its index yet, each compared with a sequential
  call's result.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from benchmarks.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    cpu_seconds,
    peak_rss_mb,
    require_browser,
    streamlit_server,
)
from practice_assistant.models import Answer

CHAT_MESSAGE = '[data-testid="stChatMessage"]'
ANSWER_TIMEOUT_MS = 180_000
SNIPPET_WORDS = 8
SOLO_ASKS = 5


def comparable(answer: Answer) -> dict[str, Any]:
    """An answer without its timings: what must not change between sequential and concurrent."""
    data = answer.to_json()
    data.pop("timings_ms")
    return data


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"\[\d+\]", " ", text.lower())))


def snippet(answer: Answer) -> str:
    """The opening words of the answer's first cited paragraph, as the page will show them."""
    lines = [line for line in answer.answer.splitlines()[1:] if line.strip()]
    return " ".join(_words(lines[0] if lines else answer.answer).split()[:SNIPPET_WORDS])


def pick_questions(golden: Sequence[Any], expected: dict[str, Answer], n: int) -> list[str]:
    """``n`` answerable questions answered right sequentially, spread across articles."""
    by_slug: dict[str, list[str]] = {}
    for item in golden:
        answer = expected.get(item.question)
        if (item.answerable and not item.followup_of and answer is not None
                and answer.route == "answer"
                and any(c.slug in item.slugs for c in answer.citations)):
            by_slug.setdefault(item.slugs[0], []).append(item.question)
    picked: list[str] = []
    while len(picked) < n and any(by_slug.values()):
        for questions in by_slug.values():
            if questions and len(picked) < n:
                picked.append(questions.pop(0))
    if len(picked) < n:
        raise ValueError(f"only {len(picked)} golden questions are answered right; need {n}")
    return picked


def service_questions(golden: Sequence[Any], n: int) -> list[str]:
    """``n`` golden questions (no follow-ups), the unanswerable ones included, in golden order."""
    items = [g for g in golden if not g.followup_of]
    unanswerable = [g for g in items if not g.answerable][:n]
    answerable = [g for g in items if g.answerable][:n - len(unanswerable)]
    chosen = {id(g) for g in (*answerable, *unanswerable)}
    questions = [g.question for g in items if id(g) in chosen]
    while len(questions) < n and items:
        questions.append(items[len(questions) % len(items)].question)
    return questions


def visitor_plan(questions: Sequence[str], contexts: int, rounds: int) -> list[list[str]]:
    """What each visitor asks, round by round: all different within a round, rotating after."""
    return [[questions[(i + turn) % len(questions)] for turn in range(rounds)]
            for i in range(contexts)]


def expected_answers(assistant: Any, plan: Sequence[Sequence[str]]) -> list[list[Answer]]:
    """Each visitor's answers asked sequentially, with that visitor's earlier questions as
    history (the page passes them, and a follow-up is read in their light)."""
    return [[assistant.ask(q, list(asked[:turn])) for turn, q in enumerate(asked)]
            for asked in plan]


def check_page(own: Answer, text: str, others: Sequence[Answer]) -> list[str]:
    """What is wrong with one page's answer (empty when it shows ``own`` and no other)."""
    shown = _words(text)
    label = repr(own.question)
    problems = []
    if snippet(own) not in shown:
        problems.append(f"{label}: its answer's opening words are missing")
    for citation in own.citations:
        if _words(citation.title) not in shown:
            problems.append(f"{label}: cited title {citation.title!r} is missing")
    own_words = _words(own.answer)
    for other in others:
        theirs = snippet(other)
        if other.question != own.question and theirs not in own_words and theirs in shown:
            problems.append(f"{label}: shows the answer to {other.question!r}")
    return problems


async def _ask(page: Any, question: str, turn: int, done_text: tuple[str, str]) -> tuple[float,
                                                                                          str]:
    box = page.get_by_role("textbox").first
    await box.fill(question)
    started = time.perf_counter()
    await box.press("Enter")
    message = page.locator(CHAT_MESSAGE).nth(2 * turn + 1)
    consultation, no_answer = done_text
    done = message.get_by_role("link", name=consultation).or_(
        message.get_by_text(no_answer[:40]))
    await done.first.wait_for(timeout=ANSWER_TIMEOUT_MS)
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, await message.text_content() or ""


async def _browser_rounds(url: str, plan: Sequence[Sequence[str]],
                          expected: Sequence[Sequence[Answer]],
                          done_text: tuple[str, str], app_pid: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    latencies: list[float] = []
    solo: list[float] = []
    problems: list[str] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=CHROMIUM_ARGS)
        try:
            alone = await (await browser.new_context()).new_page()
            await alone.goto(url)
            await alone.get_by_role("textbox").first.wait_for(timeout=ANSWER_TIMEOUT_MS)
            for turn, asked in enumerate(plan[:SOLO_ASKS]):  # a lone visitor, for comparison
                solo.append((await _ask(alone, asked[0], turn, done_text))[0])
            await alone.context.close()
            pages = []
            for _ in plan:
                context = await browser.new_context()
                pages.append(await context.new_page())
            await asyncio.gather(*(page.goto(url) for page in pages))
            await asyncio.gather(*(page.get_by_role("textbox").first.wait_for(
                timeout=ANSWER_TIMEOUT_MS) for page in pages))
            cpu_before, started = cpu_seconds(app_pid), time.perf_counter()
            for turn in range(len(plan[0]) if plan else 0):
                results = await asyncio.gather(
                    *(_ask(page, asked[turn], turn, done_text)
                      for page, asked in zip(pages, plan, strict=True)),
                    return_exceptions=True)
                this_round = [answers[turn] for answers in expected]
                for own, result in zip(this_round, results, strict=True):
                    if isinstance(result, BaseException):
                        problems.append(f"round {turn + 1} {own.question!r}: {result!r}"[:300])
                        continue
                    latencies.append(result[0])
                    problems += [f"round {turn + 1} {p}"
                                 for p in check_page(own, result[1], this_round)]
            cpu_after, wall = cpu_seconds(app_pid), time.perf_counter() - started
        finally:
            await browser.close()
    app_cpu = cpu_after - cpu_before if cpu_after is not None and cpu_before is not None else None
    return {"latencies_ms": latencies, "solo_latencies_ms": solo, "problems": problems,
            "rounds_wall_s": round(wall, 2),
            "app_cpu_s": round(app_cpu, 2) if app_cpu is not None else None}


def browser_load(root: Path, env: dict[str, str], log: Path, plan: Sequence[Sequence[str]],
                 expected: Sequence[Sequence[Answer]],
                 done_text: tuple[str, str]) -> dict[str, Any]:
    """Start the app and run the visitors of ``plan`` at once, round by round."""
    require_browser()
    with streamlit_server(root, env, log) as app:
        result = asyncio.run(_browser_rounds(app.url, plan, expected, done_text, app.pid))
        result["peak_rss_mb"] = peak_rss_mb(app.pid)
    result["answers"] = len(result["latencies_ms"])
    result["expected_answers"] = sum(len(asked) for asked in plan)
    return result


def concurrent_asks(assistant: Any, questions: Sequence[str],
                    expected: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """All ``questions`` asked at once, one thread each; each compared with ``expected``."""
    threads = len(questions)
    barrier = threading.Barrier(threads)

    def call(question: str) -> tuple[dict[str, Any], float]:
        barrier.wait(timeout=120)
        started = time.perf_counter()
        answer = assistant.ask(question)
        return comparable(answer), (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(call, q) for q in questions]
    wall = time.perf_counter() - started
    errors: list[str] = []
    mismatches: list[str] = []
    latencies: list[float] = []
    for question, future, want in zip(questions, futures, expected, strict=True):
        error = future.exception()
        if error is not None:
            errors.append(f"{question!r}: {error!r}"[:300])
            continue
        got, elapsed = future.result()
        latencies.append(elapsed)
        if got != want:
            mismatches.append(question)
    return {"calls": len(questions), "threads": threads, "errors": errors,
            "mismatches": mismatches, "latencies_ms": latencies, "wall_s": round(wall, 2)}
