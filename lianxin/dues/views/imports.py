"""Import a bank statement: upload, then either the report of every bad row or the payments recorded."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.dues.forms import StatementForm
from lianxin.dues.rules.statement import MAX_ROWS, STATEMENT_COLUMNS
from lianxin.dues.services.statement import StatementResult, statement_import
from lianxin.dues.views.common import subtree_of


@login_required
def statement(request: AuthenticatedHttpRequest) -> HttpResponse:
    organization = subtree_of(request)
    form = StatementForm(request.POST or None, request.FILES or None)
    result: StatementResult | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = statement_import(
            actor=request.user,
            organization=organization,
            source=upload.file,
            size=upload.size,
            file_name=upload.name or "",
        )
    context = {
        "organization": organization,
        "form": StatementForm() if result and result.is_valid else form,
        "result": result,
        "columns": STATEMENT_COLUMNS,
        "max_rows": MAX_ROWS,
        "query": urlencode({"org": organization.code}),
    }
    template = "dues/statement.html#outcome" if request.headers.get("HX-Request") else "dues/statement.html"
    return render(request, template, context)
