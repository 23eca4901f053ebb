"""Community reporting's timeline words: each model declares the verbs its services write."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import models
from django.utils import translation

from conftest import City
from lianxin.accounts.models import User
from lianxin.community.models import (
    ClaimVerb,
    CommunityReport,
    PostClaim,
    PostVerb,
    RecordVerb,
    ReportVerb,
    ServicePost,
    ServiceRecord,
)
from lianxin.community.services.reports import record_create
from lianxin.community.tests.factories import make_bureau, make_report
from lianxin.core.selectors import event_list_for
from lianxin.core.templatetags.lianxin import from_label, to_label, verb_label
from lianxin.core.timeline import verbs_of

pytestmark = pytest.mark.django_db

DECLARED: dict[type[models.Model], type[models.TextChoices]] = {
    CommunityReport: ReportVerb,
    ServicePost: PostVerb,
    PostClaim: ClaimVerb,
    ServiceRecord: RecordVerb,
}


def test_every_model_declares_its_verbs_and_every_report_state_is_a_verb() -> None:
    for model, verbs in DECLARED.items():
        assert verbs_of(model) is verbs
    # state_transition records the target state as the verb of a decision or an end.
    moves = {to for targets in CommunityReport.TRANSITIONS.values() for to in targets}
    assert moves <= set(ReportVerb.values)


def test_a_service_record_is_not_worded_like_a_volunteer_order_served() -> None:
    with translation.override("en"):
        assert str(RecordVerb.RECORDED.label) == "service record written"
        assert str(RecordVerb.RECORDED.label) != "service recorded"


def test_a_report_and_a_record_read_their_own_words(city: City, branch_secretary: User) -> None:
    bureau = make_bureau(city)
    report = make_report(bureau.worker, city.east, approver=branch_secretary)
    reported, approved = sorted(event_list_for(report), key=lambda e: e.pk)
    record = record_create(
        actor=bureau.worker,
        community=city.east,
        served_on=date(2026, 11, 1),
        hours=Decimal("1"),
        description="楼道清理",
        today=date(2026, 11, 2),
    )
    with translation.override("en"):
        assert verb_label(reported) == "reported to the community"
        assert (from_label(approved), to_label(approved)) == ("awaiting approval", "reported")
        assert verb_label(event_list_for(record)[0]) == "service record written"
