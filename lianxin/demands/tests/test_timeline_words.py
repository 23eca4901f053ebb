"""Every timeline verb and state of the demands app reads in Chinese, and each row reads its own subject's words."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from lianxin.core import timeline
from lianxin.core.models import Event
from lianxin.core.templatetags.lianxin import from_label, to_label, verb_label
from lianxin.demands.models import Demand, FaceToFace, HotSpot, PublicNotice, ResearchTopic, Visit

SUBJECTS: list[type[models.Model]] = [Demand, Visit, ResearchTopic, FaceToFace, HotSpot, PublicNotice]


@pytest.mark.parametrize("model", SUBJECTS, ids=lambda m: m.__name__)
def test_every_verb_and_state_of_a_demands_subject_is_translated(model: type[models.Model]) -> None:
    verbs = timeline.verbs_of(model)
    assert verbs is not None
    states = timeline.states_of(model)
    labelled = list(verbs.choices) + (list(states.choices) if states is not None else [])
    with translation.override("en"):
        english = [str(label) for _value, label in labelled]
    with translation.override("zh-hans"):
        chinese = [str(label) for _value, label in labelled]
    untranslated = [value for (value, _label), en, zh in zip(labelled, english, chinese, strict=True) if en == zh]
    assert not untranslated, f"{model.__name__}: {untranslated}"


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


def test_a_verb_the_model_does_not_declare_is_refused() -> None:
    with pytest.raises(ValueError, match="declares no timeline verb"):
        timeline.check_verb(Demand, "served")
