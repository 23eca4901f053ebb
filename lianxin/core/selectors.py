from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models

from lianxin.core.models import Event


def event_list_for(subject: models.Model) -> models.QuerySet[Event]:
    """The timeline of one object, newest first."""
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("actor")


def page_of(qs: models.QuerySet[Any], number: int | str | None, per_page: int) -> Page:
    """A page of `qs` found by ids first, then only those rows fetched.

    The count and the offset walk run on the covering index; the wide rows (encrypted
    columns) are read for the 50 shown, not for every row skipped.
    """
    paginator = Paginator(qs.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    select_related = qs.query.select_related
    rows = qs.model._default_manager.filter(pk__in=ids)
    if isinstance(select_related, dict):
        rows = rows.select_related(*select_related)
    by_id = {row.pk: row for row in rows}
    page.object_list = [by_id[i] for i in ids if i in by_id]
    return page
