"""One member's dues: the admin's page (assess, record a payment, void), a receipt, and "my dues"."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import form_action, form_submit
from lianxin.core.selectors import event_list_for
from lianxin.dues.documents.receipt import receipt_docx
from lianxin.dues.forms import AssessmentForm, PaymentForm, VoidForm
from lianxin.dues.models import Assessment, DuesAccount, Payment
from lianxin.dues.rules.months import month_add, year_month
from lianxin.dues.rules.standard import BANDS, CENTRE_THRESHOLD, is_warned
from lianxin.dues.selectors.ledger import access_payment, behind_of, my_dues
from lianxin.dues.services.ledger import PaymentInput, assessment_set, payment_record, payment_void
from lianxin.dues.views.common import today
from lianxin.members.models import Member
from lianxin.members.selectors.roster import access_managed_member


def _member_context(member: Member) -> dict[str, Any]:
    on = today()
    account = DuesAccount.objects.filter(member=member).first()
    assessments = list(Assessment.objects.filter(member=member).order_by("-year")[:10])
    current = next((a for a in assessments if a.year == on.year), None)
    behind = behind_of(account.paid_through if account else None, on)
    return {
        "member": member,
        "account": account,
        "assessments": assessments,
        "current": current,
        "payments": Payment.objects.filter(member=member).select_related("organization")[:100],
        "behind": behind,
        "warned": is_warned(behind),
        "next_month": year_month(month_add(account.paid_through, 1)) if account else "",
        "events": event_list_for(account)[:30] if account else [],
        "centre_threshold": CENTRE_THRESHOLD,
    }


@login_required
def member_dues(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)
    on = today()
    context = _member_context(member)
    context["assess_form"] = AssessmentForm(
        initial={
            "year": on.year,
            **(
                {"basis": context["current"].basis, "monthly_amount": context["current"].monthly_amount}
                if context["current"]
                else {}
            ),
        }
    )
    context["pay_form"] = PaymentForm(initial={"paid_on": on})
    context["void_form"] = VoidForm()
    context["bands"] = BANDS.values()
    return render(request, "dues/member.html", context)


@login_required
@require_POST
def assess(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def run(data: dict[str, Any]) -> tuple[str, str | None]:
        assessment_set(
            actor=request.user,
            member=member,
            year=data["year"],
            basis=data["basis"],
            monthly_amount=data["monthly_amount"],
            note=data["note"],
        )
        return _("%(name)s's dues for %(year)d are set.") % {"name": member.name, "year": data["year"]}, None

    return form_action(request, AssessmentForm(request.POST), run, back=reverse("dues:member", args=[member.pk]))


@login_required
def pay(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a payment: on success, its receipt; on a refusal, the form again with the reason."""
    member = access_managed_member(request.user, pk)
    form = PaymentForm(request.POST or None, initial={"paid_on": today()})

    def run(data: dict[str, Any]) -> Payment:
        entry = PaymentInput(
            member=member,
            kind=data["kind"],
            method=data["method"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            months_to=data["months_to"],
            note=data["note"],
        )
        return payment_record(actor=request.user, entry=entry)

    if request.method == "POST" and (payment := form_submit(form, run)):
        messages.success(request, _("The payment is recorded: receipt %(receipt)s.") % {"receipt": payment.receipt})
        return redirect("dues:receipt", pk=payment.pk)
    context = _member_context(member)
    context["pay_form"] = form
    return render(request, "dues/pay.html", context)


@login_required
@require_POST
def void(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    payment = access_payment(request.user, pk)
    if not roster_scope(request.user).contains(payment.organization.path):
        raise Http404

    def run(data: dict[str, Any]) -> tuple[str, str | None]:
        payment_void(actor=request.user, payment=payment, reason=data["reason"])
        return _("Receipt %(receipt)s is voided.") % {"receipt": payment.receipt}, None

    return form_action(request, VoidForm(request.POST), run, back=reverse("dues:member", args=[payment.member_id]))


@login_required
def receipt(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A printable receipt: for the organization that collected it, and for the member who paid."""
    payment = access_payment(request.user, pk)
    manages = roster_scope(request.user).contains(payment.organization.path)
    return render(request, "dues/receipt.html", {"payment": payment, "manages": manages})


@login_required
def receipt_word(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The receipt as a .docx, for whoever may see it (the collecting organization's admins, the payer)."""
    payment = access_payment(request.user, pk)
    response = HttpResponse(
        receipt_docx(payment), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="dues-receipt-{payment.receipt}.docx"'
    return response


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A member's own dues: 交至年月, monthly amount, payments and receipts; nobody else's."""
    on = today()
    dues = my_dues(user=request.user, on=on)
    return render(request, "dues/mine.html", {"dues": dues, "warned": is_warned(dues.behind) if dues else False})
