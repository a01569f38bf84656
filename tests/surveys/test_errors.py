"""The store raises its own errors; surveys turns them into ours once, at its boundary."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from storage.db import Database
from storage.errors import InviteRefused, RecordMissing, StoreUnavailable
from surveys.errors import (
    INVITATION_REFUSED,
    InvitationError,
    NotFound,
    StorageError,
    from_store,
    maps_store_errors,
    store_errors,
)
from tests.surveys.conftest import Domain

ROOT = Path(__file__).resolve().parents[2]


def test_each_store_error_becomes_ours_in_a_sentence() -> None:
    assert str(from_store(RecordMissing("round", 7))) == "No round 7."
    assert isinstance(from_store(RecordMissing("round", 7)), NotFound)
    for reason, words in INVITATION_REFUSED.items():
        mapped = from_store(InviteRefused(reason))
        assert isinstance(mapped, InvitationError) and str(mapped) == words
    assert isinstance(from_store(StoreUnavailable("cannot open x.db")), StorageError)


def test_store_errors_keeps_the_cause() -> None:
    with pytest.raises(NotFound) as caught, store_errors():
        raise RecordMissing("partner", 3)
    assert isinstance(caught.value.__cause__, RecordMissing)


async def test_a_service_answers_with_ours_for_a_missing_round(domain: Domain) -> None:
    with pytest.raises(RecordMissing):
        await domain.rounds_repo.get(999)                 # the store, below the boundary
    with pytest.raises(NotFound, match=r"^No round 999\.$"):
        await domain.rounds.round(999)                    # the service, at the boundary


async def test_only_public_coroutines_are_wrapped() -> None:
    @maps_store_errors
    class Desk:
        async def lookup(self) -> None:
            raise RecordMissing("action", 4)

        async def _inner(self) -> None:
            raise RecordMissing("action", 5)

    with pytest.raises(NotFound, match="No action 4"):
        await Desk().lookup()
    with pytest.raises(RecordMissing):                    # private: a service's own business
        await Desk()._inner()


async def test_a_database_that_cannot_open_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreUnavailable, match="cannot open the database"):
        await Database(str(tmp_path / "dir.db")).open()


async def test_a_file_that_is_no_database_is_a_store_error_and_leaves_no_thread(
        tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_bytes(b"not a database, a spreadsheet saved by mistake " * 50)
    before = set(threading.enumerate())
    with pytest.raises(StoreUnavailable, match="cannot open the database"):
        await Database(str(tmp_path / "notes.db")).open()
    # The connection that opened but could not be set up is closed: its worker thread ends
    # rather than waiting for ever (and later failing with "Event loop is closed").
    for thread in set(threading.enumerate()) - before:
        thread.join(timeout=10)
        assert not thread.is_alive(), thread.name


def test_storage_imports_nothing_from_above() -> None:
    """The store knows neither the domain nor Telegram: imports point one way."""
    above = re.compile(r"^\s*(from|import)\s+(surveys|scheduler|bot|telegram)\b", re.M)
    for path in sorted((ROOT / "storage").glob("*.py")):
        assert not above.findall(path.read_text(encoding="utf-8")), path.name
