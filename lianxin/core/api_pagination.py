"""The API's pagination: page numbers with the page bounded, and keyset pages for long lists.

django-ninja's own class takes any page from 1 up: page=2^62 makes an offset SQLite cannot
hold (a server error). This one answers 422 beyond MAX_PAGE, like any other invalid parameter.
"""

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination
from ninja.pagination import PaginationBase

from lianxin.core.keyset import MAX_SIZE, keyset_page, position_from
from lianxin.core.params import MAX_CURSOR, Page, ParamError


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: Page = 1
        page_size: Page | None = None


class KeysetPagination(PaginationBase):
    """Keyset pages (core.keyset) for lists too long to count or to walk by offset.

    `paginate(KeysetPagination, keys=(...))` names the list's unique ordering. A page answers its
    items and the cursors of the pages beside it (`next`, `previous`: null at either end), which a
    client sends back as `after` or `before`; `last=true` reads the last page. No count: it would
    read the whole list on every page. A malformed cursor answers 400.
    """

    class Input(Schema):
        after: str | None = Field(None, max_length=MAX_CURSOR, description="the page after this cursor (`next`)")
        before: str | None = Field(None, max_length=MAX_CURSOR, description="the page before this cursor (`previous`)")
        last: bool = Field(False, description="the last page")
        page_size: int = Field(50, ge=1, le=MAX_SIZE)

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(None, description="cursor of the next page, for `after`")
        previous: str | None = Field(None, description="cursor of the previous page, for `before`")

    def __init__(self, *, keys: Sequence[str], **kwargs: Any) -> None:
        self.keys = tuple(keys)
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        try:
            position = position_from(pagination.dict(), queryset.model, self.keys)
        except ParamError as error:
            raise HttpError(400, str(error)) from None
        page = keyset_page(queryset, keys=self.keys, position=position, size=pagination.page_size)
        return {
            "items": page.object_list,
            "next": page.next_cursor if page.has_next else None,
            "previous": page.previous_cursor if page.has_previous else None,
        }
