"""SIGTERM stops `partnerpulse run` while the model is busy with a batch: no waiting for it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

from bot.apiserver import BotApiServer
from bot.wiring import build_services
from surveys.templates import resolve_template
from tests.bot.conftest import ROSTER_ROWS, bot_config

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD = 60.0  # far below the batch's two and a half minutes, far above a clean stop


async def test_sigterm_mid_batch_exits_without_waiting_for_the_model(
        telegram_server: BotApiServer, tmp_path: Path) -> None:
    config = bot_config(tmp_path, telegram_server)
    svc = await build_services(config)
    await svc.partners.import_rows(ROSTER_ROWS, svc.clock.now())
    # An open round: the idle worker embeds its codebook ahead of the report.
    await svc.rounds.create(resolve_template("framework-review"),
                            deadline=svc.clock.now() + timedelta(days=14))
    await svc.db.close()
    config_file = tmp_path / "bot.toml"
    config_file.write_text(
        f'[telegram]\ntoken = "{telegram_server.token}"\n'
        f'base_url = "{telegram_server.base_url}"\n'
        f'base_file_url = "{telegram_server.base_file_url}"\n'
        f'[database]\npath = "{config.database.path}"\n[schedule]\nquiet_hours = ""\n',
        encoding="utf-8")
    marker, log = tmp_path / "batch-begun", tmp_path / "bot.log"
    env = {**os.environ, "PARTNERPULSE_TOKEN": "",
           "PARTNERPULSE_TEST_BATCH_MARKER": str(marker)}
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.bot.slow_embedding_run", "--config", str(config_file),
            cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        async with asyncio.timeout(HANG_GUARD):
            # The marker shows the batch has begun (and has minutes to go).
            while not marker.exists() and proc.returncode is None:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        assert marker.exists(), log.read_text()
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), HANG_GUARD)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert code == 0, log.read_text()
    assert "stopping" in log.read_text()
