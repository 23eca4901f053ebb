"""Two secretaries recording the same step (or extension) at the same moment: one is written, the
other is told the member has moved on (or was already extended). Real threads, on PostgreSQL and SQLite."""

import threading
from datetime import date
from functools import partial

import pytest

from conftest import City
from lianxin.core.testing import all_at_once
from lianxin.members.models import Member
from lianxin.members.models.development import DevelopmentStep, ProbationExtension
from lianxin.members.services.development import development_advance, probation_extend
from lianxin.members.tests.test_development_extension import make_probationary
from lianxin.members.tests.test_development_services import make_applicant

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_of_six_simultaneous_recordings_of_one_step_exactly_one_is_written(city: City) -> None:
    member = make_applicant(city.east)

    def advance(day: int, barrier: threading.Barrier) -> None:
        loaded = Member.objects.get(pk=member.pk)  # each secretary loaded the applicant
        barrier.wait()
        development_advance(member=loaded, actor=None, to="activist", on=date(2024, 10, day), today=date(2026, 1, 1))

    wins, refusals = all_at_once([partial(advance, day) for day in range(1, THREADS + 1)])
    assert wins == 1
    assert refusals == [f"{member.name} has already moved on; reload the page."] * (THREADS - 1)
    assert DevelopmentStep.objects.filter(member=member).count() == 1
    member.refresh_from_db()
    assert member.category == Member.Category.ACTIVIST
    assert member.activist_on == DevelopmentStep.objects.get().on


@pytest.mark.django_db(transaction=True)
def test_of_six_simultaneous_extensions_of_one_probation_exactly_one_is_written(city: City) -> None:
    member = make_probationary(city.east)

    def extend(months: int, barrier: threading.Barrier) -> None:
        loaded = Member.objects.get(pk=member.pk)
        barrier.wait()
        probation_extend(
            member=loaded,
            actor=None,
            decided_on=date(2026, 11, 5),
            months=months,
            reason="需继续考察",
            approved_by="街道党工委",
            approved_on=date(2026, 11, 10),
            today=date(2026, 11, 20),
        )

    wins, refusals = all_at_once([partial(extend, 6 + n) for n in range(THREADS)])
    assert wins == 1
    assert len(refusals) == THREADS - 1
    assert all("already been extended once" in r for r in refusals)
    assert ProbationExtension.objects.filter(member=member).count() == 1
