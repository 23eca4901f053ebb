from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db import models

from lianxin.core.models import Event
from lianxin.core.params import page_param


def event_list_for(subject: models.Model) -> models.QuerySet[Event]:
    """The timeline of one object, newest first."""
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("actor")


def _related_paths(tree: dict[str, Any], prefix: str = "") -> list[str]:
    """`select_related` as Django stores it ({"a": {"b": {}}}) back as the paths "a__b"."""
    paths: list[str] = []
    for name, below in tree.items():
        deeper = _related_paths(below, f"{prefix}{name}__")
        paths.extend(deeper or [f"{prefix}{name}"])
    return paths


def page_of(qs: models.QuerySet[Any], number: int | str | None, per_page: int) -> Page[Any]:
    """A page of `qs` found by ids first, then only those rows fetched.

    The count and the offset walk run on the covering index; the wide rows (encrypted
    columns) are read for the 50 shown, not for every row skipped. The rows come with the
    same select_related, prefetch_related and annotations as `qs`, so a page costs a fixed
    number of queries.
    """
    paginator = Paginator(qs.values_list("pk", flat=True), per_page)
    page = paginator.get_page(page_param(number))
    page.object_list = rows_in_order(qs, list(page.object_list))
    return page


def rows_in_order(qs: models.QuerySet[Any], ids: list[Any]) -> list[Any]:
    """The rows of `qs` with these ids, in their order, with `qs`'s select_related, prefetch, annotations
    and columns (only / defer)."""
    if qs.query.annotations:
        # Counts and sums annotated on the list (a team's volunteers, say) exist only in `qs`'s
        # own query: refetch through it, limited to the page's ids, so they are not lost.
        rows = qs.filter(pk__in=ids).order_by()
    else:
        rows = qs.model._default_manager.filter(pk__in=ids)
        select_related = qs.query.select_related
        if isinstance(select_related, dict):
            rows = rows.select_related(*_related_paths(select_related))
        elif select_related:
            rows = rows.select_related()
        prefetch = qs._prefetch_related_lookups  # type: ignore[attr-defined]
        if prefetch:
            rows = rows.prefetch_related(*prefetch)
        fields, deferred = qs.query.deferred_loading  # only() or defer() on the list: the same columns
        if fields:
            rows = rows.defer(*fields) if deferred else rows.only(*fields)
    by_id = {row.pk: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]
