"""The worker's pass over many new answers: a batch at a time, each committed with the texts
it takes off the queue, so every vector is stored once and a pass killed part-way loses
nothing (real SQLite file, real process killed with SIGKILL)."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from pathlib import Path

from storage.db import Database
from storage.vectors import VectorRepository
from surveys.vectors import model_key, text_key, texts_to_embed
from tests.surveys.vector_pass_run import BATCH, LoggedEmbedder, embed_all

ROOT = Path(__file__).resolve().parents[2]
ISSUES = ["no funding", "too many meetings", "officers change", "jargon", "silo working",
          "no follow up", "low attendance", "unclear aims"]
HANG_GUARD = 60.0


def answers(n: int) -> list[str]:
    """n distinct answers, each of two points, the points shared between answers."""
    return [f"{ISSUES[i % 8]}, {ISSUES[(i // 8) % 8]} in area {i}" for i in range(n)]


async def queue(path: Path, texts: list[str]) -> None:
    """Texts waiting for a vector, as the answers' trigger leaves them."""
    async with Database(path) as db, db.write() as conn:
        await conn.executemany("INSERT INTO embed_queue (text) VALUES (?)",
                               [(t,) for t in texts])


async def state(path: Path, texts: list[str]) -> tuple[list[str], dict[str, bytes]]:
    """The texts still queued, and every stored vector of the texts' points and wholes."""
    embedder = LoggedEmbedder(path.with_suffix(".unused"))
    async with Database(path) as db:
        repo = VectorRepository(db)
        queued = await repo.queued(len(texts) + 1)
        keys = [text_key(t) for text in texts for t in texts_to_embed(text)]
        return queued, await repo.lookup(model_key(embedder), keys)


async def test_a_pass_stores_every_vector_once(tmp_path: Path) -> None:
    path, log = tmp_path / "pass.db", tmp_path / "embedded.log"
    texts = answers(40)
    await queue(path, texts)
    assert await embed_all(path, log) == len(texts)
    queued, stored = await state(path, texts)
    wanted = {t for text in texts for t in texts_to_embed(text)}
    assert queued == []
    assert {text_key(t) for t in wanted} == set(stored)
    # Each text is embedded once, though most points recur in many answers and batches.
    embedded = Counter(log.read_text(encoding="utf-8").splitlines())
    assert set(embedded) == wanted
    assert max(embedded.values()) == 1
    reference = LoggedEmbedder(tmp_path / "reference.log")
    for t in wanted:
        assert stored[text_key(t)] == reference.embed([t])[0].tobytes()


async def test_a_pass_killed_part_way_loses_nothing(tmp_path: Path) -> None:
    path, log = tmp_path / "pass.db", tmp_path / "embedded.log"
    texts = answers(200)
    await queue(path, texts)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.surveys.vector_pass_run", str(path), str(log), cwd=ROOT)
    try:
        async with asyncio.timeout(HANG_GUARD):
            # Kill it once several batches are committed and while more are to come.
            while proc.returncode is None:
                queued, _ = await state(path, texts)
                if len(queued) <= len(texts) - 5 * BATCH:
                    break
                await asyncio.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == -signal.SIGKILL
    queued, stored = await state(path, texts)
    assert 0 < len(queued) < len(texts)
    # Every text off the queue has all its vectors: a batch is committed whole or not at all.
    for text in set(texts) - set(queued):
        assert all(text_key(t) in stored for t in texts_to_embed(text)), text

    # Started again, the worker finishes the queue.
    assert await embed_all(path, log) == len(queued)
    queued, stored = await state(path, texts)
    wanted = {t for text in texts for t in texts_to_embed(text)}
    assert queued == [] and set(stored) == {text_key(t) for t in wanted}
    embedded = Counter(log.read_text(encoding="utf-8").splitlines())
    assert set(embedded) == wanted
    # Only the batch under way at the kill was embedded twice.
    again = sum(embedded.values()) - len(wanted)
    assert 0 <= again <= BATCH * 3  # a batch's texts, their points and wholes
