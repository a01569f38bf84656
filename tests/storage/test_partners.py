"""The partner repository against a real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.db import Database
from storage.errors import RecordMissing
from storage.partners import PartnerRepository
from storage.records import Membership, PartnerRow
from surveys.clock import ManualClock
from surveys.errors import InvitationError
from surveys.invites import Invitations, invite_link

ROWS = [
    PartnerRow("Asha Patel", "Fareham Borough Council", "Council", "Fareham Partnership", "Chair"),
    PartnerRow("Ben Okafor", "Hampshire Constabulary", "Police", "Fareham Partnership", "Member"),
    PartnerRow("Asha Patel", "Fareham Borough Council", "Council", "Safety Board", "Member"),
]


async def test_import_adds_then_updates_without_duplicates(
    db: Database, clock: ManualClock
) -> None:
    repo = PartnerRepository(db)
    assert await repo.import_rows(ROWS, clock.now()) == (2, 0)
    changed = [PartnerRow("asha patel", "Fareham Borough Council", "Council",
                          "Fareham Partnership", "Vice chair", "asha_p")]
    assert await repo.import_rows(changed, clock.now()) == (0, 1)
    partners = await repo.all()
    assert [p.name for p in partners] == ["Asha Patel", "Ben Okafor"]
    asha = partners[0]
    assert asha.memberships == (Membership("Fareham Partnership", "Vice chair"),
                                Membership("Safety Board", "Member"))
    assert asha.telegram_username == "asha_p"
    assert not asha.joined and asha.reachable
    assert await repo.partnerships() == ["Fareham Partnership", "Safety Board"]
    assert (await repo.get(asha.id)).name == "Asha Patel"
    with pytest.raises(RecordMissing) as missing:   # the store's own error, mapped by surveys
        await repo.get(999)
    assert (missing.value.kind, missing.value.key) == ("partner", 999)


async def test_invitations_are_single_use_and_expire(db: Database, clock: ManualClock) -> None:
    repo = PartnerRepository(db)
    await repo.import_rows(ROWS, clock.now())
    asha, ben = await repo.all()
    invites = Invitations(repo, clock, valid_days=30)
    first, second = await invites.issue(asha.id), await invites.issue(asha.id)
    assert first != second and len(first) >= 22
    assert invite_link("@pp_bot", first) == f"https://t.me/pp_bot?start={first}"

    joined = await invites.redeem(first, telegram_user_id=501, chat_id=501)
    assert joined.id == asha.id and joined.chat_id == 501 and joined.joined_at == clock.now()
    assert (await repo.by_user(501)).id == asha.id
    with pytest.raises(InvitationError, match="already been used"):
        await invites.redeem(first, 777, 777)
    with pytest.raises(InvitationError, match="already been used"):
        await invites.redeem(second, 501, 501)  # every link of a joined partner is spent
    with pytest.raises(InvitationError, match="not one we know"):
        await invites.redeem("A" * 24, 777, 777)
    with pytest.raises(InvitationError, match="not one we know"):
        await invites.redeem("<script>", 777, 777)

    late = await invites.issue(ben.id)
    clock.advance(timedelta(days=30, seconds=1))
    with pytest.raises(InvitationError, match="expired"):
        await invites.redeem(late, 502, 502)
    fresh = await invites.issue(ben.id)
    with pytest.raises(InvitationError, match="another partner"):
        await invites.redeem(fresh, 501, 501)  # Asha's account cannot become Ben
    assert (await repo.get(ben.id)).chat_id is None


async def test_tokens_are_stored_only_as_hashes(db: Database, clock: ManualClock) -> None:
    repo = PartnerRepository(db)
    await repo.import_rows(ROWS[:1], clock.now())
    token = await Invitations(repo, clock).issue((await repo.all())[0].id)
    async with db.read() as conn:
        rows = await (await conn.execute("SELECT token_hash FROM invitations")).fetchall()
    assert token not in rows[0][0] and len(rows[0][0]) == 64


async def test_reachable_digest_and_coordinators(db: Database, clock: ManualClock) -> None:
    repo = PartnerRepository(db)
    await repo.import_rows(ROWS[:1], clock.now())
    pid = (await repo.all())[0].id
    await repo.set_reachable(pid, False, clock.now())
    await repo.set_digest(pid, True, clock.now())
    p = await repo.get(pid)
    assert not p.reachable and p.digest_opt_in
    assert await repo.add_coordinator(42, clock.now())
    assert not await repo.add_coordinator(42, clock.now())
    assert await repo.is_coordinator(42) and await repo.coordinators() == [42]
    assert await repo.remove_coordinator(42) and not await repo.remove_coordinator(42)
    assert not await repo.is_coordinator(42)


async def test_import_applies_a_files_rows_in_order(db: Database, clock: ManualClock) -> None:
    repo = PartnerRepository(db)
    rows = [PartnerRow("Zoë Brown", "Gosport Council", "Council", "Gosport Board", "Member",
                       "zoe_b"),
            PartnerRow("ZOË BROWN", "gosport council", "Health", "gosport board", "Chair"),
            PartnerRow("Zoë Brown", "Gosport Council", "Health", "Safety Board", "Member")]
    # "Zoë" and "ZOË" differ beyond ASCII, as SQLite's NOCASE sees them: two partners.
    assert await repo.import_rows(rows, clock.now()) == (2, 0)
    zoe = next(p for p in await repo.all() if p.name == "Zoë Brown")
    assert zoe.sector == "Health" and zoe.telegram_username == "zoe_b"  # last row, kept name
    assert zoe.memberships == (Membership("Gosport Board", "Member"),
                               Membership("Safety Board", "Member"))
    assert await repo.partnerships() == ["Gosport Board", "Safety Board"]


async def test_listing_again_and_again_keeps_three_live_links_a_partner(
    db: Database, clock: ManualClock
) -> None:
    """`partners list` issues a link for each partner not yet joined, every time it runs;
    the table must not grow by a row a partner a listing (50,000 rows a call at county size)."""
    repo = PartnerRepository(db)
    await repo.import_rows(ROWS, clock.now())
    asha, ben = await repo.all()
    invites = Invitations(repo, clock, valid_days=30)
    issued = []
    for _ in range(6):
        issued.append(await invites.issue_many([asha.id, ben.id]))
        clock.advance(timedelta(minutes=1))

    async def rows_of(partner_id: int) -> int:
        async with db.read() as conn:
            cur = await conn.execute(
                "SELECT count(*) FROM invitations WHERE partner_id = ?", (partner_id,))
            return int((await cur.fetchone())[0])

    assert await rows_of(asha.id) == 3 and await rows_of(ben.id) == 3
    with pytest.raises(InvitationError, match="not one we know"):
        await invites.redeem(issued[2][asha.id], 501, 501)   # superseded by three newer
    assert (await invites.redeem(issued[3][asha.id], 501, 501)).id == asha.id

    clock.advance(timedelta(days=31))        # Ben's three have expired, unused
    await invites.issue_many([ben.id])
    assert await rows_of(ben.id) == 1
    assert await rows_of(asha.id) == 3       # spent links stay, to answer "already used"
    with pytest.raises(InvitationError, match="already been used"):
        await invites.redeem(issued[5][asha.id], 777, 777)


async def test_issuing_one_link_prunes_only_that_partners_links_without_a_full_scan(
    db: Database, clock: ManualClock
) -> None:
    """One link for one partner must not walk every invitation of the county: the pruning
    looks at the partners just issued (and the expired links by their index), and still
    keeps each partner's newest three and every spent link."""
    from storage.partners import PRUNE_OLDER_LINKS

    repo = PartnerRepository(db)
    await repo.import_rows(ROWS, clock.now())
    asha, ben = await repo.all()
    # Ben has five live links from before a limit was kept (issued with no `keep`).
    for n in range(5):
        await repo.add_invitations([(ben.id, f"ben-{n}")], clock.now(),
                                   clock.now() + timedelta(days=30))
        clock.advance(timedelta(minutes=1))
    invites = Invitations(repo, clock, valid_days=30)
    first = await invites.issue(asha.id)
    await invites.redeem(first, 501, 501)     # spent: kept to answer "already used"
    for _ in range(4):
        await invites.issue(asha.id)
        clock.advance(timedelta(minutes=1))

    async with db.read() as conn:
        cur = await conn.execute(
            "SELECT partner_id, used_at IS NOT NULL AS used, count(*) AS n FROM invitations"
            " GROUP BY partner_id, used ORDER BY partner_id, used")
        counts = {(r["partner_id"], bool(r["used"])): r["n"] for r in await cur.fetchall()}
        plans = []
        for sql, args in ((PRUNE_OLDER_LINKS, ("[1]", 3)),
                          ("DELETE FROM invitations WHERE used_at IS NULL AND expires_at <= ?",
                           ("2026-01-01",))):
            cur = await conn.execute("EXPLAIN QUERY PLAN " + sql, args)
            plans.append(" | ".join(r["detail"] for r in await cur.fetchall()))
    # Asha: her newest three unused links and the spent one; Ben untouched by her links.
    assert counts == {(asha.id, False): 3, (asha.id, True): 1, (ben.id, False): 5}
    for plan in plans:
        assert "SCAN invitations" not in plan, plan
        assert "USING INDEX" in plan, plan
