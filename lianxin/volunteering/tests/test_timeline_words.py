"""Every subject of a volunteering timeline declares its words, and each reads in Chinese."""

import pytest
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation

from conftest import City
from lianxin.accounts.models import User
from lianxin.core import timeline
from lianxin.core.selectors import event_list_for
from lianxin.volunteering.models import (
    AppointmentService,
    Booking,
    CalendarFeed,
    Order,
    OrderVerb,
    ServiceItem,
    Session,
    Team,
    Tour,
)
from lianxin.volunteering.tests.factories import make_item, make_order, make_team

SUBJECTS: list[type[models.Model]] = [
    Order,
    Session,
    Team,
    ServiceItem,
    CalendarFeed,
    Tour,
    AppointmentService,
    Booking,
]


def _labels(choices: type[models.TextChoices], language: str) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}


@pytest.mark.parametrize("model", SUBJECTS, ids=lambda m: m.__name__)
def test_every_subject_declares_its_verbs_and_each_reads_in_chinese(model: type[models.Model]) -> None:
    verbs = timeline.verbs_of(model)
    assert verbs is not None, model
    english, chinese = _labels(verbs, "en"), _labels(verbs, "zh-hans")
    untranslated = [value for value in verbs.values if chinese[value] == english[value]]
    assert not untranslated, (model.__name__, untranslated)


@pytest.mark.parametrize("model", [Order, Session, Booking], ids=lambda m: m.__name__)
def test_the_states_a_timeline_shows_are_the_subjects_own(model: type[models.Model]) -> None:
    states = timeline.states_of(model)
    assert states is not None and set(states.values) == {f.value for f in model.Status}  # type: ignore[attr-defined]


def test_an_order_served_does_not_read_as_a_community_service_record() -> None:
    with translation.override("zh-hans"):
        assert str(OrderVerb.SERVED.label) != translation.gettext("service recorded")


@pytest.mark.django_db
def test_an_orders_timeline_reads_its_own_words_in_chinese(city: City, resident: User) -> None:
    order = make_order(make_item(make_team(city.district)), ordered_by=resident, until=Order.Status.RATED)
    with translation.override("zh-hans"):
        page = render_to_string("core/timeline.html", {"events": event_list_for(order)})
        for verb in (OrderVerb.ORDERED, OrderVerb.DISPATCHED, OrderVerb.SERVED, OrderVerb.RATED):
            assert str(verb.label) in page, verb
        assert f"{Order.Status.ACCEPTED.label} → {Order.Status.SERVED.label}" in page
