"""Handing out the quarterly feedback: a file that names members is written and audited as one act."""

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.community.documents.feedback import FORMATS, write_docx, write_xlsx
from lianxin.community.selectors.feedback import Feedback
from lianxin.core.services import audit_record


def feedback_export(*, actor: Actor | None, feedback: Feedback, fmt: str, target: IO[bytes], source: str = "") -> None:
    """Write the feedback as .xlsx or .docx, and record the export: it names members.

    `actor` is None for the system (the quarter-end task, the command line)."""
    if fmt not in FORMATS:
        raise ValidationError(_("Export as xlsx or docx."), code="format")
    (write_xlsx if fmt == "xlsx" else write_docx)(feedback, target)
    code = feedback.quarter.quarter_code
    detail: dict[str, Any] = {
        "format": fmt,
        "organization": feedback.organization.code,
        "quarter": code,
        "rows": len(feedback.rows),
    }
    if source:
        detail["source"] = source
    audit_record(
        actor=actor,
        action="export",
        target=f"community_feedback:{feedback.organization.code}:{code}",
        detail=detail,
    )
