"""/forget erases: the name, the organisation and the answers are gone from every file on disk."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from storage.responses import ResponseRepository
from storage.themes import RoundThemesRepository
from storage.vectors import VectorRepository
from surveys.answering import AnsweringService
from surveys.erasure import Erasure, vector_keys
from surveys.screens import Action, Outcome, Screen
from surveys.templates import builtin_template
from surveys.themes import HashingEmbedder
from surveys.vectors import VectorService, phrase_texts, text_key, texts_to_embed
from tests.surveys.conftest import LONDON, Domain

FIRST = "Quarterly budget pooling with Zanzibar Housing; trust grew slowly"
CHANGED = "Quarterly budget pooling never happened; the Xylophone board met twice"
OTHERS = "Trust between partners"


def button(screen: Screen, label: str) -> Action:
    for row in screen.buttons:
        for b in row:
            if b.label in (label, f"✓ {label}"):
                return b.action
    raise AssertionError(f"no button {label!r}")


def last(outcome: Outcome) -> Screen:
    """What the partner now looks at: the newest message sent, else the one redrawn."""
    if outcome.send:
        return outcome.send[-1]
    assert outcome.edit is not None, outcome
    return outcome.edit


async def answer_rag(domain: Domain, who: int, rid: int, texts: list[str]) -> Screen:
    partner = domain.people[who]
    s = last(await domain.answering.press(partner, Action("start", rid)))
    s = last(await domain.answering.press(partner, button(s, "Amber")))
    for text in texts:
        s = last(await domain.answering.text(partner, text))
    return s


def on_disk(db_path: str) -> bytes:
    return b"".join(Path(f"{db_path}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")
                    if Path(f"{db_path}{suffix}").exists())


async def test_forget_leaves_nothing_in_the_files(domain: Domain) -> None:
    rid = await domain.rounds.create(builtin_template("rag-feedback"),
                                     deadline=domain.clock.now() + timedelta(days=7),
                                     anonymity="named")
    asha = domain.people[0]
    vectors = VectorService(VectorRepository(domain.db), HashingEmbedder, domain.rounds_repo)
    await answer_rag(domain, 0, rid, [FIRST, "Shared Zanzibar data", "Ombudsman links"])
    await vectors.embed_queued(100)
    # She changes her first text: the earlier version is kept in the history, then erased too.
    await domain.answering.press(asha, Action("chg", rid, -1))
    await domain.answering.press(asha, Action("chg", rid, 1))
    await domain.answering.text(asha, CHANGED)
    await answer_rag(domain, 1, rid, [OTHERS, "Shared Zanzibar data", "nothing"])
    await vectors.embed_queued(100)
    # A report (or the idle worker theming the round ahead of it) embedded and kept
    # phrases of her answers that it held up as labels and points.
    report_embedder = await vectors.cached_embedder([])
    report_embedder.embed([p for t in (FIRST, CHANGED, "Ombudsman links")
                           for p in phrase_texts(t)])
    assert await vectors.keep(report_embedder) > 0

    secrets_ = [asha.name, asha.name.split()[1], asha.organisation, FIRST, CHANGED,
                "Ombudsman links"]
    secrets_ += [text_key(p) for t in (FIRST, CHANGED, "Ombudsman links")
                 for p in texts_to_embed(t)]
    bens = {p for t in (OTHERS, "Shared Zanzibar data") for p in
            [*texts_to_embed(t), *phrase_texts(t)]}
    phrases = [text_key(p) for t in (FIRST, CHANGED, "Ombudsman links")
               for p in phrase_texts(t) if p not in bens]
    before = on_disk(domain.db.path)
    present = [s for s in secrets_ if s.encode() in before]
    assert set(present) >= {asha.organisation, FIRST, CHANGED, text_key(FIRST)}
    assert [k for k in phrases if k.encode() in before]  # kept by the pass
    secrets_ += phrases

    # The coordinator had applied an edited themes file, which quotes answers beside their keys.
    themes_files = RoundThemesRepository(domain.db)
    await themes_files.save(rid, "green", f'[[theme]]\nlabel = "Data"\nanswers = [\n'
                            f'  "k1",  # {FIRST}\n]\n', domain.clock.now())
    assert FIRST.encode() in on_disk(domain.db.path) or await themes_files.of_round(rid)

    withdrawn = await Erasure(domain.responses, VectorRepository(domain.db),
                              themes_files).forget(asha)
    assert await themes_files.of_round(rid) == {}
    assert withdrawn == 1
    after = on_disk(domain.db.path)
    assert [s for s in secrets_ if s.encode() in after] == []
    # Ben's identical text, and its vector, stay.
    assert b"Shared Zanzibar data" in after and text_key("Shared Zanzibar data").encode() in after
    assert text_key(OTHERS).encode() in after
    ben = await domain.responses.of_partner(rid, domain.people[1].id)
    assert ben is not None and len(await domain.responses.answers(ben.id)) == 4


async def test_a_ballot_leaves_no_trace_of_earlier_versions(domain: Domain) -> None:
    # The bot's wiring gives the repository the vector keys, as here.
    responses = ResponseRepository(domain.db, vector_keys=vector_keys)
    answering = AnsweringService(domain.rounds_repo, responses, domain.clock, LONDON,
                                 max_text_length=4000)
    domain.answering = answering
    rid = await domain.rounds.create(builtin_template("rag-feedback"),
                                     deadline=domain.clock.now() + timedelta(days=7),
                                     anonymity="anonymous")
    asha = domain.people[0]
    vectors = VectorService(VectorRepository(domain.db), HashingEmbedder, domain.rounds_repo)
    await answer_rag(domain, 0, rid, [FIRST, "Shared Zanzibar data", "Ombudsman links"])
    await vectors.embed_queued(100)
    await answering.press(asha, Action("chg", rid, 1))
    s = last(await answering.text(asha, CHANGED))
    await vectors.embed_queued(100)
    assert text_key(FIRST).encode() in on_disk(domain.db.path)
    s = last(await answering.press(asha, button(s, "Submit")))
    mine = await responses.of_partner(rid, asha.id)
    assert mine is not None and mine.state == "submitted"

    after = on_disk(domain.db.path)
    assert FIRST.encode() not in after  # the earlier version, its vectors and their hashes
    assert [k for k in vector_keys(FIRST) if k.encode() in after and k not in
            vector_keys(CHANGED)] == []
    assert CHANGED.encode() in after and text_key(CHANGED).encode() in after  # the ballot's


async def test_forget_erases_an_observers_records(domain: Domain) -> None:
    rid = await domain.rounds.create(builtin_template("meeting-observation"),
                                     deadline=domain.clock.now() + timedelta(days=7),
                                     anonymity="confidential")
    asha = domain.people[0]
    picker = last(await domain.answering.press(asha, Action("start", rid)))
    assert "Which partnership's meeting" in picker.text
    s = last(await domain.answering.press(asha, picker.buttons[0][0].action))
    s = last(await domain.answering.press(asha, button(s, "Amber")))
    s = last(await domain.answering.text(asha, FIRST))
    assert "How many people attended?" in s.text
    assert FIRST.encode() in on_disk(domain.db.path)
    withdrawn = await Erasure(domain.responses, VectorRepository(domain.db),
                              RoundThemesRepository(domain.db)).forget(asha)
    assert withdrawn == 1
    assert FIRST.encode() not in on_disk(domain.db.path)
    assert await domain.responses.records_of_round(rid) == []
