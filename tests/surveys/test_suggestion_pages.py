"""/actions pages through an area's suggested actions with More and Back, within Telegram's
limits (4,096 characters a message, 64 bytes of callback data, 100 buttons), and refuses a
page that is not there with a clear answer."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from surveys.action_screens import (
    BACK,
    HEAD,
    MORE,
    PAGE_GONE,
    ActionScreen,
    CoordinatorTap,
    SuggestedAction,
    Suggestion,
    SuggestionRef,
    head,
    suggestion_page,
    suggestion_screen,
    wording_digest,
)
from surveys.suggestions import letter
from surveys.templates import builtin_template

RND = SimpleNamespace(id=123456789012, title="Fareham LSP self-assessment — autumn review " * 3)
LONG = ("Ask every partner to set out, in its own business plan and in plain words (“ça va”), "
        "how it contributes to the strategy, number {n}")


def _areas(sizes: list[int]) -> list[Suggestion]:
    q = builtin_template("working-better-together")
    areas = [s for s in q.sections if any(x.tag == "actions" for x in s.questions)]
    return [Suggestion(s.id, s.title, f"{s.id}-actions", tuple(
        SuggestedAction(LONG.format(n=n), 1000 - n, (n,)) for n in range(size)), number)
        for number, (s, size) in enumerate(zip(areas, sizes, strict=False), start=1)]


def _within_limits(screen: ActionScreen) -> None:
    assert len(screen.text) <= 4096
    buttons = [b for row in screen.buttons for b in row]
    assert len(buttons) <= 100
    assert all(len(b["data"].encode()) <= 64 and len(b["label"]) <= 64 for b in buttons)


def _press(screen: ActionScreen, label: str) -> CoordinatorTap:
    [data] = [b["data"] for row in screen.buttons for b in row if b["label"] == label]
    tap = CoordinatorTap.parse(data)
    assert tap is not None and tap.verb == "more" and tap.area is not None
    return tap


def _page(found: list[Suggestion], tap: CoordinatorTap) -> ActionScreen:
    assert tap.area is not None and tap.place is not None
    return suggestion_page(RND, found, tap.area, tap.place)  # type: ignore[arg-type]


def test_more_and_back_reach_every_suggestion_of_an_area_once_in_the_reports_letters() -> None:
    found = _areas([250, 3, 12, 1, 9, 30, 8])
    first = suggestion_screen(RND, found)  # type: ignore[arg-type]
    _within_limits(first)
    assert not first.in_place     # "Agree actions" draws it as a new message
    # Every area has an "a)": on the first screen a button says whose it is, "2a)" for
    # area 2's, as `actions add --from-suggestion 2:a` names it; the text heads each area.
    assert "\n2. Leading the LSP" in first.text
    assert [b["label"][:3] for row in first.buttons for b in row
            if b["data"].startswith(f"ac:pick:{RND.id}:2:")][:2] == ["2a)", "2b)"]

    def picks(screen: ActionScreen, area: int) -> list[int]:
        taps = [CoordinatorTap.parse(b["data"]) for row in screen.buttons for b in row]
        return [t.place for t in taps if t is not None and t.verb == "pick"  # type: ignore[misc]
                and t.area == area]

    reached, pages = picks(first, 1), [first]
    [more] = [b["label"] for row in first.buttons for b in row
              if b["data"] == f"ac:more:{RND.id}:1:1"]
    assert more.startswith("More: The LSP's long-term goals") and more.endswith(
        f"({250 - len(reached)})")
    screen = _page(found, _press(first, more))
    while True:
        _within_limits(screen)
        assert screen.in_place          # paging redraws the one message
        on_page = picks(screen, 1)
        assert on_page and on_page[0] == reached[-1] + 1
        # Each line's letter is the report's for that suggestion: "27)", not "a)" again.
        for n in on_page:
            assert f"\n{letter(n)} Ask every partner" in screen.text
        reached += on_page
        pages.append(screen)
        labels = [b["label"] for b in screen.buttons[-1]]
        assert labels[0] == BACK
        if MORE not in labels:
            break
        screen = _page(found, _press(screen, MORE))
    assert reached == list(range(250))
    assert f"page {len(pages)} of {len(pages)}: suggestions " in screen.text
    # Back retraces the pages, the last Back to the first screen, every area again.
    for before in reversed(pages[:-1]):
        screen = _page(found, _press(screen, BACK))
        assert screen.text == before.text
    assert screen.in_place and all(s.area_title in screen.text for s in found)


def test_an_area_shown_whole_has_no_more_button() -> None:
    found = _areas([3, 2])
    first = suggestion_screen(RND, found)  # type: ignore[arg-type]
    assert "more" not in first.text
    assert not any(b["data"].startswith("ac:more:") for row in first.buttons for b in row)


@pytest.mark.parametrize("data", [
    f"ac:more:{RND.id}:1:1",     # an area shown whole: no further page
    f"ac:more:{RND.id}:9:1",     # no ninth area
    f"ac:more:{RND.id}:2:4",     # past the last page (8 shown first, then 10, 10, 2)
])
def test_a_page_that_is_not_there_redraws_the_suggestions_as_they_stand(data: str) -> None:
    found = _areas([3, 30])
    tap = CoordinatorTap.parse(data)
    assert tap is not None
    screen = _page(found, tap)
    # In the stale page's place: the round's first screen, now, headed by why.
    assert screen.in_place and screen.text.startswith(PAGE_GONE + "\n\n")
    first = suggestion_screen(RND, found)  # type: ignore[arg-type]
    assert screen.text.endswith(first.text) and screen.buttons == first.buttons


def test_a_suggestions_buttons_name_its_wording_within_64_bytes() -> None:
    """Pick, owner and due-date buttons carry the digest of the wording shown, and read back;
    with the largest ids they stay within Telegram's 64 bytes."""
    ref = SuggestionRef(10**12 - 1, 9999, 9999, wording_digest(LONG.format(n=1)))
    assert wording_digest(LONG.format(n=1)) != wording_digest(LONG.format(n=2))
    for data in (ref.data("pick"), ref.data("own", 10**12 - 1),
                 ref.data("due", 10**12 - 1, 12)):
        assert len(data.encode()) <= 64
        tap = CoordinatorTap.parse(data)
        assert tap is not None and (tap.first, tap.area, tap.place, tap.digest) == (
            ref.round_id, ref.area, ref.place, ref.digest)
    assert CoordinatorTap.parse(ref.data("due", 5, 12)) == CoordinatorTap(
        "due", ref.round_id, None, 9999, 9999, ref.digest, 5, 12)
    # A button drawn before digests still reads, with no digest: the desk picks nothing by it.
    old = CoordinatorTap.parse("ac:pick:7:1:2")
    assert old is not None and old.digest is None
    assert CoordinatorTap.parse(ref.data("pick") + "x") is None


def test_a_buttons_head_is_the_proposals_first_words_without_the_verb_the_wording_added(
) -> None:
    assert head("Introduce a joint data and intelligence team") == "Joint data and…"
    assert head("Aim for fewer meetings, more action") == "Fewer meetings, more…"
    assert head("Papers out a week ahead, not the night before") == "Papers out a week…"
    assert head("Introduce") == "Introduce"
    # On a screen, the letter first, two to a row: an area of three is a row of two, then one.
    found = _areas([3])
    rows = suggestion_screen(RND, found).buttons  # type: ignore[arg-type]
    assert [[b["label"][:3] for b in row] for row in rows] == [["a) ", "b) "], ["c) "]]
    assert all(len(b["label"]) <= 3 + HEAD + 1 for row in rows for b in row)


def test_a_last_page_of_one_says_suggestion_not_suggestions_from_to() -> None:
    found = _areas([9])
    page = suggestion_page(RND, found, 1, 1)  # type: ignore[arg-type]
    assert "page 2 of 2: suggestion i) of 9\n" in page.text
    assert "page 2 of 2: suggestions i) to p) of 16\n" in suggestion_page(
        RND, _areas([16]), 1, 1).text  # type: ignore[arg-type]


def test_an_action_cut_short_in_a_list_or_digest_is_cut_at_a_word() -> None:
    """The coordinator's /actions list and the weekly digest's action lines once cut
    mid-word ("…national indicator da…"); they cut where a word ends."""
    from datetime import UTC, date, datetime

    from storage.actions import StoredAction
    from surveys.action_follow_up import ActionLine
    from surveys.action_screens import coordinator_list

    text = ("To develop a picture of the quality of life in Fareham based on the national "
            "indicator dataset and broken down into neighbourhood profiles.")
    at = datetime(2026, 11, 23, tzinfo=UTC)
    action = StoredAction(3, 2, text, None, None, 7, None, date(2027, 5, 22), "in_progress",
                          None, at, at, owner_name="Farid Davies")
    digest = ActionLine("Fareham Community Partnership", "Farid Davies", action).line(
        date(2027, 11, 1))
    assert "based on the national indicator… (163 days overdue" in digest
    listed = coordinator_list([action], {2: RND}, [], date(2027, 1, 1))  # type: ignore[dict-item]
    assert "in Fareham based on the… (due" in listed.text


@pytest.mark.parametrize("sizes", [[3, 30], [250, 3, 12, 1, 9, 30, 8], [9, 9, 9, 9, 9, 9, 9]])
def test_a_noted_screen_lists_what_the_first_screen_lists_so_more_goes_on_from_it(
        sizes: list[int]) -> None:
    """The suggestions drawn again with a note (a stale page or pick) show as many as the
    first screen does: its More opens the page that starts where it stops, and it fits a
    message, the note left out where it would not."""
    found = _areas(sizes)
    plain = suggestion_screen(RND, found)  # type: ignore[arg-type]
    noted = suggestion_screen(RND, found, note=PAGE_GONE)  # type: ignore[arg-type]
    _within_limits(noted)
    assert noted.buttons == plain.buttons
    assert noted.text in (plain.text, f"{PAGE_GONE}\n\n{plain.text}")
