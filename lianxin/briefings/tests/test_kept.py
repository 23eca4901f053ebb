"""The kept rows of a published number: primary keys written as compressed gaps read back as they were."""

import random

import pytest

from lianxin.briefings.kept import decode_ids, encode_ids


@pytest.mark.parametrize("seed", range(20))
def test_any_set_of_keys_reads_back_sorted_and_once(seed: int) -> None:
    draw = random.Random(seed)
    ids = [draw.choice((draw.randint(1, 300), draw.randint(1, 2**62))) for _ in range(draw.randint(0, 500))]
    assert decode_ids(encode_ids(ids)) == sorted(set(ids))


def test_nothing_kept_reads_as_no_rows_and_a_city_of_members_is_small() -> None:
    assert decode_ids(b"") == [] and decode_ids(encode_ids([])) == []
    assert decode_ids(encode_ids([127, 128, 16_383, 16_384])) == [127, 128, 16_383, 16_384]  # varint edges
    city = list(range(1, 180_000, 2))  # 90,000 members' keys, every other one
    assert len(encode_ids(city)) < 2_000
