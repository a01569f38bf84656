"""/forget: a partner and everything linked to them, erased from the database and the disk.

The edited themes files of rounds they answered in go first (they quote answers); answers,
earlier versions and the partner go in one transaction; then the vectors and
hashes of their texts (unless another answer still holds the same text), and at last the
file is rebuilt and its WAL emptied, so none of it can be read back from the files.
"""

from __future__ import annotations

from typing import Protocol

from storage.records import Partner
from surveys.errors import maps_store_errors
from surveys.vectors import phrase_texts, text_key, texts_to_embed


def vector_keys(text: str) -> list[str]:
    """The keys a text's vectors are stored under: its points', its own, and those of the
    phrases of it a report embedded and kept."""
    return [text_key(piece) for piece in dict.fromkeys([*texts_to_embed(text),
                                                        *phrase_texts(text)])]


class _Responses(Protocol):
    async def texts_of_partner(self, partner_id: int) -> list[str]: ...

    async def texts_in_use(self) -> list[str]: ...

    async def forget_partner(self, partner_id: int) -> int: ...

    async def scrub(self) -> bool: ...


class _Vectors(Protocol):
    async def forget(self, keys: list[str], texts: list[str]) -> None: ...


class _ThemesFiles(Protocol):
    async def forget_partner(self, partner_id: int) -> int: ...


@maps_store_errors
class Erasure:
    """Erases a partner at their request."""

    def __init__(self, responses: _Responses, vectors: _Vectors,
                 themes_files: _ThemesFiles) -> None:
        self.responses = responses
        self.vectors = vectors
        self.themes_files = themes_files

    async def forget(self, partner: Partner) -> int:
        """Erase the partner, their answers and what was derived from them; returns how many
        responses were withdrawn. Anonymous ballots they cast are not linked, so they stay."""
        theirs = await self.responses.texts_of_partner(partner.id)
        # A coordinator's edited themes file quotes answers; theirs must go with them.
        await self.themes_files.forget_partner(partner.id)
        withdrawn = await self.responses.forget_partner(partner.id)
        kept = set(await self.responses.texts_in_use())
        still_needed = {piece for text in kept for piece in texts_to_embed(text)}
        gone = [t for t in theirs if t not in kept]
        pieces = {piece for text in gone for piece in texts_to_embed(text)} - still_needed
        # The label and point phrases of their answers that reports kept go too; a phrase
        # another partner also wrote is simply embedded again by the next report.
        pieces |= {phrase for text in gone for phrase in phrase_texts(text)} - still_needed
        await self.vectors.forget(sorted(text_key(p) for p in pieces), gone)
        await self.responses.scrub()
        return withdrawn
