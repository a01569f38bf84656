"""One partner floods the bot while another answers a round: how long does the other wait,
and how many replies does the flood get?

    .venv/bin/python bench/flood.py [--messages 1000] [--rate 1000]

The local Bot API server runs in this process with the simulated partners; the bot runs in
its own process (`partnerpulse run`), as in `bench/answers.py`. Three partners join and get
a `partnership-functions` round. One taps through it alone (the baseline). Then a second
sends `--messages` text messages at `--rate` a second while the third taps through the
round, each tap waiting for the next screen as a person does. Printed: the third partner's
time from a tap to the next screen, alone and during the flood; how many messages the
flooding chat got back; and when the flood's last reply went. Last, one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from answers import DONE, BotProcess, Partners, choose_in_round
from common import (
    PARTNERPULSE,
    TOKEN,
    UNLIMITED_RATE,
    bot_config,
    create_round,
    emit,
    median,
    print_machine,
    seed_partners,
    write_config,
)

from bot.apiserver import BotApiServer, TranscriptEvent


async def flood(server: BotApiServer, chat: int, messages: int, rate: float) -> float:
    """Send `messages` texts from `chat` at `rate` a second; seconds it took."""
    user = server.user(chat)
    began = time.perf_counter()
    for n in range(messages):
        await user.send_text(f"flood message {n}")
        ahead = began + (n + 1) / rate - time.perf_counter()
        if ahead > 0:
            await asyncio.sleep(ahead)
    return time.perf_counter() - began


async def walk(partners: Partners, chat: int, first: TranscriptEvent) -> list[float]:
    """Tap through the round from `first`; seconds from each tap to the next screen (every
    tap, Open and Start included: they are what a flood used to hold up)."""
    server, event, latencies = partners.server, first, []
    rng = random.Random(chat)
    while (data := choose_in_round(event, rng)) != DONE:
        if data is None:  # the rest of this screen is still on its way
            event = await partners.next_message(chat)
            continue
        tapped = time.perf_counter()
        await server.user(chat).press(data, event.message_id)
        event = await partners.next_message(chat)
        while choose_in_round(event, rng) is None:
            event = await partners.next_message(chat)
        latencies.append(time.perf_counter() - tapped)
    return latencies


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    """The baseline walk, then the walk during the flood."""
    figures: dict[str, Any] = {"bench": "flood", "messages": args.messages, "rate": args.rate,
                               "machine": print_machine()}
    server = BotApiServer(send_limit_per_second=None)
    server.add_bot(TOKEN, username="partnerpulse_bench_bot")
    await server.start()
    try:
        with tempfile.TemporaryDirectory(prefix="pp-flood-") as tmp:
            workdir = Path(tmp)
            config = bot_config(server.base_url, server.base_file_url, workdir / "flood.db",
                                per_second=UNLIMITED_RATE)
            tokens = await seed_partners(config, 3, join=False)
            partners = Partners(server, 3)
            toml = write_config(config, workdir / "config.toml")
            argv = [PARTNERPULSE, "run", "--config", str(toml), "--log-level", "WARNING"]
            async with BotProcess(argv, workdir / "partnerpulse.log"):
                await server.wait_for_poll(60)
                await partners.join(tokens)
                await create_round(config)
                alone, flooder, answerer = partners.chats
                firsts = {chat: await partners.next_message(chat) for chat in partners.chats}
                solo = await walk(partners, alone, firsts[alone])
                before = server.sent_count(flooder)
                began, began_wall = time.perf_counter(), time.time()
                sending = asyncio.create_task(flood(server, flooder, args.messages, args.rate))
                await asyncio.sleep(0.1)  # the flood is under way when the partner starts
                during = await walk(partners, answerer, firsts[answerer])
                walk_done = time.perf_counter() - began
                flood_s = await sending
                await server.wait_idle(timeout=600, quiet=3.0)
                replies = server.sent_count(flooder) - before
                last_reply = max((e.at for e in server.transcript(flooder)), default=0.0)
    finally:
        await server.stop()
    figures.update(
        flood_seconds=round(flood_s, 2), flood_replies=replies,
        alone_median_ms=round(median(solo) * 1000, 1),
        during_flood_first_tap_ms=round(during[0] * 1000, 1),
        during_flood_median_ms=round(median(during) * 1000, 1),
        during_flood_max_ms=round(max(during) * 1000, 1),
        answerer_taps=len(during), answerer_done_s=round(walk_done, 2),
        flood_last_reply_s=round(last_reply - began_wall, 2) if last_reply else None)
    print(f"one partner alone: tap → next screen median {figures['alone_median_ms']:.0f} ms",
          flush=True)
    print(f"{args.messages} messages from one chat in {flood_s:.2f}s; meanwhile another "
          f"partner's {len(during)} taps: first {figures['during_flood_first_tap_ms']:.0f} ms, "
          f"median {figures['during_flood_median_ms']:.0f} ms, slowest "
          f"{figures['during_flood_max_ms']:.0f} ms, done {walk_done:.1f}s in",
          flush=True)
    print(f"the flooding chat got {replies} messages back; its last "
          f"{figures['flood_last_reply_s']}s after the flood began", flush=True)
    return figures


def main() -> None:
    """Parse, run, print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=1000.0, help="flood messages a second")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        emit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
