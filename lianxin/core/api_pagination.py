"""The API's page-number pagination with the page bounded, so an offset never leaves 64 bits.

django-ninja's own class takes any page from 1 up: page=2^62 makes an offset SQLite cannot
hold (a server error). This one answers 422 beyond MAX_PAGE, like any other invalid parameter.
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

from lianxin.core.params import MAX_PAGE


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)
