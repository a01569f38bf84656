"""Answer vectors: queued by the database when answers are stored, embedded in the background,
served to reports from the cache, and never linked to a partner."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np

from storage.vectors import VectorRepository
from surveys.screens import Action
from surveys.templates import builtin_template
from surveys.themes import HashingEmbedder
from surveys.vectors import CachedEmbedder, VectorService, model_key, text_key, texts_to_embed
from tests.surveys.conftest import Domain


def spied_reports(domain: Domain, service: VectorService) -> tuple[Any, list[CachedEmbedder]]:
    """A ReportService on this vector service, and the list of every cached embedder a report
    (or a pass ahead of one) asked it for, in order."""
    from storage.themes import RoundThemesRepository
    from surveys.reporting import ReportService

    reports = ReportService(domain.rounds_repo, domain.responses, domain.partners,
                            RoundThemesRepository(domain.db), 3, "Europe/London", service)
    seen: list[CachedEmbedder] = []
    real = service.cached_embedder

    async def spy(texts: list[str], also: list[str]) -> CachedEmbedder:
        seen.append(await real(texts, also))
        return seen[-1]

    service.cached_embedder = spy  # type: ignore[method-assign]
    return reports, seen


async def answer_swot(domain: Domain, partner_index: int, texts: list[str], rid: int) -> None:
    who = domain.people[partner_index]
    await domain.answering.press(who, Action("start", rid))
    for i, text in enumerate(texts):
        await domain.answering.text(who, text)
        await domain.answering.press(who, Action("next", rid, i))
    await domain.answering.press(who, Action("sub", rid))


async def test_answers_are_queued_embedded_and_served(domain: Domain) -> None:
    rid = await domain.rounds.create(builtin_template("swot"),
                                     deadline=domain.clock.now() + timedelta(days=7),
                                     anonymity="anonymous")
    texts = ["Trust between partners", "no money, no staff", "Engage leaders", "Policy changes"]
    await answer_swot(domain, 0, texts, rid)
    repo = VectorRepository(domain.db)
    assert set(await repo.queued(100)) == set(texts)
    service = VectorService(repo, HashingEmbedder)
    assert await service.embed_queued(batch=3) == 3
    assert await service.embed_queued(batch=3) == 1
    assert await repo.queue_size() == 0

    embedder = HashingEmbedder()
    stored = await repo.lookup(model_key(embedder),
                               [text_key(t) for text in texts for t in texts_to_embed(text)])
    assert len(stored) == len({t for text in texts for t in texts_to_embed(text)})
    assert texts_to_embed("no money, no staff") == ["no money", "no staff", "no money, no staff"]

    cached = await service.cached_embedder(texts)
    vectors = cached.embed(["no money", "something new"])
    assert cached.hits == 1 and cached.misses == 1
    assert np.allclose(vectors[0], embedder.embed(["no money"])[0])

    # Nothing in the vector tables points at a response or a partner.
    async with domain.db.read() as conn:
        for table in ("embed_queue", "text_vectors"):
            cur = await conn.execute(f"SELECT * FROM {table} LIMIT 1")
            columns = [d[0] for d in cur.description]
            assert not {"response_id", "partner_id", "round_id"} & set(columns), table


async def test_reports_use_the_stored_vectors(domain: Domain) -> None:
    rid = await domain.rounds.create(builtin_template("swot"),
                                     deadline=domain.clock.now() + timedelta(days=7),
                                     anonymity="named")
    for i, texts in enumerate((["Trust", "Too many targets", "Engage leaders", "Funding cuts"],
                               ["Good links", "Poor attendance", "Shared data", "Politics"],
                               ["Focus", "No resources", "Joint bids", "Partners pulling out"])):
        await answer_swot(domain, i, texts, rid)
    repo = VectorRepository(domain.db)
    service = VectorService(repo, HashingEmbedder)
    while await service.embed_queued():
        pass
    reports, seen = spied_reports(domain, service)
    built = await reports.build(rid)
    assert b"Too many targets" in built.render("html")
    assert seen and seen[0].hits > 0


async def test_codebooks_are_warmed_and_reports_keep_what_they_embed(domain: Domain) -> None:
    from surveys.vectors import codebook_texts_of

    rid = await domain.rounds.create(builtin_template("swot"),
                                     deadline=domain.clock.now() + timedelta(days=7),
                                     anonymity="named")
    await answer_swot(domain, 0, ["Trust", "Targets", "Leaders", "Funding"], rid)
    repo = VectorRepository(domain.db)
    service = VectorService(repo, HashingEmbedder, domain.rounds_repo)
    texts = codebook_texts_of(builtin_template("swot"))
    assert texts and await service.warm_open_rounds() == len(texts)
    assert await service.warm_open_rounds() == 0       # once per round
    while await service.embed_queued():
        pass
    reports, seen = spied_reports(domain, service)
    await reports.build(rid)
    await reports.build(rid)
    assert seen[1].misses == 0 and seen[1].hits > 0


async def test_a_round_themed_ahead_gives_a_first_report_that_embeds_nothing(
        domain: Domain) -> None:
    rid = await domain.rounds.create(builtin_template("swot"),
                                     deadline=domain.clock.now() + timedelta(days=7),
                                     anonymity="named")
    for who, texts in enumerate((["Trust between partners", "Targets nobody owns",
                                  "Leaders who listen", "Funding cuts next year"],
                                 ["Trust in the board", "Too many targets",
                                  "Engage leaders early", "Funding for the voluntary sector"])):
        await answer_swot(domain, who, texts, rid)
    service = VectorService(VectorRepository(domain.db), HashingEmbedder, domain.rounds_repo)
    while await service.embed_queued():
        pass
    await service.warm_open_rounds()
    reports, seen = spied_reports(domain, service)
    # Theming worked out the label and point phrases itself, and kept them.
    assert await reports.warm_themes() > 0 and seen[0].misses > 0
    assert await reports.warm_themes() == 0 and len(seen) == 1  # unchanged: not themed again
    await reports.build(rid)
    assert seen[1].misses == 0 and seen[1].hits > 0  # the report embedded nothing itself

    # A new answer: the round is themed again at the next pass.
    await answer_swot(domain, 2, ["Shared offices", "Jargon", "New mayor", "Elections"], rid)
    while await service.embed_queued():
        pass
    await reports.warm_themes()
    assert len(seen) == 3
    # Closed since the last pass, it is themed a last time, then no more.
    await domain.rounds.close(rid)
    assert await reports.warm_themes() == 0 and len(seen) == 3  # its texts are unchanged


def test_a_report_from_stored_vectors_holds_a_label_and_description_codebook_to_its_own_bar(
) -> None:
    """The report's embedder (stored vectors first) carries the model's `match_min_sparse`,
    so a coordinator's codebook of labels and descriptions matches in the bot's report as
    it does in `partnerpulse themes` and in bench/themes_quality.py."""
    from dataclasses import replace

    from surveys.themes import builtin_codebook, theme_answers

    class Strict(HashingEmbedder):
        match_min = 2.0  # no codebook score reaches it
        match_min_sparse = -2.0  # every codebook score does

    sparse = [replace(t, examples=(), answers=())
              for t in builtin_codebook("framework-review", "barriers")]
    answers = ["no money", "the LAA took over", "two tier councils", "nobody knows the aims"]
    cached = CachedEmbedder(Strict(), {})
    assert getattr(cached, "match_min_sparse", None) == -2.0
    themed = theme_answers(answers, sparse, embedder=cached)
    assert themed.themes and all(t.from_codebook for t in themed.themes)
