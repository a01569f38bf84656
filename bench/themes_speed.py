"""Speed and memory of theming and rendering a round of 1,000 and 10,000 text answers.

    .venv/bin/python bench/themes_speed.py [--sizes 1000 10000] [--anonymity confidential]
        [--db-dir DIR] [--phases fresh vectors stored again] [--profile]

Builds each round in a temporary SQLite file through the repositories, then times loading,
theming (every text set) and rendering (layout, HTML with charts, Markdown, XLSX), printing
seconds and peak memory (ru_maxrss; tracemalloc in a second, untimed pass, as it slows
the code it traces) and, last, one JSON line with every figure.

Theming is timed twice: afresh (every answer embedded by the report itself), and as the
running bot does it once answers are stored: the background worker has embedded each
answer when it was saved (`VectorService.embed_queued`, timed apart), then, idle, themed
the round ahead of its report and kept the label and point phrases that theming embeds
(`ReportService.warm_themes`, timed apart), and the report themes from those stored
vectors, asking the database for the phrases as it needs them. Each phase runs in a
process of its own, so its peak memory (ru_maxrss, the model included) is its own. Last,
for each size, every path's seconds and peak against the aims (600 MB for every path; a
report from stored vectors under 5 s at 1,000 answers and 30 s at 10,000).

The same answers must give the same themes however they are themed and however busy the
machine. "Same themes both ways" compares the themes in full (labels, counts, points,
quotes, answers; a digest of them), afresh against from stored vectors. Each phase's process
hashes strings with a seed of its own (`HASH_SEEDS`), so a result that hangs on the order a
set iterates in shows here, and again the next time. `again` themes the report from stored
vectors a second time, with onnxruntime on one intra-op thread instead of every core, while a
process of the bench's own keeps a core busy beside it, and compares its themes in full with
the first report's ("same themes again"); it is run by default. Both also theme, untimed,
the dev_ramble questions with no codebook (the answers where two processes once listed
different points), and compare those too.

`--db-dir DIR` keeps each round's database (with the worker's vectors) in DIR and reuses it
on the next run, so old and new code can be timed back to back on the same data without
building it again; `--phases stored` then times only the report from stored vectors.
`--dump` writes each phase's themes in full (labels, counts, points, quotes, answers) beside
the database, to compare two versions of the code on the same answers. `--profile` runs each
timed phase under cProfile: the 25 costliest functions go to stderr
and the whole profile to `themes-PHASE-N.prof` beside the database (or in the working folder).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import csv
import hashlib
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.db import Database  # noqa: E402
from storage.partners import PartnerRepository  # noqa: E402
from storage.records import PartnerRow  # noqa: E402
from storage.responses import ResponseRepository  # noqa: E402
from storage.rounds import NewRound, RoundRepository  # noqa: E402
from storage.themes import RoundThemesRepository  # noqa: E402
from storage.vectors import VectorRepository  # noqa: E402
from surveys.report import (  # noqa: E402
    RoundData,
    build_report,
    load_round,
    render_html,
    render_markdown,
    render_xlsx,
    text_sets,
)
from surveys.report.theming import theme_round  # noqa: E402
from surveys.reporting import ReportService  # noqa: E402
from surveys.templates import builtin_template, questionnaire_to_dict  # noqa: E402
from surveys.themes import Embedder, MiniLMEmbedder, ThemedQuestion, theme_answers  # noqa: E402
from surveys.themes import default_embedder as shipped_embedder  # noqa: E402
from surveys.vectors import VectorService, codebook_texts_of  # noqa: E402

T = TypeVar("T")
# A seed of string hashing for each phase's process (see the module's docstring).
# 1 and 2 are two seeds under which dev_ramble key-leadership listed different points
# before `represent._words_share` summed exactly.
HASH_SEEDS = {"stored": 1, "again": 2, "fresh": 3, "vectors": 4}
# Dev answers themed (no codebook) beside the round in `stored` and `again`, untimed: the
# bench's made-up answers never met the tie that real ones did.
DEV_SET = ROOT / "bench" / "data" / "themes_dev_ramble.csv"
AGAIN_THREADS = 1  # onnxruntime's intra-op threads in `again`; the others use every core
_one_model: list[Embedder] = []


def default_embedder() -> Embedder:
    """The shipped model; in the `again` phase, the same model on `AGAIN_THREADS` threads."""
    if THREADS is None:
        return shipped_embedder()
    if not _one_model:
        _one_model.append(MiniLMEmbedder(threads=THREADS))
    return _one_model[0]
LABELLED = ROOT / "bench" / "data" / "themes_labelled.csv"
SECTORS = ("Council", "Police", "Health", "Voluntary", "Business", "Fire", "Education")
PARTNERSHIPS = ("Northvale LSP", "Southmere LSP", "Eastholm LSP", "Westcombe LSP")
JOINERS = (", ", " and ", ". ", "; also ", " – ")


def phrases() -> list[str]:
    """Clauses of the labelled answers, to recombine into new answers."""
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        texts = [row["answer"] for row in csv.DictReader(handle)]
    out = []
    for text in texts:
        out += [p.strip(" .") for p in text.replace(";", ",").split(",") if len(p.split()) >= 2]
    return out


def answers(n: int, seed: int = 7) -> list[str]:
    """n varied answers: one to three clauses, joined in different ways."""
    rng = random.Random(seed)
    pool = phrases()
    out = []
    for _ in range(n):
        parts = rng.sample(pool, rng.choice((1, 1, 2, 2, 3)))
        text = parts[0]
        for part in parts[1:]:
            text += rng.choice(JOINERS) + part[:1].lower() + part[1:]
        out.append(text)
    return out


async def build_round(path: Path, n: int, anonymity: str) -> int:
    """A framework-review round with n submitted partners, each answering two text questions."""
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    texts = answers(n)
    more = answers(n, seed=11)
    async with Database(path) as db:
        partners = PartnerRepository(db)
        rows = [PartnerRow(f"Ysolde Brackwater {i:05d}", f"Organisation {i:05d}", SECTORS[i % 7],
                           PARTNERSHIPS[i % 4], "member") for i in range(n)]
        await partners.import_rows(rows, now)
        everyone = await partners.all()
        new = NewRound("Bench round", "framework-review",
                       questionnaire_to_dict(builtin_template("framework-review")), {},
                       anonymity, now - timedelta(days=7), now + timedelta(days=7), {})
        round_id = await RoundRepository(db).create(new, "open", everyone, None, now)
        responses = ResponseRepository(db)
        ratings = ("Very effective", "Effective", "Not very effective", "Very ineffective")
        for i, p in enumerate(everyone):
            resp = await responses.of_partner(round_id, p.id)
            assert resp is not None
            for qid, value in (("barriers", texts[i]), ("thematic-connection", ratings[i % 4]),
                               ("thematic-connection-why", more[i])):
                await responses.save_answer(resp.id, qid, value, None, False, now,
                                            next_question=None, stage="answer")
            await responses.submit(resp.id, now, anonymous=anonymity == "anonymous")
    return round_id


async def load(path: Path, round_id: int) -> RoundData:
    """The report data of the round."""
    async with Database(path) as db:
        return await load_round(round_id, RoundRepository(db), ResponseRepository(db),
                                PartnerRepository(db), RoundThemesRepository(db))


async def store_vectors(path: Path) -> tuple[int, int, float]:
    """Embed every queued answer and the open round's codebooks as the bot's worker does,
    then theme the round ahead of its report as the idle worker does
    (`ReportService.warm_themes`): (texts embedded, phrases kept, seconds of the latter)."""
    async with Database(path) as db:
        service = VectorService(VectorRepository(db), default_embedder, RoundRepository(db))
        done = 0
        while (count := await service.embed_queued(64)):
            done += count
        done += await service.warm_open_rounds()
        reports = ReportService(RoundRepository(db), ResponseRepository(db),
                                PartnerRepository(db), RoundThemesRepository(db),
                                vectors=service)
        started = time.perf_counter()
        kept = await reports.warm_themes()
        return done, kept, time.perf_counter() - started


class Store:
    """The round's database open on an event loop of its own thread, as the bot holds it
    while a report is themed in a worker thread: the report's embedder asks it for stored
    vectors of phrases as theming needs them."""

    def __init__(self, path: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.db = self.run(Database(path).open())

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the store's loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result()

    def cached(self, data: RoundData) -> Embedder:
        """A report's embedder primed with the stored vectors, as ReportService makes it."""
        service = VectorService(VectorRepository(self.db), default_embedder)
        texts = [t for ts in text_sets(data).values() for t in ts.texts]
        return self.run(service.cached_embedder(texts, codebook_texts_of(data.questionnaire)))

    def close(self) -> None:
        """Close the database and stop the loop."""
        self.run(self.db.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a new event loop, as `asyncio.run` does less its Ctrl-C handler.

    On the main thread, Python 3.11's `asyncio.run` sets a SIGINT handler holding its task,
    and on the way out `signal.getsignal` formats repr() of it, result and all: the whole
    RoundData of 10,000 answers (100,000 dataclass reprs) was timed as loading. The bot
    awaits the loading inside its running loop, which never does this.
    """
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        loop.close()


PROFILE: cProfile.Profile | None = None  # set in a child run with --profile
DUMP = False  # set in a child run with --dump
THREADS: int | None = None  # set in a child run with --threads (the `again` phase)


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """Run fn (under the profiler, when there is one); its result and seconds."""
    started = time.perf_counter()
    if PROFILE is not None:
        PROFILE.enable()
    try:
        result = fn()
    finally:
        if PROFILE is not None:
            PROFILE.disable()
    return result, time.perf_counter() - started


def traced_peak(fn: Callable[[], object]) -> float:
    """Run fn again under tracemalloc (which slows it); the peak in MB."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def maxrss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_full(themed: dict[str, ThemedQuestion]) -> dict[str, Any]:
    """Every theme of every text set in full, and each answer's themes."""
    return {key: {"themes": [{"id": t.id, "label": t.label, "count": t.count,
                              "points": list(t.points), "quotes": list(t.quotes),
                              "answers": list(t.answer_indexes)} for t in v.themes],
                  "assignments": v.assignments, "unthemed": v.unthemed}
            for key, v in themed.items()}


def dev_themes_sha256() -> str:
    """A digest of DEV_SET's questions themed in full with no codebook."""
    by_question: dict[str, list[str]] = {}
    with DEV_SET.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_question.setdefault(row["question"], []).append(row["answer"])
    themed = {q: theme_answers(a, embedder=default_embedder()) for q, a in by_question.items()}
    full = json.dumps(in_full(themed), ensure_ascii=False)
    return hashlib.sha256(full.encode("utf-8")).hexdigest()


def phase(name: str, path: Path, round_id: int) -> dict[str, Any]:
    """One phase in this process: `fresh`, `stored` or `again` theming and rendering, or
    `vectors`."""
    started = time.perf_counter()
    default_embedder().embed(["warm up"])
    figures: dict[str, Any] = {"embedder_load_s": round(time.perf_counter() - started, 2)}
    if name == "vectors":
        (done, kept, warm_s), seconds = timed(lambda: asyncio.run(store_vectors(path)))
        return {**figures, "texts_embedded": done, "vectors_s": round(seconds - warm_s, 2),
                "phrases_kept": kept, "warm_s": round(warm_s, 2),
                "maxrss_mb": round(maxrss_mb(), 1)}
    data, load_s = timed(lambda: run_async(load(path, round_id)))
    store = Store(path) if name in ("stored", "again") else None
    embedder, lookup_s = timed(lambda: store.cached(data)) if store else (None, 0.0)
    figures["maxrss_before_theming_mb"] = round(maxrss_mb(), 1)
    themed, theme_s = timed(lambda: theme_round(data, embedder))
    rss_after_theming = maxrss_mb()

    def render() -> dict[str, int]:
        report = build_report(data, themed=themed)
        return {"html": len(render_html(report)), "md": len(render_markdown(report)),
                "xlsx": len(render_xlsx(report))}

    sizes, render_s = timed(render)
    rss_after_render = maxrss_mb()
    figures.update({
        "load_s": round(load_s, 2), "lookup_s": round(lookup_s, 2),
        "theme_s": round(theme_s, 2), "render_s": round(render_s, 2),
        "total_s": round(load_s + lookup_s + theme_s + render_s, 2),
        "maxrss_after_theming_mb": round(rss_after_theming, 1),
        "maxrss_after_render_mb": round(rss_after_render, 1), "bytes": sizes,
        "themes": {k: [t.label for t in v.themes] for k, v in themed.items()}})
    full = json.dumps(in_full(themed), indent=1, ensure_ascii=False)
    figures["themes_sha256"] = hashlib.sha256(full.encode("utf-8")).hexdigest()
    if DUMP:  # every theme in full, to compare two versions of the code on the same data
        (path.parent / f"themes-{name}-{len(data.respondents)}.json").write_text(full)
    if name == "stored":  # traced in a second, untimed pass
        figures["texts_embedded_by_report"] = embedder.misses  # type: ignore[union-attr]
        figures["theme_traced_peak_mb"] = round(
            traced_peak(lambda: theme_round(data, embedder)), 1)
        figures["render_traced_peak_mb"] = round(traced_peak(render), 1)
    if store is not None:
        store.close()
        figures["dev_themes_sha256"] = dev_themes_sha256()
    return figures


def child(name: str, path: Path, round_id: int, n: int, profile: bool) -> dict[str, Any]:
    """Run one phase in a process of its own, so its peak memory is its own, hashing strings
    with the phase's seed (`HASH_SEEDS`). `again` runs the model on `AGAIN_THREADS` threads
    with a process of ours keeping a core busy beside it."""
    again = name == "again"
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if again else None
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--phase", name, "--db", str(path),
             "--round", str(round_id), "--sizes", str(n),
             *(["--threads", str(AGAIN_THREADS)] if again else []),
             *(["--profile"] if profile else []), *(["--dump"] if DUMP else [])],
            capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": str(HASH_SEEDS[name])})
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
    if profile:
        print(done.stderr, file=sys.stderr, flush=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def uptime() -> str:
    """The load average now, printed with every figure (the machine may be shared)."""
    with open("/proc/loadavg", encoding="ascii") as handle:
        return "load average " + ", ".join(handle.read().split()[:3])


def prepared(folder: Path, n: int, anonymity: str) -> tuple[Path, int, float | None, bool]:
    """The round's database in folder: (path, round id, seconds to build it or None when
    it was kept from an earlier run, whether the worker's vectors are already stored)."""
    path = folder / f"bench-{n}-{anonymity}.db"
    note = path.with_suffix(".json")
    if path.exists() and note.exists():
        kept = json.loads(note.read_text())
        return path, kept["round"], None, kept.get("vectors", False)
    path.unlink(missing_ok=True)
    round_id, build_s = timed(lambda: asyncio.run(build_round(path, n, anonymity)))
    note.write_text(json.dumps({"round": round_id, "vectors": False}))
    return path, round_id, build_s, False


def run(n: int, anonymity: str, phases: list[str], folder: Path,
        profile: bool = False) -> dict[str, Any]:
    """Time each asked phase of a round of n answers per text question, each in its own
    process; the round is built in `folder` unless kept there from an earlier run."""
    path, round_id, build_s, have_vectors = prepared(folder, n, anonymity)
    figures: dict[str, Any] = {"answers": n, "anonymity": anonymity, "build_db_s": build_s,
                               "load_average": uptime()}
    lines = [f"{n:>6} answers ({anonymity}), {figures['load_average']}:"]
    if "fresh" in phases:
        fresh = figures["fresh"] = child("fresh", path, round_id, n, profile)
        lines.append(
            f"  afresh (the report embeds every answer): load {fresh['load_s']:.2f}s, theming "
            f"{fresh['theme_s']:.2f}s, rendering {fresh['render_s']:.2f}s, maxrss "
            f"{fresh['maxrss_after_render_mb']:.0f} MB")
    if "vectors" in phases or (("stored" in phases or "again" in phases) and not have_vectors):
        vectors = figures["vectors"] = child("vectors", path, round_id, n, False)
        path.with_suffix(".json").write_text(json.dumps({"round": round_id, "vectors": True}))
        lines.append(
            f"  the worker embedding {vectors['texts_embedded']} texts as they are stored: "
            f"{vectors['vectors_s']:.2f}s in all, then theming the round ahead of its report "
            f"({vectors['phrases_kept']} phrases kept): {vectors['warm_s']:.2f}s; maxrss "
            f"{vectors['maxrss_mb']:.0f} MB")
    if "stored" in phases:
        stored = figures["stored"] = child("stored", path, round_id, n, profile)
        lines.append(
            f"  from stored vectors: load {stored['load_s']:.2f}s, looking up the vectors "
            f"{stored['lookup_s']:.2f}s, theming "
            f"{stored['theme_s']:.2f}s (traced peak {stored['theme_traced_peak_mb']:.0f} MB), "
            f"rendering {stored['render_s']:.2f}s (traced peak "
            f"{stored['render_traced_peak_mb']:.0f} MB); total {stored['total_s']:.2f}s, "
            f"maxrss {stored['maxrss_after_render_mb']:.0f} MB; texts embedded by the report "
            f"{stored['texts_embedded_by_report']}")
    if "again" in phases:
        again = figures["again"] = child("again", path, round_id, n, False)
        lines.append(
            f"  from stored vectors again, the model on {AGAIN_THREADS} thread and a core kept "
            f"busy beside it: theming {again['theme_s']:.2f}s, total {again['total_s']:.2f}s")
    if "fresh" in phases and "stored" in phases:  # in full, not only the labels
        figures["same_themes"] = (figures["fresh"]["themes_sha256"]
                                  == figures["stored"]["themes_sha256"])
        lines.append(f"  same themes both ways (in full): {figures['same_themes']}")
    if "again" in phases and "stored" in phases:
        first = figures["stored"]
        rnd = first["themes_sha256"] == again["themes_sha256"]
        dev = first["dev_themes_sha256"] == again["dev_themes_sha256"]
        figures["same_themes_again"] = rnd and dev
        lines.append("  same themes again (another hash seed, one model thread, a busy core): "
                     f"{figures['same_themes_again']} (the round {rnd}, dev_ramble {dev})")
    figures["paths"] = paths(figures)
    lines += verdict(n, figures["paths"])
    print("\n".join(lines), flush=True)
    return figures


AIM_MB = 600  # every path's peak (the aim)
AIM_S = {1000: 5.0, 10000: 30.0}  # a report from stored vectors


def paths(figures: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Seconds and peak RSS of each path timed: afresh (load, theming, rendering), the
    worker's pass (embedding, then theming ahead), from stored vectors (the report)."""
    out = {}
    if "fresh" in figures:
        fresh = figures["fresh"]
        out["afresh"] = {"s": round(fresh["load_s"] + fresh["theme_s"] + fresh["render_s"], 2),
                         "maxrss_mb": fresh["maxrss_after_render_mb"]}
    if "vectors" in figures:
        worker = figures["vectors"]
        out["worker"] = {"s": round(worker["vectors_s"] + worker["warm_s"], 2),
                         "maxrss_mb": worker["maxrss_mb"]}
    if "stored" in figures:
        stored = figures["stored"]
        out["stored"] = {"s": stored["total_s"], "maxrss_mb": stored["maxrss_after_render_mb"]}
    return out


def verdict(n: int, timed: dict[str, dict[str, float]]) -> list[str]:
    """Each path's time and peak on one line, against the aims."""
    names = {"afresh": "afresh", "worker": "the worker's pass", "stored": "from stored vectors"}
    line = "  every path: " + "; ".join(
        f"{names[k]} {v['s']:.1f} s, peak {v['maxrss_mb']:.0f} MB" for k, v in timed.items())
    over = [names[k] for k, v in timed.items() if v["maxrss_mb"] >= AIM_MB]
    out = [line, f"  under {AIM_MB} MB: " + ("every path" if not over
                                            else "no, over it: " + ", ".join(over))]
    if "stored" in timed and n in AIM_S:
        took = timed["stored"]["s"]
        out.append(f"  report from stored vectors under {AIM_S[n]:.0f} s: "
                   f"{'yes' if took < AIM_S[n] else 'no'} ({took:.1f} s)")
    return out


def main() -> None:
    """Run the benchmark for each size and print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--anonymity", default="confidential",
                        choices=["named", "confidential", "anonymous"])
    parser.add_argument("--phases", nargs="+", default=["fresh", "vectors", "stored", "again"],
                        choices=["fresh", "vectors", "stored", "again"],
                        help="what to time (the worker's vectors are stored when needed)")
    parser.add_argument("--db-dir", type=Path,
                        help="keep the rounds' databases here and reuse them next time")
    parser.add_argument("--profile", action="store_true",
                        help="profile each timed phase (cProfile; top functions to stderr)")
    parser.add_argument("--dump", action="store_true",
                        help="write every theme in full (labels, counts, points, quotes, "
                             "answers) to themes-PHASE-N.json beside the database")
    parser.add_argument("--phase", choices=["fresh", "vectors", "stored", "again"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    global DUMP, THREADS
    DUMP = args.dump
    THREADS = args.threads
    if args.phase:
        global PROFILE
        PROFILE = cProfile.Profile() if args.profile else None
        figures = phase(args.phase, args.db, args.round)
        if PROFILE is not None:
            out = args.db.parent / f"themes-{args.phase}-{args.sizes[0]}.prof"
            PROFILE.dump_stats(out)
            print(f"--- {args.phase}, {args.sizes[0]} answers (whole profile: {out})",
                  file=sys.stderr)
            stats = pstats.Stats(PROFILE, stream=sys.stderr)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(40)
        print(json.dumps(figures))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.db_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results = [run(n, args.anonymity, args.phases, folder, args.profile)
                   for n in args.sizes]
    print(json.dumps({"runs": results}))


if __name__ == "__main__":
    main()
