"""Numbers as a briefing (简报) writes them, the way the seed articles do.

A count is given by its first two figures and "余" for what is left off: 7,236 sessions are
"7200余场", 1,312 people "1300余人", 636 times "630余次". From ten thousand on it is counted in
万 (and from a hundred million in 亿), still by two figures: 89,412 members are "8.9万余人",
11,035 times "1.1万余次", 123,456 people "12万余人". A count shown whole has no "余" (7,200 are
"7200场", 10,000 are "1万"); below a hundred it is always whole, as the seeds write the counts
they know exactly ("64名", "80名"; staff editing a draft may still write "90余场次").

Rates are percentages to two decimals, rounded half up, with both parts kept by the caller:
18,487 / 19,153 = "96.52%"; a share the figures registry already gives (`rate`) reads the same.

Only whole numbers are phrased, and only from integers: nothing is ever rounded up, so a
briefing never claims more than the records hold.
"""

from decimal import ROUND_HALF_UP, Decimal

from lianxin.core.figures import rate

# Larger units first: the first a count reaches is the one it is written in.
UNITS = ((10**8, "亿"), (10**4, "万"))
MORE = "余"
NO_RATE = "—"


def leading_two(n: int) -> int:
    """`n` with every figure after its first two set to zero: 7,236 → 7,200; 95 → 95."""
    if n < 100:
        return n
    scale: int = 10 ** (len(str(n)) - 2)
    return n // scale * scale


def about(n: int, unit: str = "") -> str:
    """A count in a briefing's words: "7200余场", "8.9万余人", "80名"."""
    if n < 0:
        raise ValueError(f"a count is not negative: {n}")
    if n < 100:
        return f"{n}{unit}"
    for size, word in UNITS:
        if n >= size:
            whole = n // size
            if whole < 10:
                # Under ten of the unit, the second figure is a tenth: 8.9万.
                tenths = n * 10 // size
                text = str(whole) if tenths % 10 == 0 else f"{whole}.{tenths % 10}"
                shown = tenths * size // 10
            else:
                kept = leading_two(whole)
                text, shown = str(kept), kept * size
            return f"{text}{word}{MORE if n > shown else ''}{unit}"
    kept = leading_two(n)
    return f"{kept}{MORE if n > kept else ''}{unit}"


def percent(part: int, whole: int) -> str:
    """`part` of `whole` as a percentage to two decimals, rounded half up: "96.52%"; "—" of nothing."""
    share = rate(part, whole)
    return NO_RATE if share is None else f"{share}%"


def share(value: Decimal | None) -> str:
    """A share the figures registry gives in per cent to two decimals (`rate`): "96.52%"; "—" of nothing."""
    return NO_RATE if value is None else f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
