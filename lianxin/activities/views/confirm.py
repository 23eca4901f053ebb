"""Steps that cannot be undone (holding, cancelling) take two POSTs: the first checks the form
and shows what will happen with its warnings; only a second one confirming exactly what was
shown runs the service."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.activities.models import Activity
from lianxin.activities.selectors.planning import Preview
from lianxin.core.forms import Outcome, object_action, preview_fingerprint


def fingerprint(activity: Activity, data: dict[str, Any], shown: Preview) -> str:
    """What was previewed: the activity as it stood, the values entered and what the preview said
    (attendance recorded since changes the warnings, so the step is previewed again)."""
    return preview_fingerprint(
        activity.pk, activity.status, str(activity.updated_at), shown.what, shown.blocks, shown.warnings, data=data
    )


def confirmed_action(
    request: AuthenticatedHttpRequest,
    activity: Activity,
    form: forms.Form,
    run: Callable[[Activity, dict[str, Any]], Outcome],
    *,
    preview: Callable[[], Preview],
    title: str,
) -> HttpResponse:
    """An invalid form goes back to the activity's page with its errors, as any action does; a
    valid one is previewed unless this POST confirms the very values and activity previewed."""
    if not form.is_valid():
        return object_action(request, activity, form, run)
    shown = preview()
    stamp = fingerprint(activity, form.cleaned_data, shown)
    if request.POST.get("confirm") == stamp:
        return object_action(request, activity, form, run)
    return render(
        request,
        "activities/activity_confirm.html",
        {
            "activity": activity,
            "form": form,
            "preview": shown,
            "title": title,
            "action": request.path,
            "fingerprint": stamp,
        },
    )
