"""Partners answer a round all at once; then the same load on a bare python-telegram-bot bot.

    .venv/bin/python bench/answers.py [--partners 500] [--skip-echo]

The local Bot API server runs in this process, with the simulated partners that drive it;
the bot runs in its own process (`partnerpulse run`), so each has a core of the two. N
partners join by their invite links (/start TOKEN), a `partnership-functions` round is
created for all of them (six functions, each a button answer that may carry a comment),
its invitations go out, and then every partner taps through it at once: Start on the
invitation, six times an option, Submit. Each tap waits for the bot's next screen before the
next tap, as a person does (the answered question is edited into a transcript line and the
next question sent; Submit turns the review into the thank-you in place). Printed: taps and
answers a second, and the median and 99th-percentile time from a tap to the next screen.

Then a bare PTB bot (`--echo-bot`: a CallbackQueryHandler that answers the query and sends
a message with one button, no database; concurrent_updates 16 like the product) is driven
by the same partners with the same number of taps each, and the ratio of the two rates is
printed: how much of the stack's ceiling the product's own work costs. Last, one JSON line.

The bot's sending limit is lifted (server without a limit, `messages_per_second` raised):
replies to people are not broadcasts, and the point is the bot's own speed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import (
    FIRST_USER_ID,
    PARTNERPULSE,
    PYTHON,
    ROOT,
    TOKEN,
    UNLIMITED_RATE,
    bot_config,
    create_round,
    emit,
    median,
    own_cpu_seconds,
    percentile,
    print_machine,
    process_cpu_seconds,
    seed_partners,
    write_config,
)

from bot.apiserver import BotApiServer, TranscriptEvent
from bot.apiserver.state import BotAccount
from bot.wiring import services

ECHO_SCRIPT = Path(__file__).resolve()
PROFILED = ECHO_SCRIPT.with_name("profiled.py")  # the bot under cProfile, by its CPU clock
STEP_TIMEOUT = 120.0  # a tap waiting longer than this means the bot is stuck
SOLO_PARTNERS = 10    # partners who answer one after another, alone, before the crowd
ECHO_DATA = "echo"
DONE = "done"  # what a chooser returns when the walk is over
# A chooser looks at the bot's latest message: the callback data to tap, DONE, or None to
# wait for another message (a screen may come in parts).
Chooser = Callable[[TranscriptEvent, random.Random], str | None]
ANSWER_VERBS = ("pick",)
PRODUCT_ORDER = ("start", "pick", "sub")


def choose_in_round(event: TranscriptEvent, rng: random.Random) -> str | None:
    """Start, an option, Submit: whichever this screen offers (DONE once submitted)."""
    if "✅ Submitted:" in (event.text or ""):   # the thank-you, under the answers or alone
        return DONE
    offered = [data for row in event.buttons for _, data in row]
    for verb in PRODUCT_ORDER:
        found = [data for data in offered if data.startswith(f"{verb}:")]
        if found:
            return rng.choice(found) if verb == "pick" else found[0]
    return None


def choose_echo(event: TranscriptEvent, rng: random.Random) -> str | None:
    """The echo bot's only button."""
    return next((data for row in event.buttons for _, data in row), None)


@dataclass
class Walk:
    """What one partner's taps measured."""

    taps: int = 0
    answers: int = 0
    latencies: list[float] = field(default_factory=list)


class Partners:
    """N simulated partners on an in-process server; each hears the bot's messages in a queue."""

    def __init__(self, server: BotApiServer, n: int) -> None:
        self.server = server
        self.chats = [FIRST_USER_ID + i for i in range(n)]
        self.inbox: dict[int, asyncio.Queue[TranscriptEvent]] = {
            chat: asyncio.Queue() for chat in self.chats}
        self._listen(server.bot())

    def _listen(self, account: BotAccount) -> None:
        # One queue per chat instead of `wait_for`: its shared signal would wake every
        # waiting partner on every event, and the driver, not the bot, would set the pace.
        record = account.record
        inbox = self.inbox

        def recording(chat_id: int, kind: Any, method: str, **rest: Any) -> TranscriptEvent:
            event = record(chat_id, kind, method, **rest)
            if kind in ("message", "edit") and chat_id in inbox:
                inbox[chat_id].put_nowait(event)
            return event

        account.record = recording  # type: ignore[method-assign]

    async def next_message(self, chat: int) -> TranscriptEvent:
        """The bot's next message (or edit of one) in a chat."""
        return await asyncio.wait_for(self.inbox[chat].get(), STEP_TIMEOUT)

    async def join(self, tokens: Sequence[str]) -> float:
        """Every partner sends /start (with its token if any) at once; seconds until all replied."""
        began = time.perf_counter()

        async def one(chat: int, token: str) -> None:
            await self.server.user(chat, f"Partner {chat}").send_command("/start", token or None)
            await self.next_message(chat)

        await asyncio.gather(*(one(c, t) for c, t in zip(self.chats, tokens, strict=True)))
        return time.perf_counter() - began

    async def walk(self, chat: int, first: TranscriptEvent, choose: Chooser,
                   max_taps: int, rng: random.Random) -> Walk:
        """Tap through from `first` until the chooser says DONE or `max_taps` taps."""
        walk = Walk()
        user = self.server.user(chat)
        event = first
        while walk.taps < max_taps:
            data = choose(event, rng)
            if data == DONE:
                break
            if data is None:  # the rest of this screen is still on its way
                event = await self.next_message(chat)
                continue
            tapped = time.perf_counter()
            await user.press(data, event.message_id)
            event = await self.next_message(chat)
            # A settled question (an edit without buttons) comes before the next one.
            while choose(event, rng) is None:
                event = await self.next_message(chat)
            walk.taps += 1
            if data.split(":", 1)[0] in ANSWER_VERBS or data.startswith(ECHO_DATA):
                walk.latencies.append(time.perf_counter() - tapped)
            walk.answers += data.startswith("pick:")
        return walk

    async def all_walk(self, firsts: dict[int, TranscriptEvent], choose: Chooser,
                       max_taps: int, bot_cpu: Callable[[], tuple[float, float]],
                       seed: int = 7
                       ) -> tuple[Walk, list[Walk], float, tuple[float, float, float]]:
        """A few partners walk alone, one after another, then all the others at once.

        Returns the lone walks (as one), the others' walks, the seconds until the last was
        done, and the CPU seconds the bot, this process and the bot's main thread (its event
        loop) used while the others walked.
        """
        rng = random.Random(seed)
        lone = max(1, min(SOLO_PARTNERS, len(self.chats) // 10))
        alone, crowd = self.chats[:lone], self.chats[lone:]
        solo = Walk()
        for i, chat in enumerate(alone):
            one = await self.walk(chat, firsts[chat], choose, max_taps, random.Random(i + 1))
            solo.taps += one.taps
            solo.answers += one.answers
            solo.latencies += one.latencies
        cpu = bot_cpu(), own_cpu_seconds()
        began = time.perf_counter()
        walks = await asyncio.gather(*(
            self.walk(chat, firsts[chat], choose, max_taps, random.Random(rng.random()))
            for chat in crowd))
        seconds = time.perf_counter() - began
        bot_after = bot_cpu()
        return solo, list(walks), seconds, (bot_after[0] - cpu[0][0],
                                            own_cpu_seconds() - cpu[1],
                                            bot_after[1] - cpu[0][1])


class BotProcess:
    """A bot in its own process, stopped with SIGTERM; its output goes to a log file."""

    def __init__(self, argv: list[str], log: Path) -> None:
        self.argv = argv
        self.log = log
        self.process: asyncio.subprocess.Process | None = None
        self._handle: Any = None

    async def __aenter__(self) -> BotProcess:
        self._handle = self.log.open("wb")
        self.process = await asyncio.create_subprocess_exec(
            *self.argv, cwd=ROOT, stdout=self._handle, stderr=asyncio.subprocess.STDOUT)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._handle is not None:
            self._handle.close()

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU seconds the bot process has used: in all, and in its main thread (the event
        loop; the rest is the database thread, the embedding worker and other threads)."""
        assert self.process is not None
        pid = self.process.pid
        return process_cpu_seconds(pid), process_cpu_seconds(pid, pid)

    def tail(self, lines: int = 20) -> str:
        """The end of its log, to show why it failed."""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def summary(name: str, solo: Walk, walks: list[Walk], seconds: float,
            cpu: tuple[float, float, float]) -> dict[str, Any]:
    """One run's figures: the lone partner's tap times, then the crowd's rate and tap times."""
    latencies = [x for w in walks for x in w.latencies]
    taps = sum(w.taps for w in walks)
    answers = sum(w.answers for w in walks)
    return {
        "bot": name, "alone_median_ms": round(median(solo.latencies) * 1000, 1),
        "alone_p99_ms": round(percentile(solo.latencies, 0.99) * 1000, 1),
        "alone_max_ms": round(max(solo.latencies, default=0.0) * 1000, 1),
        "alone_taps": len(solo.latencies),
        "partners": len(walks), "taps": taps, "answers": answers,
        "seconds": round(seconds, 2), "taps_per_second": round(taps / seconds, 1),
        "answers_per_second": round(answers / seconds, 1),
        "median_ms": round(median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "bot_cpu_share": round(cpu[0] / seconds, 2), "server_cpu_share": round(cpu[1] / seconds, 2),
        # The bot's CPU per tap: unlike taps a second, it hardly moves with the machine's load.
        "bot_cpu_ms_per_tap": round(cpu[0] / taps * 1000, 2) if taps else 0.0,
        "bot_loop_cpu_ms_per_tap": round(cpu[2] / taps * 1000, 2) if taps else 0.0,
    }


def show(run: dict[str, Any]) -> None:
    """A readable line for a run."""
    extra = (f", {run['answers_per_second']:.1f} answers/s ({run['answers']} answers)"
             if run["answers"] else "")
    print(f"{run['bot']}: one partner alone ({run['alone_taps']} taps): tap → next screen "
          f"median {run['alone_median_ms']:.0f} ms, p99 {run['alone_p99_ms']:.0f} ms, slowest "
          f"{run['alone_max_ms']:.0f} ms", flush=True)
    print(f"{run['bot']}: {run['partners']} partners at once, {run['taps']} taps in "
          f"{run['seconds']:.1f}s: {run['taps_per_second']:.1f} taps/s{extra}; tap → next "
          f"screen median {run['median_ms']:.0f} ms, p99 {run['p99_ms']:.0f} ms; CPU busy: bot "
          f"{run['bot_cpu_share']:.0%}, server+partners {run['server_cpu_share']:.0%} of a core; "
          f"bot CPU {run['bot_cpu_ms_per_tap']:.1f} ms a tap "
          f"({run['bot_loop_cpu_ms_per_tap']:.1f} in its event loop's thread)", flush=True)


async def product_run(workdir: Path, n: int, profile: Path | None = None
                      ) -> tuple[dict[str, Any], int]:
    """PartnerPulse (`partnerpulse run`): join, a round goes out, everyone answers at once."""
    server = BotApiServer(send_limit_per_second=None)
    server.add_bot(TOKEN, username="partnerpulse_bench_bot")
    await server.start()
    try:
        config = bot_config(server.base_url, server.base_file_url, workdir / "answers.db",
                            per_second=UNLIMITED_RATE)
        tokens = await seed_partners(config, n, join=False)
        partners = Partners(server, n)
        toml = write_config(config, workdir / "config.toml")
        argv = [PARTNERPULSE, "run", "--config", str(toml), "--log-level", "WARNING"]
        if profile is not None:
            argv = [PYTHON, str(PROFILED), str(profile), "partnerpulse", *argv[1:]]
        async with BotProcess(argv, workdir / "partnerpulse.log") as bot:
            try:
                await server.wait_for_poll(60)
                join_s = await partners.join(tokens)
                print(f"PartnerPulse: {n} partners joined by /start TOKEN in {join_s:.1f}s "
                      f"({n / join_s:.0f}/s)", flush=True)
                round_id = await create_round(config)
                began = time.perf_counter()
                firsts = {chat: await partners.next_message(chat) for chat in partners.chats}
                out_s = time.perf_counter() - began
                print(f"PartnerPulse: {n} invitations out in {out_s:.1f}s", flush=True)
                solo, walks, seconds, cpu = await partners.all_walk(
                    firsts, choose_in_round, 1000, bot.cpu_seconds)
            except (TimeoutError, LookupError):
                print(bot.tail(), file=sys.stderr)
                raise
        run = summary("PartnerPulse", solo, walks, seconds, cpu)
        run.update(join_s=round(join_s, 2), invitations_out_s=round(out_s, 2))
        async with services(config) as svc:
            status = await svc.rounds.status(round_id)
        run["submitted"] = status.submitted
    finally:
        await server.stop()
    return run, max(w.taps for w in walks)


async def echo_run(workdir: Path, n: int, taps: int, profile: Path | None = None
                   ) -> dict[str, Any]:
    """The bare PTB echo bot, driven by the same partners with `taps` taps each."""
    server = BotApiServer(send_limit_per_second=None)
    server.add_bot(TOKEN, username="echo_bench_bot")
    await server.start()
    try:
        partners = Partners(server, n)
        argv = [PYTHON, str(ECHO_SCRIPT), "--echo-bot", server.base_url]
        if profile is not None:
            argv = [PYTHON, str(PROFILED), str(profile), *argv[1:]]
        async with BotProcess(argv, workdir / "echo.log") as bot:
            try:
                await server.wait_for_poll(60)
                firsts: dict[int, TranscriptEvent] = {}

                async def join(chat: int) -> None:
                    await server.user(chat, f"Partner {chat}").send_command("/start")
                    firsts[chat] = await partners.next_message(chat)

                await asyncio.gather(*(join(chat) for chat in partners.chats))
                solo, walks, seconds, cpu = await partners.all_walk(
                    firsts, choose_echo, taps, bot.cpu_seconds)
            except (TimeoutError, LookupError):
                print(bot.tail(), file=sys.stderr)
                raise
    finally:
        await server.stop()
    return summary("bare PTB echo", solo, walks, seconds, cpu)


def echo_bot(base_url: str) -> None:
    """The bare PTB bot: /start and every tap get a message with one button; no database."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

    def markup(step: int) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton("Next", callback_data=f"{ECHO_DATA}:{step}")]])

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start: the first button."""
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Echo 0", reply_markup=markup(1))

    async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A tap: answer the query, send the next message."""
        query = update.callback_query
        assert query is not None and query.data is not None and query.message is not None
        await query.answer()
        step = int(query.data.split(":", 1)[1])
        await context.bot.send_message(query.message.chat.id, f"Echo {step}",
                                       reply_markup=markup(step + 1))

    app = (Application.builder().token(TOKEN).base_url(base_url).concurrent_updates(16)
           .build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(tap))
    app.run_polling(allowed_updates=["message", "callback_query"])


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    """Both runs, then the ratio."""
    figures: dict[str, Any] = {
        "bench": "answers", "template": "partnership-functions (button answers)",
        "server": "in-process with the simulated partners",
        "bots": "subprocesses: partnerpulse run; bench/answers.py --echo-bot",
        "machine": print_machine()}
    with tempfile.TemporaryDirectory(prefix="pp-answers-") as tmp:
        workdir = Path(tmp)
        product, taps = await product_run(workdir, args.partners, args.profile_bot)
        show(product)
        print(f"PartnerPulse: {product['submitted']} of {args.partners} responses submitted",
              flush=True)
        figures["product"] = product
        if not args.skip_echo:
            echo_profile = (None if args.profile_bot is None else
                            args.profile_bot.with_name(args.profile_bot.name + ".echo"))
            echo = await echo_run(workdir, args.partners, taps, echo_profile)
            show(echo)
            figures["echo"] = echo
            ratio = product["taps_per_second"] / echo["taps_per_second"]
            figures["ratio_product_to_echo"] = round(ratio, 3)
            print(f"PartnerPulse handles {ratio:.0%} of the taps a second the bare PTB bot "
                  f"handles under the same load", flush=True)
            cost = echo["bot_cpu_ms_per_tap"] / product["bot_cpu_ms_per_tap"]
            figures["ratio_cpu_per_tap"] = round(cost, 3)
            print(f"By CPU a tap (what decides it when both bots have a whole core): "
                  f"{cost:.0%} of the bare bot", flush=True)
    return figures


def main() -> None:
    """Parse the size (or run as the echo bot), run, print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=500)
    parser.add_argument("--skip-echo", action="store_true", help="only the PartnerPulse run")
    parser.add_argument("--profile-bot", type=Path, metavar="FILE",
                        help="run both bots under cProfile (the main thread's CPU clock), "
                        "writing their stats to FILE and FILE.echo")
    parser.add_argument("--echo-bot", metavar="BASE_URL",
                        help="run as the bare PTB bot against BASE_URL (used by the benchmark)")
    args = parser.parse_args()
    if args.profile_bot is not None:
        args.profile_bot = args.profile_bot.resolve()  # the bot runs in another folder
    if args.echo_bot:
        logging.basicConfig(level=logging.WARNING)
        echo_bot(args.echo_bot)
        return
    logging.basicConfig(level=logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    began = time.monotonic()
    with contextlib.suppress(KeyboardInterrupt):
        figures = asyncio.run(main_async(args))
        figures["total_s"] = round(time.monotonic() - began, 1)
        print(f"whole benchmark: {figures['total_s']:.1f}s", flush=True)
        emit(figures)


if __name__ == "__main__":
    main()
