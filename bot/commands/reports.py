"""`partnerpulse report`, `export` and `themes`: a round's report, its raw answers, its themes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from bot.commands.common import config_option, get_config, run
from bot.wiring import Services, services
from surveys.plural import count
from surveys.report import (
    RoundData,
    export_round_themes,
    raw_columns,
    raw_rows,
    split_themes_file,
    text_sets,
)
from surveys.report.xlsx import frame
from surveys.reporting import FORMATS
from surveys.themes import CodebookError, apply_themes_toml, theme_csv


async def _data(svc: Services, round_id: int) -> RoundData:
    return await svc.reports.round_data(round_id)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read {path}: {exc}") from exc


def _write(path: str, content: str | bytes) -> None:
    try:
        if isinstance(content, bytes):
            Path(path).write_bytes(content)
        else:
            Path(path).write_text(content, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc}") from exc


@click.command("report")
@click.argument("round_id", metavar="ROUND", type=int)
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="html",
              show_default=True, help="HTML (one file, charts inline), PDF (A4), Word (DOCX), "
              "a workbook (XLSX) or Markdown.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="File to write.")
@click.option("--by", "by", type=click.Choice(["partnership"]), default=None,
              help="Put partnerships side by side first: areas or dimensions × partnerships, "
              "a RAG colour per cell (small groups merged).")
@config_option
@run
async def report(round_id: int, fmt: str, out: str, by: str | None,
                 config_path: str | None) -> None:
    """Write the themed report of a round (only submitted answers count)."""
    async with services(get_config(config_path)) as svc:
        built = await svc.reports.build(round_id, by=by)
    _write(out, built.render(fmt))
    click.echo(f"Report of round {round_id} ({count(len(built.data.respondents), 'response')}) "
               f"written to {out}.")


@click.command("export")
@click.argument("round_id", metavar="ROUND", type=int)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv",
              show_default=True)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="File to write.")
@config_option
@run
async def export(round_id: int, fmt: str, out: str, config_path: str | None) -> None:
    """Export raw answers, a row per respondent and question, as the round's anonymity allows."""
    async with services(get_config(config_path)) as svc:
        data = await _data(svc, round_id)
    df = frame(raw_rows(data), raw_columns(data))
    try:
        if fmt == "csv":
            df.to_csv(out, index=False)
        else:
            df.to_excel(out, sheet_name="Answers", index=False, engine="openpyxl")
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc}") from exc
    click.echo(f"{count(len(df), 'row')} of round {round_id} ({data.round.anonymity}) "
               f"written to {out}.")


class ThemesGroup(click.Group):
    """`themes FILE.csv ...` or `themes export|apply ...`: an unknown name is a CSV path."""

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        """Send a first argument that names no sub-command to `themes csv`."""
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "csv", self.commands["csv"], args
        return super().resolve_command(ctx, args)


@click.group("themes", cls=ThemesGroup)
def themes() -> None:
    """Themes of free text: `themes FILE.csv --text-column COL`, or a round's themes file.

    `themes export ROUND --out themes.toml` writes the round's themes for editing;
    `themes apply ROUND themes.toml` stores the edited file so reports use it.
    """


@themes.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--text-column", required=True, help="Header (or 0-based index) of the column.")
@click.option("--codebook", "codebook", type=click.Path(exists=True, dir_okay=False),
              default=None, help="A codebook file of expected themes ([[theme]] tables).")
@click.option("--themes", "n_themes", type=click.IntRange(min=1), default=None,
              help="How many clusters for answers no codebook theme fits.")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@config_option
def themes_csv(file: str, text_column: str, codebook: str | None, n_themes: int | None,
               fmt: str, config_path: str | None) -> None:
    """Theme one text column of a CSV file and print the themes as JSON."""
    column: str | int = int(text_column) if text_column.isdigit() else text_column
    try:
        result: dict[str, Any] = theme_csv(file, column, codebook, n_themes=n_themes)
    except (CodebookError, OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@themes.command("export")
@click.argument("round_id", metavar="ROUND", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False))
@click.option("--question", default=None,
              help="One question id (or ID.comment for its comments); default all.")
@config_option
@run
async def themes_export(round_id: int, out: str, question: str | None,
                        config_path: str | None) -> None:
    """Write a round's themes as an editable TOML file (the applied file where there is one)."""
    async with services(get_config(config_path)) as svc:
        data = await _data(svc, round_id)
    try:
        text = export_round_themes(data, question)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    _write(out, text)
    click.echo(f"Themes of round {round_id} written to {out}. Edit it, then run "
               f"`partnerpulse themes apply {round_id} {out}`.")


@themes.command("apply")
@click.argument("round_id", metavar="ROUND", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--question", default=None,
              help="The question a single-question file belongs to.")
@config_option
@run
async def themes_apply(round_id: int, file: str, question: str | None,
                       config_path: str | None) -> None:
    """Store an edited themes file for a round; its reports then keep every decision in it."""
    try:
        parts = split_themes_file(_read(file), question)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    async with services(get_config(config_path)) as svc:
        data = await _data(svc, round_id)
        sets = text_sets(data)
        unknown = sorted(set(parts) - set(sets))
        if unknown:
            raise click.ClickException(f"{file}: no text question or comment set "
                                       f"{', '.join(unknown)} in round {round_id}.")
        for key, part in parts.items():
            try:  # check the part reads before storing it
                apply_themes_toml(part, list(sets[key].texts))
            except CodebookError as exc:
                raise click.ClickException(f"{file} [{key}]: {exc}") from exc
        await svc.reports.save_themes(round_id, parts, svc.clock.now())
    click.echo(f"Applied themes for {count(len(parts), 'question')} of round {round_id}: "
               + ", ".join(parts) + ".")
