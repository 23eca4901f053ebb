"""Input of the dues pages: every number, date and choice bounded before a service sees it."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import BoundedIntegerField, SaneDateField
from lianxin.dues.models import Payment
from lianxin.dues.rules.standard import Basis
from lianxin.dues.rules.statement import MAX_UPLOAD_BYTES, parse_year_month

MONTH_HELP = _("As 2026-03.")


class YearMonthField(forms.CharField):
    """A month typed as 2026-03 (or 2026/3, 2026年3月), as its first day."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(max_length=12, help_text=MONTH_HELP, **kwargs)  # type: ignore[arg-type]
        self.widget.attrs.update({"placeholder": "2026-03", "inputmode": "numeric"})

    def clean(self, value: object) -> object:
        text = super().clean(value)
        if not text:
            return None
        try:
            month = parse_year_month(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as 2026-03.")) from None
        if month is None or not 2000 <= month.year <= 2100:
            raise forms.ValidationError(_("Enter a month as 2026-03."))
        return month


class AssessmentForm(forms.Form):
    year = BoundedIntegerField(label=_("year"), min_value=2008, max_value=2100)
    basis = forms.ChoiceField(label=_("basis"), choices=Basis.choices)
    monthly_amount = forms.DecimalField(
        label=_("monthly amount (yuan)"), min_value=Decimal("0.01"), max_digits=7, decimal_places=2
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class PaymentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Payment.Kind.choices, initial=Payment.Kind.REGULAR)
    method = forms.ChoiceField(
        label=_("method"),
        choices=[
            (Payment.Method.CASH, Payment.Method.CASH.label),
            (Payment.Method.TRANSFER, Payment.Method.TRANSFER.label),
        ],
    )
    months_to = YearMonthField(label=_("paid up to (month)"), required=False)
    amount = forms.DecimalField(label=_("amount (yuan)"), min_value=Decimal("0.01"), max_digits=9, decimal_places=2)
    paid_on = SaneDateField(label=_("paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("reason for voiding"), max_length=200)


class HandoverForm(forms.Form):
    month = YearMonthField(label=_("month"))
    amount = forms.DecimalField(label=_("amount (yuan)"), min_value=Decimal("0"), max_digits=11, decimal_places=2)
    handed_on = SaneDateField(
        label=_("handed over on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class StatementForm(forms.Form):
    file = forms.FileField(label=_("Bank statement (.xlsx)"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload
