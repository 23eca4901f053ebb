"""The API's page-number pagination with the page bounded, so an offset never leaves 64 bits.

django-ninja's own class takes any page from 1 up: page=2^62 makes an offset SQLite cannot
hold (a server error). This one answers 422 beyond MAX_PAGE, like any other invalid parameter.
"""

from ninja import Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

from lianxin.core.params import Page


class PageNumberPagination(NinjaPageNumberPagination):
    class Input(Schema):
        page: Page = 1
        page_size: Page | None = None
