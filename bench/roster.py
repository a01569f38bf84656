"""A county's partner list: `partners import` and `partners list` on 50,000 partners.

    .venv/bin/python bench/roster.py [--partners 50000]

Writes a roster CSV (name, organisation, sector, partnership, role; forty partnerships,
seven sectors), then times the CLI as an administrator runs it, each a process of its own:
`partners import` into a fresh database, the same import again (every row an update), and
`partners list --format csv` (which issues a fresh invite link per partner not yet joined).
Last, one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import resource
import subprocess
import tempfile
import time
from pathlib import Path

from common import PARTNERPULSE, SECTORS, emit, print_machine


def write_roster(path: Path, n: int) -> None:
    """n partners over forty partnerships and seven sectors."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "organisation", "sector", "partnership", "role"])
        for i in range(n):
            writer.writerow([f"Partner {i:05d}", f"Organisation {i % 997:03d}",
                             SECTORS[i % len(SECTORS)], f"Partnership {i % 40:02d}", "member"])


def timed(*args: str) -> tuple[float, float, str]:
    """Seconds a CLI command took (wall clock, and CPU: on a shared machine the wall clock
    includes waiting for a core), and its output."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run([PARTNERPULSE, *args], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
    return wall, used, done.stdout


def main() -> None:
    """Write the roster, time the three commands, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=50_000)
    args = parser.parse_args()
    figures = {"bench": "roster", "partners": args.partners, "machine": print_machine()}
    with tempfile.TemporaryDirectory(prefix="pp-roster-") as tmp:
        folder = Path(tmp)
        roster, config = folder / "partners.csv", folder / "config.toml"
        write_roster(roster, args.partners)
        config.write_text(f'[telegram]\nbot_username = "partnerpulse_bot"\n\n'
                          f'[database]\npath = "{folder / "pp.db"}"\n', encoding="utf-8")
        first, first_cpu, out = timed("partners", "import", str(roster), "--config",
                                      str(config))
        print(f"partners import, {args.partners:,} new: {first:.1f}s (CPU {first_cpu:.1f}s; "
              f"{out.strip()})")
        again, again_cpu, out = timed("partners", "import", str(roster), "--config",
                                      str(config))
        print(f"partners import again, every row an update: {again:.1f}s (CPU "
              f"{again_cpu:.1f}s; {out.strip()})")
        listed, listed_cpu, out = timed("partners", "list", "--format", "csv", "--config",
                                        str(config))
        lines = out.count("\n") - 1
        print(f"partners list --format csv, {lines:,} partners with invite links: "
              f"{listed:.1f}s (CPU {listed_cpu:.1f}s)")
        figures.update(import_s=round(first, 2), import_cpu_s=round(first_cpu, 2),
                       import_again_s=round(again, 2), import_again_cpu_s=round(again_cpu, 2),
                       list_s=round(listed, 2), list_cpu_s=round(listed_cpu, 2), listed=lines)
    emit(figures)


if __name__ == "__main__":
    main()
