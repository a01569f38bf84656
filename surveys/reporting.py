"""A round's report as files: one service used by the CLI, the chat and the demo."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from storage.partners import PartnerRepository
from storage.responses import ResponseRepository
from storage.rounds import RoundRepository
from storage.themes import RoundThemesRepository
from surveys.errors import NotAllowed, maps_store_errors
from surveys.review_cycle import ReviewCycle
from surveys.vectors import VectorService, codebook_texts_of

if TYPE_CHECKING:
    from surveys.report import Report, RoundData

# pandas, matplotlib and the embedding model load only when a report is built, so the bot and
# the CLI start quickly.

FORMATS = ("html", "pdf", "docx", "xlsx", "md")


@dataclass
class ReportFiles:
    """A built report and the round data it came from."""

    data: RoundData
    report: Report

    def render(self, fmt: str) -> bytes:
        """The report in one format, as bytes ready to write or send."""
        from surveys.report import raw_columns, render_html, render_markdown, render_xlsx

        if fmt == "html":
            return render_html(self.report).encode("utf-8")
        if fmt == "md":
            return render_markdown(self.report).encode("utf-8")
        if fmt == "xlsx":
            return render_xlsx(self.report, raw_columns(self.data))
        if fmt == "pdf":
            from surveys.report.pdf import render_pdf

            return render_pdf(self.report)
        if fmt == "docx":
            from surveys.report.word import render_docx

            return render_docx(self.report)
        raise ValueError(f"unknown report format {fmt!r}")

    def chart_png(self) -> bytes:
        """The front page's chart, for the chat."""
        from surveys.report import render_chart_png

        return render_chart_png(self.report)

    def file_name(self, fmt: str) -> str:
        """A file name from the round's title, e.g. round-3-fareham-lsp-self-assessment.html."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.data.round.title.lower()).strip("-")[:50]
        return f"round-{self.data.round.id}-{slug or 'report'}.{fmt}"


@maps_store_errors
class ReportService:
    """Builds a round's report from what is stored (only submitted answers count)."""

    def __init__(self, rounds: RoundRepository, responses: ResponseRepository,
                 partners: PartnerRepository, themes: RoundThemesRepository,
                 min_group_size: int = 3, timezone: str = "UTC",
                 vectors: VectorService | None = None, cycle: ReviewCycle | None = None
                 ) -> None:
        self.rounds = rounds
        # Adds last review's actions, the changes since it, and this review's agreed actions.
        self.cycle = cycle
        self.responses = responses
        self.partners = partners
        self.themes = themes
        self.min_group_size = min_group_size
        self.timezone = timezone
        self.vectors = vectors
        self._warmed: dict[int, str] = {}  # round id → what its texts were when last themed
        self._open_before: set[int] = set()

    async def warm_themes(self) -> int:
        """Theme the open rounds (and those closed since the last call) as their reports
        will, and keep the vectors theming had to work out itself: the label and point
        phrases it holds up to each theme's centre, some hundreds a round. A report built
        after this embeds nothing. A round whose texts are as they were when last themed is
        passed over. Returns how many vectors were kept."""
        if self.vectors is None:
            return 0
        # The report's modules (pandas, matplotlib: a second or so) are imported in a thread,
        # and each round's texts gathered there too: the event loop keeps serving partners.
        theming = await asyncio.to_thread(importlib.import_module, "surveys.report.theming")

        open_now = {r.id for r in await self.rounds.all(("open",))}
        kept = 0
        for round_id in sorted(open_now | (self._open_before - open_now)):
            data = await self.round_data(round_id)
            texts, digest = await asyncio.to_thread(_texts_and_digest, data)
            if self._warmed.get(round_id) == digest:
                continue
            embedder = await self.vectors.cached_embedder(
                texts, codebook_texts_of(data.questionnaire))
            await asyncio.to_thread(theming.theme_round, data, embedder)
            kept += await self.vectors.keep(embedder)
            self._warmed[round_id] = digest
        self._open_before = open_now
        return kept

    async def top_themes(self, round_id: int) -> list[str]:
        """The themes raised most across a round, most raised first."""
        built = await self._plain(round_id)
        from surveys.report.build import theme_names

        return theme_names(built.report.front.top_themes)

    async def build(self, round_id: int, *, by: str | None = None) -> ReportFiles:
        """Gather, theme and lay out a round's report, with the review cycle's sections.

        `by="partnership"` puts partnerships side by side first (areas or dimensions ×
        partnerships, a RAG colour a cell).
        """
        await self._check_reportable(round_id)
        built = await self._plain(round_id)
        if by == "partnership":
            from surveys.report.by_partnership import partnership_section

            built.report.sections.insert(0, partnership_section(built.data))
        elif by is not None:
            raise ValueError(f"unknown report breakdown {by!r}")
        if self.cycle is not None:
            async def plain(other: int) -> Report:
                return (await self._plain(other)).report

            await self.cycle.extend(built.report, built.data, plain)
        return built

    async def round_data(self, round_id: int) -> RoundData:
        """A round's answers as a report reads them (for exports and themes files)."""
        from surveys.report import load_round

        await self._check_reportable(round_id)
        return await load_round(round_id, self.rounds, self.responses, self.partners,
                                self.themes, min_group_size=self.min_group_size)

    async def _check_reportable(self, round_id: int) -> None:
        """An anonymous round's report, export and themes come when it closes. While it is
        open, two reports taken either side of one ballot would differ by that ballot, and
        the coordinator can tell who has just submitted (reminders go to those who have not):
        the difference would say what that partner answered."""
        rnd = await self.rounds.get(round_id)
        if rnd.anonymity == "anonymous" and rnd.state != "closed":
            raise NotAllowed(
                f"Round {round_id} is anonymous: its report, export and themes come when it "
                "closes, so that no report can be compared with the next to tell what one "
                "partner answered. /status shows how many have responded meanwhile.")

    async def save_themes(self, round_id: int, parts: Mapping[str, str], now: datetime) -> None:
        """Keep a coordinator's edited themes, a TOML part per text question (already read)."""
        for key, part in parts.items():
            await self.themes.save(round_id, key, part, now)

    async def _plain(self, round_id: int) -> ReportFiles:
        """Gather, theme and lay out a round's report."""
        from surveys.report import build_report, load_round, text_sets

        data = await load_round(round_id, self.rounds, self.responses, self.partners,
                                self.themes, min_group_size=self.min_group_size)
        embedder = None
        if self.vectors is not None:  # vectors worked out when the answers were stored
            texts = [t for ts in text_sets(data).values() for t in ts.texts]
            embedder = await self.vectors.cached_embedder(
                texts, codebook_texts_of(data.questionnaire))
        # Theming and charts take seconds on a big round: keep the event loop free meanwhile.
        report = await asyncio.to_thread(build_report, data, embedder,
                                         timezone=self.timezone)
        if self.vectors is not None and embedder is not None:
            await self.vectors.keep(embedder)
        return ReportFiles(data, report)


def _texts_and_digest(data: RoundData) -> tuple[list[str], str]:
    """A round's answer texts, and a digest of everything its theming reads (the texts of
    every set and side, and the coordinator's themes files): unchanged, no need to theme it
    again. In memory only, and gone when the bot stops."""
    from surveys.report import text_sets
    from surveys.report.theming import side_sets

    sets = text_sets(data)
    themed = {**sets, **side_sets(data, sets)}
    digest = hashlib.sha256()
    for key, ts in sorted(themed.items()):
        digest.update("\x1e".join([key, *ts.texts]).encode("utf-8") + b"\x1d")
    for key, text in sorted(data.themes_files.items()):
        digest.update(f"{key}\x1e{text}".encode() + b"\x1d")
    return [t for ts in sets.values() for t in ts.texts], digest.hexdigest()
