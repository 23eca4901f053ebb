"""The one page every picker asks for results: GET, scoped to request.user by the kind, bounded."""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lianxin.core.picker import clean_query, picker_browse, picker_kind, picker_search

# The names the widget sends back (its text box's name, its list's id): never echoed unless plain.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")


def _plain(value: str | None, default: str) -> str:
    return value if value and _PLAIN_NAME.fullmatch(value) else default


@never_cache
@require_GET
def picker_search_view(request: HttpRequest, kind: str) -> HttpResponse:
    """Results for the typed text (`q`, or the field named by `input`), or with `browse`, one level
    of a tree kind (`parent`: a key; empty, the top). Public: each kind's scope decides what an
    anonymous visitor may find."""
    picker = picker_kind(kind)
    if picker is None:
        raise Http404
    params = request.GET
    input_name = _plain(params.get("input"), "q")
    list_id = _plain(params.get("list"), "picker")
    context: dict[str, object] = {
        "kind": picker,
        "list_id": list_id,
        "browse": False,
        "tree": picker.children is not None,
    }
    if "browse" in params and picker.children is not None:
        level = picker_browse(user=request.user, kind=picker, parent=clean_query(params.get("parent")) or None)
        context.update(browse=True, level=level, choices=level.choices)
    else:
        query = clean_query(params.get(input_name) or params.get("q"))
        context.update(query=query, choices=picker_search(user=request.user, kind=picker, query=query))
    return render(request, "core/picker_results.html", context)
