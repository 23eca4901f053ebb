"""What the public reads: a round's publicity notice and its published list (names, units, deeds,
nothing else); and a member's own honours."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.honours.selectors import honours_of_member
from lianxin.honours.selectors.rounds import public_entries, public_round, public_rounds


def notices(request: HttpRequest) -> HttpResponse:
    return render(request, "honours/public_list.html", {"rounds": public_rounds()[:50]})


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = public_round(pk)
    return render(request, "honours/public.html", {"round": round_, "entries": public_entries(round_)})


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    member = getattr(request.user, "member", None)
    honours = honours_of_member(member.pk) if member is not None else []
    return render(request, "honours/mine.html", {"honours": honours, "member": member})
