"""A round goes out to N partners through the local Bot API server, at 30/s and unlimited.

    .venv/bin/python bench/fanout.py [--partners 5000] [--skip-limited] [--skip-unlimited]

The server runs in its own process (`python -m bot.apiserver --limit 30`), answering 429
beyond 30 sends a second. The bot runs in this process as `partnerpulse run` does
(`bot.commands.run.serve`: the real Application, the OutboxSender, PTB's AIORateLimiter).
N partners are imported and joined directly in the database, a `partnership-functions`
round is created for all of them (N invitations in the outbox), then the bot starts and
drains the outbox. Sends are counted per chat by the server (`GET /_control/stats`), so a
message lost or sent twice shows. The second run lifts the limit (server `--limit 0`, the
bot's `[sending] messages_per_second` raised), as with paid broadcasts, to show the bot's
own ceiling. Prints each run's figures and, last, one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from common import (
    FIRST_USER_ID,
    UNLIMITED_RATE,
    ApiServerProcess,
    bot_config,
    create_round,
    delivery,
    emit,
    own_cpu_seconds,
    print_machine,
    seed_partners,
)

from bot.commands.run import serve

POLL = 0.1  # seconds between two looks at the server's counts
LIMIT = 30


async def fanout(seeded: Path, workdir: Path, n: int, limit: int | None,
                 timeout: float) -> dict[str, Any]:  # noqa: ASYNC109 - a run's budget
    """One run: a round to n partners, the bot draining the outbox against `limit`/s."""
    db = workdir / f"fanout-{limit or 'unlimited'}.db"
    shutil.copyfile(seeded, db)
    async with ApiServerProcess(limit) as server:
        config = bot_config(server.base_url, server.base_file_url, db,
                            per_second=float(limit) if limit else UNLIMITED_RATE)
        await create_round(config)
        stop = asyncio.Event()
        cpu_bot, cpu_server = own_cpu_seconds(), server.cpu_seconds()
        started = time.monotonic()
        bot = asyncio.create_task(serve(config, stop))
        first_at: float | None = None
        first_count = last_count = 0
        last_at = started
        try:
            while time.monotonic() - started < timeout:
                await asyncio.sleep(POLL)
                if bot.done():
                    break
                count = (await server.stats())["sent_total"]
                now = time.monotonic()
                if count and first_at is None:
                    first_at, first_count = now, count
                if count != last_count:
                    last_at, last_count = now, count
                if count >= n:
                    break
            # Anything still in flight, or sent twice, shows up in the counts by now.
            await asyncio.sleep(1.0)
        finally:
            stop.set()
            await bot
        stats = await server.stats()
        cpu_bot, cpu_server = own_cpu_seconds() - cpu_bot, server.cpu_seconds() - cpu_server
    lost, duplicated = delivery(stats["sent_per_chat"], [FIRST_USER_ID + i for i in range(n)])
    window = max(last_at - (first_at or last_at), 1e-9)
    rate = (last_count - first_count) / window if first_at is not None else 0.0
    return {
        "partners": n, "server_limit_per_second": limit,
        "bot_messages_per_second_setting": float(limit) if limit else UNLIMITED_RATE,
        "sent": stats["sent_total"], "messages_per_second": round(rate, 1),
        "ratio_to_limit": round(rate / limit, 3) if limit else None,
        "too_many_requests": stats["too_many_requests"], "lost": lost, "duplicated": duplicated,
        "first_send_after_start_s": round((first_at or started) - started, 2),
        "elapsed_s": round(last_at - started, 1),
        "send_requests": stats["requests"].get("sendMessage", 0),
        # Busy share of one core over the run: 1.0 means that process was the bottleneck.
        "bot_cpu_share": round(cpu_bot / max(last_at - started + 1.0, 1e-9), 2),
        "server_cpu_share": round(cpu_server / max(last_at - started + 1.0, 1e-9), 2),
    }


def show(run: dict[str, Any]) -> None:
    """One readable line for a run."""
    limit = run["server_limit_per_second"]
    where = f"limit {limit}/s" if limit else "no limit"
    ratio = f" ({run['ratio_to_limit']:.0%} of the limit)" if limit else ""
    print(f"{run['partners']} invitations, {where}: {run['messages_per_second']:.1f} msg/s"
          f"{ratio}; {run['too_many_requests']} × 429; lost {run['lost']}, duplicated "
          f"{run['duplicated']}; {run['elapsed_s']:.1f}s from start-up to the last send "
          f"(first send after {run['first_send_after_start_s']:.2f}s); CPU busy: bot "
          f"{run['bot_cpu_share']:.0%}, server {run['server_cpu_share']:.0%} of a core", flush=True)


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    """Seed once, then run limited and unlimited on copies of the same database."""
    figures: dict[str, Any] = {"bench": "fanout", "bot": "in-process (bot.commands.run.serve)",
                               "server": "subprocess (python -m bot.apiserver)",
                               "machine": print_machine(), "runs": []}
    workdir = Path(tempfile.mkdtemp(prefix="pp-fanout-"))
    try:
        seeded = workdir / "seeded.db"
        began = time.monotonic()
        await seed_partners(bot_config("http://127.0.0.1:9/bot", "", seeded), args.partners,
                            join=True)
        figures["seed_s"] = round(time.monotonic() - began, 1)
        print(f"{args.partners} partners imported and joined in {figures['seed_s']:.1f}s",
              flush=True)
        limits: list[int | None] = []
        if not args.skip_limited:
            limits.append(LIMIT)
        if not args.skip_unlimited:
            limits.append(None)
        for limit in limits:
            budget = args.partners / (LIMIT * 0.5) + 60 if limit else 300.0
            run = await fanout(seeded, workdir, args.partners, limit, budget)
            show(run)
            figures["runs"].append(run)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return figures


def main() -> None:
    """Parse the size, run, print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=5000)
    parser.add_argument("--skip-limited", action="store_true", help="only the unlimited run")
    parser.add_argument("--skip-unlimited", action="store_true", help="only the 30/s run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    began = time.monotonic()
    figures = asyncio.run(main_async(args))
    figures["total_s"] = round(time.monotonic() - began, 1)
    print(f"whole benchmark: {figures['total_s']:.1f}s", flush=True)
    emit(figures)


if __name__ == "__main__":
    main()
