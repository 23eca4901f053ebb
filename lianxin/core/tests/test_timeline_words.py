"""Every app's timeline words read in Chinese, on their own and through the timeline's template.

The test knows no app: it asks `declared_subjects()` for every installed model that declares
`timeline_verbs`, so a model that declares its words is checked the day it does.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import escape

from lianxin.core import timeline
from lianxin.core.models import Event, Holiday
from lianxin.core.services import event_record

CHINESE = re.compile(r"[\u3400-\u9fff]")
SUBJECTS = timeline.declared_subjects()


def _name(model: type[models.Model]) -> str:
    return model._meta.label


def _untranslated(choices: type[models.TextChoices]) -> list[str]:
    """The labels that read the same in Chinese as in English and hold no Chinese."""
    missing = []
    for value, label in choices.choices:
        with translation.override("en"):
            english = str(label)
        with translation.override("zh-hans"):
            chinese = str(label)
        if chinese == english and not CHINESE.search(chinese):
            missing.append(f"{choices.__qualname__}.{value}: {english!r}")
    return missing


def _rendered(model: type[models.Model], *, verb: str, from_state: str = "", to_state: str = "") -> str:
    event = Event(
        subject_type=ContentType.objects.get_for_model(model),
        subject_id=1,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
    )
    with translation.override("zh-hans"):
        return render_to_string("core/event_text.html", {"event": event})


def _chinese(label: str | Promise) -> str:
    with translation.override("zh-hans"):
        return str(label)


@pytest.mark.parametrize("model", SUBJECTS, ids=_name)
def test_every_declared_verb_and_state_has_a_chinese_label(model: type[models.Model]) -> None:
    verbs = timeline.verbs_of(model)
    assert verbs is not None
    missing = _untranslated(verbs)
    states = timeline.states_of(model)
    if states is not None:
        missing += _untranslated(states)
    assert not missing, f"{_name(model)}: no Chinese for\n" + "\n".join(missing)


@pytest.mark.parametrize("model", SUBJECTS, ids=_name)
def test_no_two_verbs_of_one_subject_read_alike(model: type[models.Model]) -> None:
    verbs = timeline.verbs_of(model)
    assert verbs is not None
    labels = [_chinese(label) for label in verbs.labels]
    assert len(set(labels)) == len(labels), f"{_name(model)}: {labels}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", SUBJECTS, ids=_name)
def test_every_declared_verb_renders_through_the_timeline_template(model: type[models.Model]) -> None:
    verbs = timeline.verbs_of(model)
    assert verbs is not None
    for verb in verbs:
        html = _rendered(model, verb=verb.value)
        assert f"<strong>{escape(_chinese(verb.label))}</strong>" in html, (_name(model), verb.value, html)


@pytest.mark.django_db
@pytest.mark.parametrize("model", [m for m in SUBJECTS if timeline.states_of(m) is not None], ids=_name)
def test_every_state_renders_from_and_to_through_the_timeline_template(model: type[models.Model]) -> None:
    verbs, states = timeline.verbs_of(model), timeline.states_of(model)
    assert verbs is not None and states is not None
    verb = verbs.values[0]
    first = states.values[0]
    for state in states:
        html = _rendered(model, verb=verb, from_state=first, to_state=state.value)
        expected = f"{escape(_chinese(states(first).label))} → {escape(_chinese(state.label))}"
        assert expected in html, (_name(model), state.value, html)


@pytest.mark.parametrize("model", SUBJECTS, ids=_name)
def test_a_verb_the_subject_does_not_declare_is_refused(model: type[models.Model]) -> None:
    with pytest.raises(ValueError, match="declares no timeline verb"):
        timeline.check_verb(model, "no_such_verb")


class HolidayVerb(models.TextChoices):
    """Made-up words for a model of the kernel, so the refusal is tested whatever the apps declare."""

    ADDED = "added", "added"


@pytest.mark.django_db
def test_event_record_refuses_an_undeclared_verb_and_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Holiday, "timeline_verbs", HolidayVerb, raising=False)
    holiday = Holiday.objects.create(date="2026-10-01", name="国庆节")

    with pytest.raises(ValueError, match="Holiday declares no timeline verb 'renamed'"):
        event_record(subject=holiday, actor=None, verb="renamed")
    assert not Event.objects.exists()

    event = event_record(subject=holiday, actor=None, verb=HolidayVerb.ADDED)
    assert list(Event.objects.values_list("pk", "verb")) == [(event.pk, "added")]
