"""How long `partnerpulse run` takes to stop on SIGTERM while the model is mid-batch.

    .venv/bin/python bench/shutdown.py [--runs 5]

The local Bot API server runs in this process; the bot runs in its own (the real `run`
command, through bench/busy_model_run.py, which marks when the model begins a batch). An
open framework-review round gives the idle worker its codebook to embed (hundreds of texts,
seconds of work for MiniLM on two cores). As soon as the batch has begun, SIGTERM; the
figure is the time from the signal to the process's exit, and its exit code.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import (
    PYTHON,
    ROOT,
    TOKEN,
    bot_config,
    emit,
    median,
    print_machine,
    roster,
    write_config,
)

from bot.apiserver import BotApiServer
from bot.wiring import build_services
from surveys.templates import resolve_template

BUSY_RUN = str(Path(__file__).resolve().parent / "busy_model_run.py")


async def one_run(folder: Path) -> tuple[float, int, int]:
    """Seconds from SIGTERM to exit, the exit code, and the size of the interrupted batch."""
    async with BotApiServer(send_limit_per_second=30) as server:
        server.add_bot(TOKEN, username="partnerpulse_bench_bot")
        config = bot_config(server.base_url, server.base_file_url, folder / "bot.db")
        svc = await build_services(config)
        await svc.partners.import_rows(roster(20), svc.clock.now())
        await svc.rounds.create(resolve_template("framework-review"),
                                deadline=svc.clock.now() + timedelta(days=14))
        await svc.db.close()
        marker = folder / "batch-begun"
        env = {**os.environ, "PARTNERPULSE_TOKEN": "",
               "PARTNERPULSE_BENCH_BATCH_MARKER": str(marker)}
        with (folder / "bot.log").open("ab") as out:
            proc = await asyncio.create_subprocess_exec(
                PYTHON, BUSY_RUN, "--config", str(write_config(config, folder / "bot.toml")),
                "--log-level", "WARNING", cwd=ROOT, env=env, stdout=out, stderr=out)
        while not marker.exists():
            if proc.returncode is not None:
                raise SystemExit(f"the bot stopped early: {(folder / 'bot.log').read_text()}")
            await asyncio.sleep(0.01)
        signalled = time.perf_counter()
        proc.send_signal(signal.SIGTERM)
        code = await proc.wait()
        return time.perf_counter() - signalled, code, int(marker.read_text())


async def main(runs: int) -> None:
    info = print_machine()
    seconds, codes, batch = [], [], 0
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            took, code, batch = await one_run(Path(tmp))
        seconds.append(took)
        codes.append(code)
        print(f"run {i + 1}: SIGTERM mid-batch ({batch} texts) → exit {code} in {took:.2f} s",
              flush=True)
    print(f"SIGTERM → exit: median {median(seconds):.2f} s, worst {max(seconds):.2f} s over "
          f"{runs} runs; exit codes {sorted(set(codes))}", flush=True)
    emit({"benchmark": "shutdown", **info, "runs": runs, "batch_texts": batch,
          "median_s": round(median(seconds), 3), "max_s": round(max(seconds), 3),
          "exit_codes": sorted(set(codes))})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args().runs))
