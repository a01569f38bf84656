"""A round's status in words, for the chat and the CLI alike."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from surveys.rounds import RoundStatus
from surveys.screens import when

GROUP_TITLES = {"partnership": "By partnership", "sector": "By sector",
                "organisation": "By organisation"}


def status_lines(status: RoundStatus, zone: ZoneInfo) -> list[str]:
    """Figures a coordinator reads: fan-out, reach, progress and rates by group."""
    rnd = status.round
    lines = [f"Round {rnd.id}: {rnd.title} ({rnd.state}, {rnd.anonymity})",
             f"Deadline: {when(rnd.deadline, zone)}"]
    total = status.sent + status.to_send
    if rnd.state == "scheduled":
        lines.append(f"Opens: {when(rnd.opens_at, zone)}")
    elif total:
        lines.append(f"Invitations: sent {status.sent:,} of {total:,}")
    lines += [
        f"Invited {status.invited} · reached {status.reached} · started {status.started} · "
        f"submitted {status.submitted} · unreachable {status.unreachable}"
        + (f" · not joined {status.not_joined}" if status.not_joined else "")
        + (f" · withdrawn {status.withdrawn}" if status.withdrawn else ""),
        f"Response rate: {status.rate:.0%}",
    ]
    for kind, groups in status.groups.items():
        if not groups:
            continue
        lines.append(f"{GROUP_TITLES[kind]}:")
        lines += [f"  {g.name}: {g.submitted} of {g.invited} ({g.rate:.0%})" for g in groups]
    if status.groups_at_close:
        lines.append("By partnership and sector: shown when the round closes (in an "
                     "anonymous round, counts by group moving as each ballot arrives would "
                     "show which group it came from).")
    if status.suppressed:
        lines.append("(Groups below the minimum size are combined as Other, to protect "
                     "anonymity.)")
    return lines
