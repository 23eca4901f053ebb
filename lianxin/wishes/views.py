"""Wish pages: the public wall, a wish's page with its actions, posting, review and one's own."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import Outcome, Partial, bulk_action, form_submit, object_action
from lianxin.core.public_cache import cached_for_anonymous
from lianxin.core.selectors import event_list_for, page_of
from lianxin.wishes import permissions, services
from lianxin.wishes.forms import BulkReviewForm, ClaimForm, NoteForm, ReviewForm, WishForm
from lianxin.wishes.models import Wish
from lianxin.wishes.selectors import (
    WishFigures,
    access_wish,
    active_claims,
    wall_filters_from,
    wish_claims_of,
    wish_figures,
    wish_list_posted_by,
    wish_review_queue,
    wish_wall,
    wishes_reviewed_by,
)

PAGE_SIZE = 30
# The review list shows at most this many rows, so "publish the ticked wishes" stays one bounded request.
REVIEW_MAX = services.BULK_MAX


def wall(request: HttpRequest) -> HttpResponse:
    """The public wish wall: anyone may read it; nothing on it identifies the beneficiary."""
    filters = wall_filters_from(request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    base = query.copy()
    base.pop("status", None)
    context: dict[str, Any] = {
        "filters": filters,
        "categories": Wish.Category.choices,
        "kinds": Wish.Kind.choices,
        "querystring": query.urlencode(),
        "basequery": base.urlencode(),
        "can_post": permissions.can_post(request.user),
        "may_claim": permissions.may_claim_at_all(request.user),
    }

    def body() -> tuple[str, WishFigures]:
        page = page_of(wish_wall(filters=filters), request.GET.get("page"), PAGE_SIZE)
        figures = wish_figures(filters=filters)
        html = render_to_string("wishes/wall.html#wall_body", {**context, "page": page, "figures": figures}, request)
        return html, figures

    context["wall_body"], context["figures"] = cached_for_anonymous(request, "wishes:wall", body)
    return render(request, "wishes/wall.html", context)


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    wish = access_wish(request.user, pk)
    user = request.user
    reviewer = permissions.can_review(user, wish)
    return render(
        request,
        "wishes/detail.html",
        {
            "wish": wish,
            "reviewer": reviewer,
            "claims": active_claims(wish) if permissions.can_see_timeline(user, wish) else [],
            "events": event_list_for(wish)[:50] if permissions.can_see_timeline(user, wish) else None,
            "can_review": reviewer and wish.status == Wish.Status.SUBMITTED,
            "can_confirm": reviewer and wish.status == Wish.Status.FULFILLED,
            "can_claim": permissions.can_claim(user, wish),
            "can_withdraw": permissions.can_withdraw(user, wish),
            "can_fulfil": permissions.can_fulfil(user, wish),
            "review_form": ReviewForm(),
            "claim_form": ClaimForm(user=user) if user.is_authenticated else None,
            "note_form": NoteForm(),
        },
    )


@login_required
def post(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_post(request.user):
        raise Http404
    form = WishForm(request.POST or None, user=request.user)

    def post_wish(data: dict[str, Any]) -> Wish:
        return services.wish_post(
            actor=request.user,
            organization=data["organization"],
            title=data["title"],
            category=data["category"],
            description=data["description"],
            beneficiary_name=data["beneficiary_name"],
            beneficiary_phone=data["beneficiary_phone"],
            amount=data["amount"],
            kind=data.get("kind") or Wish.Kind.WISH,
            capacity=data.get("capacity") or 1,
        )

    if wish := form_submit(form, post_wish):
        messages.success(request, _("Your wish was sent to the community for review."))
        return redirect("wishes:detail", pk=wish.pk)
    return render(request, "wishes/post.html", {"form": form})


def _review_context(user: User) -> dict[str, Any]:
    wishes = list(wish_review_queue(user=user)[:REVIEW_MAX])
    return {
        "pending": [w for w in wishes if w.status == Wish.Status.SUBMITTED],
        "fulfilled": [w for w in wishes if w.status == Wish.Status.FULFILLED],
    }


@login_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if roster_scope(request.user).is_empty:
        raise Http404
    return render(request, "wishes/review_queue.html", _review_context(request.user))


@login_required
@require_POST
def review_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Publish every ticked wish at once, or reject one (or several) with a reason: all of them or none.

    An htmx request gets the list (or, for one row's rejection, that row) back in place; otherwise
    the outcome is flashed and the browser goes back to the list."""
    user = request.user
    if roster_scope(user).is_empty:
        raise Http404

    def run(data: dict[str, Any]) -> str:
        approve = data["action"] == "publish"
        decided = services.wish_review_bulk(
            actor=user, wish_ids=[w.pk for w in data["ids"]], approve=approve, reason=data["reason"]
        )
        n = len(decided)
        if approve:
            return ngettext("%(n)s wish is on the wall.", "%(n)s wishes are on the wall.", n) % {"n": n}
        return ngettext("%(n)s wish was rejected.", "%(n)s wishes were rejected.", n) % {"n": n}

    def row(pk: int) -> Partial | None:
        found = wishes_reviewed_by(user=user).filter(pk=pk).select_related("organization").first()
        return ("wishes/review_queue.html#review_row", {"wish": found}) if found is not None else None

    return bulk_action(
        request,
        BulkReviewForm(request.POST, user=user),
        run,
        back=reverse("wishes:review_queue"),
        row=row,
        listing=lambda: ("wishes/review_queue.html#review_list", _review_context(user)),
    )


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "wishes/mine.html",
        {
            "posted": wish_list_posted_by(user=request.user)[:100],
            "claims": wish_claims_of(user=request.user)[:100],
        },
    )


@login_required
@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(wish: Wish, data: dict[str, Any]) -> Outcome:
        approve = data["decision"] == "publish"
        services.wish_review(wish=wish, actor=request.user, approve=approve, reason=data["reason"])
        return (_("The wish is on the wall.") if approve else _("The wish was rejected.")), None

    return object_action(request, access_wish(request.user, pk), ReviewForm(request.POST), run)


@login_required
@require_POST
def claim(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def run(wish: Wish, data: dict[str, Any]) -> Outcome:
        services.wish_claim(wish=wish, actor=request.user, organization=data["organization"], note=data["note"])
        return _("You claimed this wish. Thank you!"), None

    return object_action(request, access_wish(request.user, pk), ClaimForm(request.POST, user=request.user), run)


# Actions that take only a note: the service to call and what to tell the person.
NOTE_ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "withdraw": (services.wish_withdraw, gettext_lazy("You withdrew; the wish is back on the wall.")),
    "fulfil": (services.wish_fulfil, gettext_lazy("Marked as fulfilled; the community will confirm it.")),
    "confirm": (services.wish_confirm, gettext_lazy("Confirmed.")),
}


@login_required
@require_POST
def note_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    service, message = NOTE_ACTIONS[action]

    def run(wish: Wish, data: dict[str, Any]) -> Outcome:
        service(wish=wish, actor=request.user, note=data["note"])
        return str(message), None

    return object_action(request, access_wish(request.user, pk), NoteForm(request.POST), run)
