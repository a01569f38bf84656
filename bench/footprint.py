"""The idle bot's memory, its start-up time, and the installed size.

    .venv/bin/python bench/footprint.py [--runs 3] [--idle 3]

`partnerpulse run` is started as a subprocess against the local Bot API server (in this
process) with a fresh database; start-up is the time from starting the process to the first
`getUpdates` the server sees. After `--idle` seconds of polling, its resident memory is read
from /proc/PID/status (VmRSS, and VmHWM, the peak). Repeated `--runs` times (the median is
printed). Then the size of the .venv's site-packages, its ten largest distributions, and the
project's own source. Last, one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from common import (
    PARTNERPULSE,
    ROOT,
    TOKEN,
    bot_config,
    emit,
    median,
    print_machine,
    write_config,
)

from bot.apiserver import BotApiServer

MB = 1024 * 1024
PACKAGES = ("bot", "surveys", "storage", "scheduler")


def status_kb(pid: int, key: str) -> int:
    """A `kB` field of /proc/PID/status (VmRSS, VmHWM…)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(key)


async def one_start(workdir: Path, run: int, idle: float) -> dict[str, float]:
    """Start `partnerpulse run` once; start-up seconds and memory after `idle` seconds."""
    server = BotApiServer(send_limit_per_second=None)
    server.add_bot(TOKEN, username="partnerpulse_bench_bot")
    await server.start()
    try:
        config = bot_config(server.base_url, server.base_file_url, workdir / f"run{run}.db")
        toml = write_config(config, workdir / f"run{run}.toml")
        with (workdir / f"run{run}.log").open("wb") as log:
            began = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                PARTNERPULSE, "run", "--config", str(toml), "--log-level", "WARNING",
                cwd=workdir, stdout=log, stderr=asyncio.subprocess.STDOUT)
            try:
                await server.wait_for_poll(120)
                startup_s = time.perf_counter() - began
                await asyncio.sleep(idle)
                rss = status_kb(process.pid, "VmRSS") / 1024
                hwm = status_kb(process.pid, "VmHWM") / 1024
            finally:
                process.send_signal(signal.SIGTERM)
                await asyncio.wait_for(process.wait(), 30)
    finally:
        await server.stop()
    return {"startup_s": round(startup_s, 2), "rss_mb": round(rss, 1), "hwm_mb": round(hwm, 1)}


def tree_bytes(folder: Path) -> int:
    """Bytes of every file under a folder (symlinks not followed)."""
    total = 0
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = Path(dirpath, name)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def site_packages() -> Path:
    """The .venv's site-packages folder."""
    found = sorted((ROOT / ".venv" / "lib").glob("python*/site-packages"))
    if not found:
        raise FileNotFoundError("no .venv/lib/python*/site-packages")
    return found[0]


def distributions(folder: Path) -> list[tuple[str, int]]:
    """(name, bytes) of every distribution installed in `folder`, largest first."""
    sizes: dict[str, int] = {}
    for dist in metadata.distributions(path=[str(folder)]):
        total = 0
        for file in dist.files or []:
            path = Path(str(dist.locate_file(file)))
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
        name = dist.metadata["Name"] or "?"
        sizes[name] = sizes.get(name, 0) + total
    return sorted(sizes.items(), key=lambda item: -item[1])


def own_source() -> dict[str, int]:
    """Files, lines and bytes of the project's Python, and bytes of its data (templates…)."""
    files = lines = py_bytes = data_bytes = 0
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if path.suffix == ".py":
                files += 1
                py_bytes += path.stat().st_size
                lines += len(path.read_bytes().splitlines())
            else:
                data_bytes += path.stat().st_size
    return {"py_files": files, "py_lines": lines, "py_bytes": py_bytes, "data_bytes": data_bytes}


async def starts(runs: int, idle: float) -> list[dict[str, float]]:
    """Each start in turn, in a scratch folder."""
    with tempfile.TemporaryDirectory(prefix="pp-footprint-") as tmp:
        return [await one_start(Path(tmp), run, idle) for run in range(runs)]


def main() -> None:
    """Measure, print, and end with the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="starts to measure (median shown)")
    parser.add_argument("--idle", type=float, default=3.0,
                        help="seconds of polling before memory is read")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    figures: dict[str, Any] = {"bench": "footprint", "machine": print_machine()}
    runs = asyncio.run(starts(args.runs, args.idle))
    for i, run in enumerate(runs, 1):
        print(f"start {i}: first getUpdates after {run['startup_s']:.2f}s; idle RSS "
              f"{run['rss_mb']:.0f} MB (peak {run['hwm_mb']:.0f} MB)", flush=True)
    figures["starts"] = runs
    figures["startup_s_median"] = round(median([r["startup_s"] for r in runs]), 2)
    figures["rss_mb_median"] = round(median([r["rss_mb"] for r in runs]), 1)
    figures["hwm_mb_median"] = round(median([r["hwm_mb"] for r in runs]), 1)
    print(f"partnerpulse run: start-up {figures['startup_s_median']:.2f}s, idle RSS "
          f"{figures['rss_mb_median']:.0f} MB, peak {figures['hwm_mb_median']:.0f} MB "
          f"(median of {len(runs)})", flush=True)

    folder = site_packages()
    total = tree_bytes(folder)
    largest = distributions(folder)[:10]
    figures["site_packages_mb"] = round(total / MB, 1)
    figures["largest_packages_mb"] = {name: round(size / MB, 1) for name, size in largest}
    print(f"installed: {total / MB:.0f} MB in {folder.relative_to(ROOT)}; largest: "
          + ", ".join(f"{name} {size / MB:.0f} MB" for name, size in largest), flush=True)
    source = own_source()
    figures["own_source"] = source
    print(f"own source: {source['py_files']} Python files, {source['py_lines']} lines, "
          f"{source['py_bytes'] / 1024:.0f} KB; data (templates, codebooks, migrations, demo "
          f"answers, the theme model's ONNX file and vocabulary) "
          f"{source['data_bytes'] / 1024:.0f} KB", flush=True)
    emit(figures)


if __name__ == "__main__":
    main()
