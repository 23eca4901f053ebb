"""The rows behind a published briefing's numbers as they stood when it was published.

Publishing keeps, for each number, the primary keys of the rows its measure counted for the number's
subtree and days (lianxin.core.figures): sorted, written as the gaps between them in LEB128 varints
and compressed with zlib, so the 90,000 members of a city take some tens of kilobytes. A number
whose rows are more than MAX_KEPT is not kept (its link then opens the rows as they are now), nor one
whose measure is no longer registered. The page of a kept number lists those rows as they read now;
a row deleted since is counted apart.
"""

import zlib
from collections.abc import Iterable

from lianxin.briefings.models import BriefingFigure
from lianxin.core.figures import measure_named
from lianxin.core.periods import Period
from lianxin.organizations.models import Organization

MAX_KEPT = 1_000_000


def encode_ids(ids: Iterable[int]) -> bytes:
    """Sorted, distinct primary keys as compressed gaps."""
    out = bytearray()
    previous = 0
    for pk in sorted(set(ids)):
        gap, previous = pk - previous, pk
        while True:
            low = gap & 0x7F
            gap >>= 7
            out.append(low | (0x80 if gap else 0))
            if not gap:
                break
    return zlib.compress(bytes(out))


def decode_ids(data: bytes) -> list[int]:
    ids: list[int] = []
    previous = gap = shift = 0
    for byte in zlib.decompress(data) if data else b"":
        gap |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            previous += gap
            ids.append(previous)
            gap = shift = 0
    return ids


def keep_rows(figure: BriefingFigure, organization: Organization | None) -> bool:
    """Keep the rows behind `figure` (counted for `organization`, the one its code names) as they
    stand now, at publishing; False when they cannot be."""
    found = measure_named(figure.measure)
    if found is None or organization is None:
        return False
    _group, measure = found
    rows = measure.rows(organization, Period(figure.starts_on, figure.ends_on)).order_by()
    ids = list(rows.values_list("pk", flat=True)[: MAX_KEPT + 1])
    if len(ids) > MAX_KEPT:
        return False
    figure.kept_rows, figure.kept_count = encode_ids(ids), len(set(ids))
    return True
