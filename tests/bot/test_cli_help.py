"""`partnerpulse --help` answers without importing any command: no pandas, no telegram."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from bot.cli import COMMANDS, cli

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"pandas", "matplotlib", "telegram", "aiohttp", "numpy", "onnxruntime", "aiosqlite",
         "httpx", "openpyxl", "xlsxwriter"}


def test_help_imports_none_of_the_heavy_libraries() -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot.cli", "--help"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    # -X importtime writes "import time: self [us] | cumulative | package" per module.
    imported = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:") and "|" in line}
    assert "bot.commands.common" in imported          # the parsing found the modules
    assert {name.split(".")[0] for name in imported} & HEAVY == set()
    assert not any(name.startswith("bot.commands.") and name != "bot.commands.common"
                   for name in imported)
    for name in ("init", *COMMANDS):
        assert f"  {name} " in done.stdout, name


def test_the_help_table_says_what_each_command_says_of_itself() -> None:
    ctx = click.Context(cli)
    for name, (_, short_help) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        table = click.Command(name, help=short_help)
        assert command.get_short_help_str(200) == table.get_short_help_str(200), name
