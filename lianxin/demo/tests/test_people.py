"""The demo's people: what each is recorded as follows from what was drawn for them."""

import pytest

from lianxin.demo.names import POSTS, RETIRED_POST
from lianxin.demo.people import OCCUPATION_OF_POST, occupation_of
from lianxin.members.models import Member

Occupation = Member.Occupation


def test_every_post_a_member_can_be_drawn_with_has_an_occupation() -> None:
    missing = [post for posts in POSTS.values() for post in posts if post not in OCCUPATION_OF_POST]
    assert missing == []
    assert set(OCCUPATION_OF_POST.values()) == set(Occupation.values) - {Occupation.STUDENT, Occupation.RETIRED}


@pytest.mark.parametrize(
    ("post", "age", "sector", "expected"),
    [
        (RETIRED_POST, 75, "village", Occupation.RETIRED),
        ("村民", 65, "village", Occupation.FARMER),  # villagers farm on until the post says 退休
        ("居民", 65, "community", Occupation.RETIRED),
        ("技术员", 20, "private_enterprise", Occupation.STUDENT),
        ("水手", 21, "mobile", Occupation.WORKER),  # at sea, not at college
        ("科员", 30, "organ", Occupation.OFFICIAL),
        ("校长", 50, "school", Occupation.MANAGER),
        ("护士", 40, "hospital", Occupation.PROFESSIONAL),
        ("外卖骑手", 30, "social_organization", Occupation.OTHER),
    ],
)
def test_the_occupation_goes_by_age_then_by_the_post(post: str, age: int, sector: str, expected: str) -> None:
    assert occupation_of(post=post, age=age, sector=sector) == expected
