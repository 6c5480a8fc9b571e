"""Markdown tables and target verdicts from the JSON the bench runs return."""

from __future__ import annotations

from typing import Any

from benchmarks.query import STAGES

RSS_LIMIT_MB = 1000.0  # "1.0 GB", read as 1,000 MiB (as 1.2 GB was read as 1,200 MiB)
LOAD_SPEEDUP = 5.0


def _pp(summary: dict[str, Any]) -> str:
    return f"{summary['p50']:.1f} / {summary['p95']:.1f}"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def all_targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target the query bench can judge from ``result``, with its figures."""
    checks: list[dict[str, Any]] = []
    sizes = result.get("sizes", {})
    for suffix, note in (("", "all samples"), ("_best", "best of rounds")):
        ten = sizes.get("10k")
        if ten and ten.get(f"e2e{suffix}"):
            e2e, embed = ten[f"e2e{suffix}"], ten[f"stages{suffix}"]["embed"]
            limit = 2 * embed["p50"] + 25
            checks.append({"target": f"10k: warm e2e p95 <= 2 x query-embedding p50 + 25 ms "
                                     f"({note})", "measured": e2e["p95"],
                           "limit": round(limit, 1), "met": e2e["p95"] <= limit})
        if suffix and ten and ten.get("stages_best", {}).get("non_embed"):
            rest, embed = ten["stages_best"]["non_embed"], ten["stages_best"]["embed"]
            checks.append({"target": "10k, embedding tail set aside: p95 of all stages but "
                                     "the embedding <= embed p50 + 25 ms (best of rounds)",
                           "measured": rest["p95"], "limit": round(embed["p50"] + 25, 1),
                           "met": rest["p95"] <= embed["p50"] + 25})
        one, hundred = sizes.get("1k"), sizes.get("100k")
        if one and hundred and one.get(f"e2e{suffix}") and hundred.get(f"e2e{suffix}"):
            limit = 1.5 * one[f"e2e{suffix}"]["p95"]
            measured = hundred[f"e2e{suffix}"]["p95"]
            checks.append({"target": f"e2e p95 at 100k <= 1.5 x e2e p95 at 1k ({note})",
                           "measured": measured, "limit": round(limit, 1),
                           "met": measured <= limit})
    runs = result.get("ingest", {}).get("runs")
    if runs:
        full, recipe, edit = runs["full"], runs["recipe full"], runs["edit one article"]
        checks.append({"target": "full ingest no slower than the recipe (same documents)",
                       "measured": full["seconds"], "limit": recipe["seconds"],
                       "met": full["seconds"] <= recipe["seconds"]})
        checks.append({"target": "an edit re-embeds only the edited article's chunks",
                       "measured": edit["chunks_embedded"], "limit": full["chunks"],
                       "met": 0 < edit["chunks_embedded"] < full["chunks"]
                       and runs["no change"]["chunks_embedded"] == 0})
    cold = result.get("cold", {}).get("100k")
    if cold and cold["app"].get("peak_rss_mb") is not None:
        checks.append({"target": "app peak RSS at 100k <= 1.0 GB (1,000 MiB)",
                       "measured": cold["app"]["peak_rss_mb"], "limit": RSS_LIMIT_MB,
                       "met": cold["app"]["peak_rss_mb"] <= RSS_LIMIT_MB})
    checks += _memory_targets(result.get("memory") or {})
    return checks


def _memory_targets(memory: dict[str, Any]) -> list[dict[str, Any]]:
    """From the memory probes: the saved index's load time against rebuilding, and RSS."""
    saved, rebuilt = memory.get("saved"), memory.get("rebuilt")
    if not saved or memory.get("corpus") != "100k":
        return []
    peak = max(step["peak_mb"] or 0.0 for step in saved["steps"])
    checks = [{"target": "serving process peak RSS at 100k, retriever loaded as saved, <= "
                         "1.0 GB (1,000 MiB; memory probe: model, safety router, retriever, "
                         "first search)", "measured": peak, "limit": RSS_LIMIT_MB,
               "met": peak <= RSS_LIMIT_MB}]
    if rebuilt:
        limit = round(rebuilt["load_s"] / LOAD_SPEEDUP, 2)
        checks.append({"target": "retriever load for a new version at 100k <= 1/5 of "
                                 "rebuilding it (same run)", "measured": saved["load_s"],
                       "limit": limit, "met": saved["load_s"] <= limit})
    return checks


def query_report(result: dict[str, Any]) -> str:
    """The query bench as Markdown: stages, ingest, recipe, cold start, targets."""
    parts: list[str] = []
    sizes = result.get("sizes", {})
    for suffix, title in (("", "all samples"), ("_best", "best of the rounds per question")):
        present = {label: s for label, s in sizes.items() if s.get(f"e2e{suffix}")}
        if not present:
            continue
        header = ["corpus", "chunks", *(f"{s} p50 / p95" for s in STAGES), "e2e p50 / p95"]
        rows = [[label, s["chunks"], *(_pp(s[f"stages{suffix}"][st]) for st in STAGES),
                 _pp(s[f"e2e{suffix}"])] for label, s in present.items()]
        parts += [f"### Warm latency per stage, ms ({title})", _table(header, rows)]
    if sizes:
        rows = [[label, s["chunks"], s["expected_cited"],
                 ", ".join(f"{k} {v}" for k, v in sorted(s["routes"].items())),
                 s["built_s"] if s["built_s"] is not None else "reused", s["load_s"]]
                for label, s in sizes.items()]
        parts += ["### Corpora", _table(["corpus", "chunks", "expected article cited",
                                         "routes", "index build s", "retriever load s"], rows)]
    ingest = result.get("ingest")
    if ingest:
        words = ingest["words"]
        rows = [[name, r["seconds"], r["chunks"], r["chunks_embedded"]]
                for name, r in ingest["runs"].items()]
        parts += ["### Ingest, same documents", _table(
            ["run", "seconds", "chunks in index", "chunks embedded"], rows),
            f"Words embedded in a full ingest: ours {words['ours']:,}, recipe "
            f"{words['recipe']:,}."]
    recipe = result.get("recipe")
    if recipe:
        lat, ndcg = recipe["latency"], recipe["ndcg"]
        rows = [["recipe similarity_search(k=4)", recipe["chunks"]["recipe"],
                 _pp(lat["recipe"]), ndcg["recipe"]["ndcg@10"]],
                [f"ours: embed + {ndcg['ours']['mode']} retrieve", recipe["chunks"]["ours"],
                 _pp(lat["retrieve"]), ndcg["ours"]["ndcg@10"]],
                ["ours: Assistant.ask (routing + compose)", recipe["chunks"]["ours"],
                 _pp(lat["ask"]), "—"]]
        parts += [f"### Recipe vs ours (CounselChat dev, {ndcg['queries']} queries)", _table(
            ["pipeline", "chunks", "query ms p50 / p95", "nDCG@10"], rows)]
    cold = result.get("cold")
    if cold:
        rows = [[label, c["cli"]["answer_s"], c["cli"]["exit_s"], c["cli"]["peak_rss_mb"],
                 c["app"]["healthy_s"], c["app"]["chat_ready_s"], c["app"]["first_answer_s"],
                 c["app"]["peak_rss_mb"]] for label, c in cold.items()]
        parts += ["### Cold start (s) and peak RSS (MiB)", _table(
            ["corpus", "CLI answer", "CLI exit", "CLI RSS", "app healthy", "app chat ready",
             "app first answer", "app RSS"], rows)]
    memory = result.get("memory")
    if memory:
        parts += memory_report(memory)
    parts += ["### Targets", targets_table(result.get("targets", []))]
    parts.append(f"Load average: {result.get('load_at_start')} at start, "
                 f"{result.get('load_at_end')} at end ({result['machine']['cpus']} CPUs).")
    return "\n\n".join(parts)


def memory_report(memory: dict[str, Any]) -> list[str]:
    """RSS by loading step, the retriever rebuilt and loaded as saved side by side."""
    probes = [(how, memory[how]) for how in ("rebuilt", "saved") if memory.get(how)]
    if not probes:
        return []
    width = max(len(p["steps"]) for _, p in probes)
    header = ["step"] + [f"{how}: {col}" for how, _ in probes
                         for col in ("s", "RSS MiB", "peak MiB")]
    rows = []
    for i in range(width):
        steps = [p["steps"][i] if i < len(p["steps"]) else None for _, p in probes]
        names = list(dict.fromkeys(s["step"] for s in steps if s))
        rows.append([" / ".join(names)] + [v for s in steps for v in (
            (s["s"], s["rss_mb"], s["peak_mb"]) if s else ("", "", ""))])
    lines = [f"### Memory by loading step ({memory['corpus']}, a fresh process each)",
             _table(header, rows)]
    for how, p in probes:
        sizes = ", ".join(f"{k} {v} MiB" for k, v in p["sizes"].items())
        lines.append(f"{how}: retriever load {p['load_s']} s, first search "
                     f"{p['first_search_s']} s; held by the retriever: {sizes}.")
    return lines


def targets_table(checks: list[dict[str, Any]]) -> str:
    return _table(["target", "measured", "limit", "met"],
                  [[c["target"], c["measured"], c["limit"], "yes" if c["met"] else "NO"]
                   for c in checks])


def load_report(result: dict[str, Any]) -> str:
    parts: list[str] = []
    browser = result.get("browser")
    if browser:
        parts += ["### Simultaneous visitors in Chromium", _table(
            ["answers", "time to full answer p50 / p95 (ms)",
             "one visitor alone p50 / p95 (ms)", "problems", "app peak RSS MiB"],
            [[f"{browser['answers']}/{browser['expected_answers']}",
              _pp(browser["summary"]), _pp(browser["solo_summary"]),
              len(browser["problems"]), browser["peak_rss_mb"]]])]
        parts.append(f"The simultaneous rounds took {browser.get('rounds_wall_s')} s of wall "
                     f"time, in which the app process used {browser.get('app_cpu_s')} CPU-s.")
        parts += [f"- {p}" for p in browser["problems"][:20]]
    service = result.get("service")
    if service:
        parts += ["### Simultaneous Assistant.ask calls (threads)", _table(
            ["calls", "errors", "differ from sequential", "latency p50 / p95 (ms)", "wall s"],
            [[service["calls"], len(service["errors"]), len(service["mismatches"]),
              _pp(service["summary"]), service["wall_s"]]])]
        parts += [f"- {e}" for e in service["errors"][:10]]
        parts += [f"- differs: {q}" for q in service["mismatches"][:10]]
    parts.append(f"Load average: {result.get('load_at_start')} at start, "
                 f"{result.get('load_at_end')} at end ({result['machine']['cpus']} CPUs).")
    return "\n\n".join(parts)
