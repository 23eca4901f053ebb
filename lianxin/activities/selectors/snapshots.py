"""The compliance board's and coverage's figures for subtrees too large to compute while a page waits:
computed in the background into snapshots (lianxin.core.snapshots, ADR 17) and read from them.

Which: every subtree with at least LIANXIN_SNAPSHOT_MIN_BRANCHES branch-level organizations; for the
board the current and the previous quarter, for coverage this year so far (the page's default), this
and last calendar year and the current quarter. What: exactly what `compliance_board` and `coverage`
return at that time — the board's totals, how many activities are due soon and the branches listed,
every one and those with a window missed, in path order, so that a page of the board (or of its branches
with something not held) is a slice of a stored list; coverage's counts, distinct members included.

A page read from a snapshot builds only its own rows live (their cells, reminders and missed counts);
the totals, the due-soon count and which branches are listed are as of the snapshot. Without a fresh
snapshot everything is computed live, as for any smaller subtree.
"""

import sys
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, overload

from django.conf import settings
from django.core.paginator import Page, Paginator

from lianxin.activities.rules.frequency import REQUIRED_KINDS
from lianxin.activities.selectors.compliance import Board, BoardRow, compliance_board
from lianxin.activities.selectors.coverage import Coverage, coverage, coverage_of
from lianxin.core.periods import Period
from lianxin.core.snapshots import Computed, Snapshot, snapshot_items, snapshot_read
from lianxin.organizations.models import Organization
from lianxin.organizations.selectors import Subtree, subtrees_with_branches

BOARD = "activities.board"
COVERAGE = "activities.coverage"


def large_subtrees() -> list[int]:
    return subtrees_with_branches(int(settings.LIANXIN_SNAPSHOT_MIN_BRANCHES))


def board_periods(today: date) -> list[Period]:
    """The board's default period (the current quarter) and the one before it."""
    current = Period.quarter_of(today)
    return [current, Period.quarter_of(current.start - timedelta(days=1))]


def coverage_periods(today: date) -> list[Period]:
    """Coverage's default period (this year so far), this and last calendar year, the current quarter."""
    return [Period.year_so_far(today), Period.year(today.year), Period.year(today.year - 1), Period.quarter_of(today)]


def board_figures(organization_id: int, period: Period, today: date) -> Computed:
    board = compliance_board(
        organization=Organization.objects.get(pk=organization_id), start=period.start, end=period.end, today=today
    )
    every = [row.organization.pk for row in board.rows]
    missing = [row.organization.pk for row in board.rows if row.missed]
    payload = {
        "totals": {kind: dict(counts) for kind, counts in board.totals.items()},
        "due_soon": len(board.due_soon),
        "branches": len(every),
        "missing": len(missing),
    }
    return Computed(payload, packed(every) + packed(missing))


# A province's board lists 200,000 branches. Read whole on every page they took longer than the rest of
# the page (PostgreSQL printing them, Python reading them), so they are stored as the snapshot's items:
# the ids of every branch, then of those with something not held, in path order, each 8 bytes little-
# endian; a page reads its own slice.
ID_BYTES = 8


def packed(ids: list[int]) -> bytes:
    found = array("q", ids)
    if sys.byteorder == "big":
        found.byteswap()
    return found.tobytes()


def unpacked(data: bytes) -> list[int]:
    found = array("q")
    found.frombytes(data)
    if sys.byteorder == "big":
        found.byteswap()
    return found.tolist()


class StoredIds(Sequence[int]):
    """`count` branch ids of a snapshot's items from the `first`: a list to page through, whose slices
    are read from the database."""

    def __init__(self, snapshot: Snapshot, first: int, count: int) -> None:
        self.snapshot, self.first, self.size = snapshot, first, count

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, step = index.indices(self.size)
        if step != 1:
            raise ValueError("stored ids are read by contiguous slices")
        part = snapshot_items(self.snapshot, (self.first + start) * ID_BYTES, max(0, stop - start) * ID_BYTES)
        return unpacked(part)


def coverage_figures(organization_id: int, period: Period, today: date) -> Computed:
    figures = coverage(organization=Organization.objects.get(pk=organization_id), period=period)
    payload = {
        "party_members": figures.party_members,
        "activities": figures.activities,
        "members": figures.members,
        "lines": [[line.kind, line.activities, line.members] for line in figures.lines],
    }
    return Computed(payload)


@dataclass
class BoardPage:
    """One page of the board: the board (its totals; rows only those of the page, filled), the page of
    rows, how many activities are due soon, and when the totals were computed if not just now."""

    board: Board
    page: Page[BoardRow]
    due_soon: int
    as_of: datetime | None = None


def board_page(
    *, organization: Organization, period: Period, number: str | int | None, per_page: int, missing_only: bool = False
) -> BoardPage:
    """A page of the board of `organization` for `period`: from a fresh snapshot when there is one."""
    snapshot = snapshot_read(BOARD, organization.pk, period)
    if snapshot is None:
        board = compliance_board(organization=organization, start=period.start, end=period.end)
        rows = [row for row in board.rows if row.missed] if missing_only else board.rows
        page = Paginator(rows, per_page).get_page(number)
        board.fill(page.object_list)
        return BoardPage(board, page, len(board.due_soon))
    data = snapshot.payload
    every, missing = int(data["branches"]), int(data["missing"])
    listed = StoredIds(snapshot, every, missing) if missing_only else StoredIds(snapshot, 0, every)
    ids: Page[Any] = Paginator(listed, per_page).get_page(number)
    board = compliance_board(organization=organization, start=period.start, end=period.end, only=list(ids))
    order = {pk: n for n, pk in enumerate(ids)}
    board.rows.sort(key=lambda row: order[row.organization.pk])
    board.totals = {kind: Counter(data["totals"].get(kind, {})) for kind in REQUIRED_KINDS}
    board.fill(board.rows)
    ids.object_list = board.rows  # the page's numbers stay those of the stored list
    return BoardPage(board, ids, int(data["due_soon"]), snapshot.computed_at)


def coverage_read(*, organization: Subtree, period: Period) -> tuple[Coverage, datetime | None]:
    """Coverage of `organization` for `period`, and when it was computed if from a snapshot (else None):
    snapshots are kept of organizations' subtrees, an area's is computed now."""
    if not isinstance(organization, Organization):
        return coverage(organization=organization, period=period), None
    snapshot = snapshot_read(COVERAGE, organization.pk, period)
    if snapshot is None:
        return coverage(organization=organization, period=period), None
    data = snapshot.payload
    figures = coverage_of(
        organization,
        period,
        int(data["party_members"]),
        int(data["members"]),
        {kind: int(activities) for kind, activities, _members in data["lines"]},
        {kind: int(members) for kind, _activities, members in data["lines"]},
    )
    return figures, snapshot.computed_at
