"""Tests for core/pager.html: the previous / N / M / next links under a paged list."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation


def _pager(number: int, items: int = 25, **context: object) -> str:
    with translation.override("en"):
        return render_to_string("core/pager.html", {"page": Paginator(range(items), 10).page(number), **context})


def test_a_middle_page_links_both_ways_and_keeps_the_lists_filters() -> None:
    html = _pager(2, querystring="q=%E6%9D%8E&status=open")
    assert '<a href="?q=%E6%9D%8E&amp;status=open&amp;page=1">Previous</a>' in html
    assert "<span>2 / 3</span>" in html
    assert '<a href="?q=%E6%9D%8E&amp;status=open&amp;page=3">Next</a>' in html


def test_without_filters_the_links_carry_only_the_page() -> None:
    html = _pager(1)
    assert '<a href="?page=2">Next</a>' in html and "Previous" not in html


def test_a_list_that_fits_on_one_page_has_no_pager() -> None:
    assert _pager(1, items=10).strip() == ""
