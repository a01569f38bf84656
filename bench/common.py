"""Helpers shared by the bot benchmarks (fanout, answers, footprint) and the no-codebook
theme benches on the dev sets (themes_diagnose, themes_projection).

The local Bot API server in its own process, the bot's configuration for it, a roster of
made-up partners, the machine's description, the JSON line every benchmark ends with, and
the theme benches' common arguments (seeds, dev sets, modes, vector cache, overrides).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import platform
import statistics
import sys
from collections.abc import Collection
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bot.config import (  # noqa: E402
    Config,
    CoordinatorsConfig,
    DatabaseConfig,
    TelegramConfig,
    load_config,
)
from storage.records import PartnerRow  # noqa: E402
from surveys.templates import builtin_template  # noqa: E402

PYTHON = sys.executable
PARTNERPULSE = str(Path(PYTHON).parent / "partnerpulse")
TOKEN = "123456789:BENCH-partnerpulse-token"
FIRST_USER_ID = 100_000
PARTNERSHIPS = ("Northvale LSP", "Southmere LSP", "Eastholm LSP", "Westcombe LSP")
SECTORS = ("Council", "Police", "Health", "Voluntary", "Business", "Fire", "Education")
UNLIMITED_RATE = 100_000.0  # the bot's messages_per_second when the limit is lifted


def machine() -> dict[str, Any]:
    """Cores, CPU model and Python version of this machine."""
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model,
            "python": platform.python_version()}


def print_machine() -> dict[str, Any]:
    """Print and return the machine line."""
    info = machine()
    print(f"machine: {info['nproc']} cores, {info['cpu']}, Python {info['python']}", flush=True)
    return info


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (0..1) by nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def median(values: list[float]) -> float:
    """The median; 0 for no values."""
    return statistics.median(values) if values else 0.0


def emit(figures: dict[str, Any]) -> None:
    """The last line of every benchmark: one JSON object with every figure."""
    print(json.dumps(figures), flush=True)


def add_dev_theme_args(parser: argparse.ArgumentParser, seeds: int, modes: str) -> None:
    """The arguments every no-codebook dev-set bench takes: clustering seeds, dev sets,
    modes (`none`, `loso`, `loqo`), a file keeping the texts' vectors, and overrides of
    the engine's constants."""
    parser.add_argument("--seeds", type=int, default=seeds)
    parser.add_argument("--sets", default="", help="comma-separated dev set names")
    parser.add_argument("--modes", default=modes)
    parser.add_argument("--cache", default="", help="file keeping the texts' vectors")
    parser.add_argument("--override", action="append", default=[],
                        help="MODULE.NAME=VALUE of surveys.themes, e.g. features.GRAM_SHARE=0.15")


def dev_theme_sets(parser: argparse.ArgumentParser, args: argparse.Namespace,
                   dev: Collection[str]) -> list[str]:
    """The dev sets asked for (every one by default), after setting each override; a name
    that is not a dev set is an error: the unseen sets are never run by these benches."""
    for override in args.override:
        target, value = override.split("=")
        module, constant = target.rsplit(".", 1)
        setattr(importlib.import_module(f"surveys.themes.{module}"), constant, float(value))
    wanted = [s for s in args.sets.split(",") if s] or list(dev)
    unknown = sorted(set(wanted) - set(dev))
    if unknown:
        parser.error(f"not dev sets: {', '.join(unknown)} (unseen sets are never run here)")
    return wanted


def roster(n: int) -> list[PartnerRow]:
    """n made-up partners spread over four partnerships and seven sectors."""
    return [PartnerRow(name=f"Partner {i:05d}", organisation=f"Organisation {i % 97:02d}",
                       sector=SECTORS[i % len(SECTORS)],
                       partnership=PARTNERSHIPS[i % len(PARTNERSHIPS)], role="member")
            for i in range(n)]


def bot_config(base_url: str, base_file_url: str, db_path: Path, *,
               per_second: float = 30.0, per_chat_interval: float = 1.0) -> Config:
    """The bot's configuration for a local server and a fresh database."""
    base = load_config(None, environ={})
    return replace(
        base,
        telegram=TelegramConfig(token=TOKEN, base_url=base_url, base_file_url=base_file_url,
                                bot_username="partnerpulse_bench_bot"),
        database=DatabaseConfig(path=str(db_path)),
        coordinators=CoordinatorsConfig(telegram_ids=[]),
        # No quiet hours: a round that goes out in the evening must not wait for morning.
        schedule=replace(base.schedule, quiet_hours=""),
        sending=replace(base.sending, messages_per_second=per_second,
                        per_chat_interval=per_chat_interval))


def write_config(config: Config, path: Path) -> Path:
    """The configuration as a TOML file, for `partnerpulse run --config`."""
    tg, sending = config.telegram, config.sending
    path.write_text(
        "[telegram]\n"
        f"token = {json.dumps(tg.token)}\nbase_url = {json.dumps(tg.base_url)}\n"
        f"base_file_url = {json.dumps(tg.base_file_url)}\n"
        f"bot_username = {json.dumps(tg.bot_username)}\n\n"
        f"[database]\npath = {json.dumps(config.database.path)}\n\n"
        f"[schedule]\nquiet_hours = {json.dumps(config.schedule.quiet_hours)}\n\n"
        f"[sending]\nmessages_per_second = {float(sending.messages_per_second)}\n"
        f"per_chat_interval = {float(sending.per_chat_interval)}\n", encoding="utf-8")
    return path


async def seed_partners(config: Config, n: int, *, join: bool) -> list[str]:
    """Import n partners; with `join`, bind each to chat FIRST_USER_ID + i as /start would.

    Returns one unused invite token per partner (empty strings when they joined here).
    """
    from bot.wiring import services

    async with services(config) as svc:
        await svc.partners.import_rows(roster(n), svc.clock.now())
        people = sorted(await svc.partners.all(), key=lambda p: p.name)
        tokens = [await svc.invitations.issue(p.id) for p in people]
        if not join:
            return tokens
        for i, token in enumerate(tokens):
            await svc.invitations.redeem(token, FIRST_USER_ID + i, FIRST_USER_ID + i)
        return ["" for _ in tokens]


async def create_round(config: Config, template: str = "partnership-functions") -> int:
    """Start a round of a built-in template for everyone (its invitations go to the outbox)."""
    from bot.wiring import services

    async with services(config) as svc:
        round_id = await svc.rounds.create(
            builtin_template(template), deadline=svc.clock.now() + timedelta(days=14),
            title=f"Bench: {template}")
        return round_id


class ApiServerProcess:
    """`python -m bot.apiserver` in its own process; its URLs and the control API."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.url = self.base_url = self.base_file_url = ""
        self._process: asyncio.subprocess.Process | None = None
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> ApiServerProcess:
        self._process = await asyncio.create_subprocess_exec(
            PYTHON, "-m", "bot.apiserver", "--port", "0", "--token", TOKEN,
            "--limit", str(self.limit or 0), "--any-chat", cwd=ROOT,
            stdout=asyncio.subprocess.PIPE)
        assert self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), 30)
        if not line:
            raise RuntimeError("the local Bot API server did not start")
        announced = json.loads(line)
        self.url, self.base_url = announced["url"], announced["base_url"]
        self.base_file_url = announced["base_file_url"]
        self._client = httpx.AsyncClient(base_url=self.url, timeout=30)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._client is not None:
            await self._client.aclose()
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            await self._process.wait()

    @property
    def pid(self) -> int:
        """The server's process id."""
        assert self._process is not None
        return self._process.pid

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far."""
        return process_cpu_seconds(self.pid)

    async def stats(self) -> dict[str, Any]:
        """`GET /_control/stats`: sends per chat, 429s answered, requests per method."""
        assert self._client is not None
        response = await self._client.get("/_control/stats")
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]


def process_cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU seconds of a live process, from /proc/PID/stat (or of one of its
    threads, from /proc/PID/task/TID/stat; the main thread's TID is the PID)."""
    stat = Path(f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat")
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """User + system CPU seconds of this process so far."""
    times = os.times()
    return times.user + times.system


def delivery(sent_per_chat: dict[str, int], chats: list[int]) -> tuple[int, int]:
    """(lost, duplicated): chats that got nothing, and messages beyond one per chat."""
    lost = sum(1 for chat in chats if sent_per_chat.get(str(chat), 0) == 0)
    duplicated = sum(max(0, n - 1) for n in sent_per_chat.values())
    return lost, duplicated
