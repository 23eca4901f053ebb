"""Every timeline word of the members app reads in Chinese, on the subject's own model."""

import pytest
from django.db import models
from django.utils import translation

from lianxin.core.timeline import check_verb, states_of, verbs_of
from lianxin.members.models import Member, MemberState, MemberVerb, RosterImport, RosterImportVerb

SUBJECTS: list[tuple[type[models.Model], type[models.TextChoices]]] = [
    (Member, MemberVerb),
    (RosterImport, RosterImportVerb),
]


@pytest.mark.parametrize(("model", "verbs"), SUBJECTS)
def test_each_subject_declares_its_verbs_and_each_reads_in_chinese(
    model: type[models.Model], verbs: type[models.TextChoices]
) -> None:
    assert verbs_of(model) is verbs
    for verb in verbs:
        check_verb(model, verb.value)
        with translation.override("zh-hans"):
            label = str(verb.label)
        with translation.override("en"):
            english = str(verb.label)
        assert label != english, f"{model.__name__}.{verb.value} has no Chinese label"


def test_a_members_states_are_its_categories_and_the_review_results() -> None:
    assert states_of(Member) is MemberState
    assert set(Member.Category.values) < set(MemberState.values)
    for category in Member.Category:
        assert MemberState(category.value).label == category.label
    with translation.override("zh-hans"):
        assert all(str(state.label) != state.value for state in MemberState)
