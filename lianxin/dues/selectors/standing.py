"""Each member's standing: 交至年月 and the whole months behind (imported by other apps)."""

from collections.abc import Collection
from datetime import date

from lianxin.dues.models import DuesAccount
from lianxin.dues.rules.months import months_behind_on

# The most ids one call reads at once; longer collections are read in slices of this size.
_ID_SLICE = 5000


def months_behind(*, member_ids: Collection[int], on: date) -> dict[int, int]:
    """How many whole months of dues each of `member_ids` is behind as of `on`.

    A member owes a month's dues within that month, so the months behind are those from the
    month after their 交至年月 (paid up to and including) up to and including the month before
    `on`'s month: paid up to 2026-10, on any day of 2026-12 → 1 (November). A member assessed
    but never paid counts from the month their dues start. Members never assessed (no dues
    account) are absent, and so are members not behind (0 months): the answer holds only
    members behind by 1 month or more. Any member id is read, whatever their category; the
    caller scopes the ids. Reads only (no write, no audit)."""
    ids = list(dict.fromkeys(member_ids))
    behind: dict[int, int] = {}
    for i in range(0, len(ids), _ID_SLICE):
        rows = DuesAccount.objects.filter(member_id__in=ids[i : i + _ID_SLICE]).values_list("member_id", "paid_through")
        for member_id, paid_through in rows:
            months = months_behind_on(paid_through, on)
            if months >= 1:
                behind[member_id] = months
    return behind
