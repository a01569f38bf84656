"""A round's submitted answers as plain objects, with hidden answers dropped and privacy applied."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from storage.records import Answer, Partner, Response, Round
from surveys.model import Kind, Question, Questionnaire
from surveys.report.privacy import (
    GROUP_TAG,
    clean_text,
    merge_small_answers,
    other_label,
    pseudonym,
    redactor,
)
from surveys.small_groups import Merged
from surveys.templates import questionnaire_from_dict

UNKNOWN_SECTOR = "Not given"


@dataclass(frozen=True)
class GivenAnswer:
    """One visible answer of one respondent (value None when skipped)."""

    value: Any
    comment: str | None = None
    skipped: bool = False


@dataclass(frozen=True)
class Respondent:
    """A submitted response, or an anonymous ballot, with what a report may know of it."""

    response_id: int
    label: str
    sector: str
    partnerships: tuple[str, ...]
    answers: dict[str, GivenAnswer]
    name: str | None = None
    organisation: str | None = None
    # An observation record: about the partnership in `partnerships`, not by a member of it.
    record: bool = False


@dataclass(frozen=True)
class Invitee:
    """A partner invited to the round, for response rates only."""

    sector: str
    partnerships: tuple[str, ...]
    submitted: bool


@dataclass
class RoundData:
    """Everything a report of one round is built from."""

    round: Round
    questionnaire: Questionnaire
    respondents: list[Respondent]
    invitees: list[Invitee]
    min_group_size: int = 3
    themes_files: dict[str, str] = field(default_factory=dict)
    merges: list[Merged] = field(default_factory=list)   # small groups merged at gathering

    @property
    def private(self) -> bool:
        """Confidential and anonymous rounds show no names and no small groups."""
        return self.round.anonymity != "named"

    def partnerships_of(self, names: Sequence[str]) -> tuple[str, ...]:
        """A partner's partnerships as the report counts them: only the round's audience
        partnerships when it names some (a partner's other partnership is not the round's)."""
        wanted = {p.casefold() for p in self.round.audience.get("partnership", [])}
        return tuple(n for n in names if not wanted or n.casefold() in wanted)


def visible_answers(questionnaire: Questionnaire,
                    answers: Mapping[str, Answer]) -> dict[str, GivenAnswer]:
    """Answers to questions the respondent was shown; stale answers behind show_if are dropped."""
    shown: dict[str, GivenAnswer] = {}
    for q in questionnaire.questions:
        if q.show_if is not None:
            earlier = shown.get(q.show_if.question)
            if earlier is None or earlier.skipped or not q.show_if.holds(earlier.value):
                continue
        found = answers.get(q.id)
        if found is not None:
            shown[q.id] = GivenAnswer(found.value, found.comment, found.skipped)
    return shown


def _clean_answer(q: Question, given: GivenAnswer, clean: Any) -> GivenAnswer:
    value = given.value
    if q.kind is Kind.TEXT and isinstance(value, str):
        value = clean(value)
    comment = clean(given.comment) if given.comment else given.comment
    return GivenAnswer(value, comment, given.skipped)


def gather(rnd: Round, responses: Sequence[Response], answers: Mapping[int, Mapping[str, Answer]],
           partners: Mapping[int, Partner], *, min_group_size: int = 3,
           themes_files: Mapping[str, str] | None = None,
           records: Sequence[Response] = ()) -> RoundData:
    """Build the report data of a round from its stored rows (only submitted ones count);
    in an observation round each submitted record is a respondent of its own."""
    questionnaire = questionnaire_from_dict(rnd.questionnaire, source=f"round {rnd.id}")
    invited = [r for r in responses if not r.is_ballot]
    clean = _cleaner(rnd, invited, partners)
    holders = [r for r in responses if r.state == "submitted"
               and (r.is_ballot if rnd.anonymity == "anonymous" else not r.is_ballot)
               # An observer's own response only mirrors their records.
               and (not records or answers.get(r.id))]
    holders += [r for r in records if r.state == "submitted"]
    if rnd.anonymity == "anonymous":
        # Ballots in the order of what they say: nothing about who cast one or when, and the
        # same report (its "Ballot n" labels, quotes and themes) from the same ballots,
        # whatever random ids they drew. Identical ballots tie, and nothing tells them apart.
        holders.sort(key=lambda r: _ballot_content(r, answers.get(r.id, {})))
    respondents = []
    question: dict[str, Question] = {}  # found by id, not by a search per answer
    for q in questionnaire.questions:
        question.setdefault(q.id, q)
    for n, r in enumerate(holders, start=1):
        shown = visible_answers(questionnaire, answers.get(r.id, {}))
        shown = {qid: _clean_answer(question[qid], a, clean)
                 for qid, a in shown.items()}
        respondents.append(_respondent(rnd, r, n, shown, partners, min_group_size))
    invitees = [Invitee(r.sector or UNKNOWN_SECTOR, tuple(r.partnerships),
                        r.state == "submitted") for r in invited]
    merges = (merge_group_answers(questionnaire, respondents, min_group_size)
              if rnd.anonymity != "named" else [])
    return RoundData(rnd, questionnaire, respondents, invitees, min_group_size,
                     dict(themes_files or {}), merges)


def _ballot_content(ballot: Response, given: Mapping[str, Answer]) -> str:
    """What a report shows of a ballot (its group, partnerships and answers) as one
    canonical text, to order ballots by."""
    return json.dumps([ballot.sector or "", sorted(ballot.partnerships),
                       [[qid, a.value, a.comment, a.skipped] for qid, a in sorted(given.items())]],
                      default=str, ensure_ascii=False)


def merge_group_answers(questionnaire: Questionnaire, respondents: Sequence[Respondent],
                        min_group_size: int) -> list[Merged]:
    """In a private round, answers to a question tagged "group" (one that says which group
    the respondent is in, such as their sector) given by fewer than the minimum are merged
    into "Other", or dropped when even merged too few, in every table and export alike."""
    merges: list[Merged] = []
    for q in questionnaire.questions:
        if q.tag != GROUP_TAG or q.kind is not Kind.CHOICE:
            continue
        values = {i: str(r.answers[q.id].value) for i, r in enumerate(respondents)
                  if q.id in r.answers and not r.answers[q.id].skipped
                  and r.answers[q.id].value is not None}
        merged, found = merge_small_answers(values, min_group_size, q.short or q.prompt)
        merges += found
        for i, value in merged.items():
            given = respondents[i].answers[q.id]
            if value is None:
                del respondents[i].answers[q.id]
            elif value != given.value:
                respondents[i].answers[q.id] = GivenAnswer(value, given.comment, given.skipped)
    return merges


def _cleaner(rnd: Round, invited: Sequence[Response],
             partners: Mapping[int, Partner]) -> Callable[[str], str]:
    """What a private round's texts go through: the name and organisation of every partner
    on the list redacted (an answer may name a colleague who was not invited)."""
    if rnd.anonymity == "named":
        return lambda text: text
    people = list(partners.values())
    pattern = redactor([p.name for p in people],
                       [p.organisation for p in people]
                       + [r.organisation or "" for r in invited])
    return lambda text: clean_text(text, pattern)


def _respondent(rnd: Round, r: Response, n: int, shown: dict[str, GivenAnswer],
                partners: Mapping[int, Partner], min_group_size: int) -> Respondent:
    """One submitted response as the report shows it: named only in a named round."""
    private = rnd.anonymity != "named"
    owner = r.observer_id if r.is_record else r.partner_id
    partner = partners.get(owner) if owner is not None else None
    if rnd.anonymity == "anonymous":
        label = f"Ballot {n}"
    elif rnd.anonymity == "confidential":
        label = pseudonym(rnd.id, r.id)
    else:
        label = partner.name if partner else f"Response {r.id}"
    return Respondent(
        response_id=r.id, label=label,
        # A ballot whose sector was a group too small to hide in was cast without it.
        sector=r.sector or (other_label(min_group_size) if r.is_ballot else UNKNOWN_SECTOR),
        partnerships=tuple(r.partnerships), answers=shown,
        name=None if private or partner is None else partner.name,
        organisation=None if private else (partner.organisation if partner
                                           else r.organisation),
        record=r.is_record)


class _Rounds(Protocol):
    async def get(self, round_id: int) -> Round: ...


class _Responses(Protocol):
    async def of_round(self, round_id: int) -> list[Response]: ...

    async def answers_of_round(self, round_id: int) -> dict[int, dict[str, Answer]]: ...

    async def records_of_round(self, round_id: int) -> list[Response]: ...


class _Partners(Protocol):
    async def all(self) -> list[Partner]: ...


class _Themes(Protocol):
    async def of_round(self, round_id: int) -> dict[str, str]: ...


async def load_round(round_id: int, rounds: _Rounds, responses: _Responses,
                     partners: _Partners, themes: _Themes | None = None, *,
                     min_group_size: int = 3) -> RoundData:
    """Read a round, its responses, answers and applied themes files through the repositories."""
    rnd = await rounds.get(round_id)
    rows = await responses.of_round(round_id)
    answers = await responses.answers_of_round(round_id)
    people = {p.id: p for p in await partners.all()}
    files = await themes.of_round(round_id) if themes is not None else {}
    records = await responses.records_of_round(round_id)
    return gather(rnd, rows, answers, people, min_group_size=min_group_size, themes_files=files,
                  records=records)
