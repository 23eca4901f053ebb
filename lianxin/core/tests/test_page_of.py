"""page_of: a page of a list found by ids, its rows fetched with what the list asked for."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from lianxin.core.models import Event
from lianxin.core.selectors import page_of

pytestmark = pytest.mark.django_db


def test_counts_annotated_on_a_list_survive_the_refetch_of_its_page() -> None:
    users = get_user_model()
    busy, idle = users.objects.create(username="busy"), users.objects.create(username="idle")
    kind = ContentType.objects.get_for_model(users)
    for _n in range(3):
        Event.objects.create(subject_type=kind, subject_id=busy.pk, actor=busy, verb="checked")
    listed = users.objects.filter(pk__in=[busy.pk, idle.pk]).annotate(acts=Count("events")).order_by("username")

    page = page_of(listed, "1", 10)

    assert [(u.username, u.acts) for u in page.object_list] == [("busy", 3), ("idle", 0)]


def test_a_list_without_annotations_still_comes_in_its_order_with_its_related_rows() -> None:
    users = get_user_model()
    actor = users.objects.create(username="a")
    kind = ContentType.objects.get_for_model(users)
    first = Event.objects.create(subject_type=kind, subject_id=1, actor=actor, verb="one")
    second = Event.objects.create(subject_type=kind, subject_id=2, actor=actor, verb="two")

    page = page_of(Event.objects.select_related("actor").order_by("-id"), "1", 1)

    assert page.object_list == [second] and page.paginator.count == 2 and first.pk < second.pk
    assert "actor" in page.object_list[0]._state.fields_cache
