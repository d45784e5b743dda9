"""Who belonged to an organisation on a date: pure functions over a member's history.

A ``PartyMember`` row holds the member's *current* branch; the ``Transfer`` rows hold
where he was before. The branch on a date is the ``from_branch`` of the first transfer
after that date, or the current branch when none follows. A member belongs to nothing
before ``joined_org_on`` or from ``left_on`` on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Move:
    """One transfer: on ``on`` the member moved from ``from_id`` to ``to_id`` (None: outside the district)."""

    on: date
    from_id: int | None
    to_id: int | None


def branch_on(*, current_id: int, joined_on: date, left_on: date | None, moves: Iterable[Move], on: date) -> int | None:
    """The branch id the member belonged to on ``on``; None when he belonged to none.

    A transfer takes effect on its date (on the transfer day the member is in the new
    branch); leaving takes effect on ``left_on``.
    """
    if on < joined_on or (left_on is not None and on >= left_on):
        return None
    later = sorted((m for m in moves if m.on > on), key=lambda m: m.on)
    return later[0].from_id if later else current_id
