"""Background work of community reporting: the quarterly feedback files, one per organization."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django_tasks import task

from lianxin.community.selectors.feedback import feedback_build, feedback_organizations
from lianxin.community.services.feedback import feedback_export
from lianxin.core.periods import Period, parse_quarter

FORMATS = ("xlsx", "docx")


def storage_path(code: str, quarter: str, fmt: str) -> str:
    return f"community/feedback/{quarter}/{code}.{fmt}"


@task()
def community_feedback_task(quarter: str = "", language: str = "zh-hans") -> list[str]:
    """At quarter end: write the feedback of every organization whose members reported, as .xlsx and .docx.

    `quarter` defaults to the one that has just ended. Files land in the default storage
    under community/feedback/<quarter>/; a rerun replaces them. Returns the paths written.
    """
    period = parse_quarter(quarter) if quarter else Period.quarter_of(timezone.localdate()).previous_quarter()
    written: list[str] = []
    with translation.override(language or None):
        for organization in feedback_organizations(quarter=period):
            feedback = feedback_build(organization=organization, quarter=period)
            for fmt in FORMATS:
                out = io.BytesIO()
                feedback_export(actor=None, feedback=feedback, fmt=fmt, target=out, source="quarterly task")
                path = storage_path(organization.code, period.quarter_code, fmt)
                if default_storage.exists(path):
                    default_storage.delete(path)
                written.append(default_storage.save(path, ContentFile(out.getvalue())))
    return written
