"""Every timeline verb and state of the demands app reads in Chinese, and each row reads its own subject's words."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from lianxin.core.models import Event
from lianxin.core.templatetags.lianxin import from_label, to_label, verb_label
from lianxin.demands.models import Demand, FaceToFace, HotSpot, PublicNotice, ResearchTopic, Visit

SUBJECTS: list[type[models.Model]] = [Demand, Visit, ResearchTopic, FaceToFace, HotSpot, PublicNotice]


@pytest.mark.django_db
def test_a_published_notice_reads_draft_to_published() -> None:
    event = Event(
        subject_type=ContentType.objects.get_for_model(PublicNotice),
        subject_id=1,
        verb="published",
        from_state=PublicNotice.Status.DRAFT,
        to_state=PublicNotice.Status.PUBLISHED,
    )
    with translation.override("zh-hans"):
        assert (verb_label(event), from_label(event), to_label(event)) == ("已发布", "草稿", "已发布")
