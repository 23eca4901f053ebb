"""How a timeline row reads: every app declares the words of its own subjects.

A model whose changes are recorded as `Event`s declares, on the model itself:

- `timeline_verbs`: a `TextChoices` of the verbs its events use, each with its label
  (the app's own enum, as Zulip's audit event types or Saleor's `OrderEvents`);
- `timeline_states` (optional): a `TextChoices` whose labels name the states shown as
  "from → to"; without it the model's own `Status` is used, when it has one.

The timeline finds the subject's model from the event and reads its words from there, so a
wish's row says what a wish is, not what a demand would be. No table here knows the apps.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from lianxin.core.models import Event


def subject_model(event: Event) -> type[models.Model] | None:
    """The model of the event's subject (content types are cached, so this costs no query)."""
    return ContentType.objects.get_for_id(event.subject_type_id).model_class()


def verbs_of(model: type[models.Model]) -> type[models.TextChoices] | None:
    verbs: type[models.TextChoices] | None = getattr(model, "timeline_verbs", None)
    return verbs


def states_of(model: type[models.Model]) -> type[models.TextChoices] | None:
    states = getattr(model, "timeline_states", None) or getattr(model, "Status", None)
    return states if isinstance(states, type) and issubclass(states, models.TextChoices) else None


def _label(choices: type[models.TextChoices] | None, value: str) -> str:
    if choices is None:
        return value
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def verb_label(event: Event) -> str:
    model = subject_model(event)
    return _label(verbs_of(model), event.verb) if model else event.verb


def state_label(event: Event, value: str) -> str:
    if not value:
        return "—"
    model = subject_model(event)
    return _label(states_of(model), value) if model else value


def field_label(event: Event, name: str) -> str:
    """The verbose name of a changed field of the subject's model, in the reader's language."""
    model = subject_model(event)
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


def check_verb(subject: models.Model | type[models.Model], verb: str) -> None:
    """Refuse a verb the subject's model does not declare: a timeline row must be readable."""
    model = subject if isinstance(subject, type) else type(subject)
    verbs = verbs_of(model)
    if verbs is None:
        raise ValueError(f"{model.__name__} declares no timeline verbs (give it timeline_verbs)")
    if verb not in verbs.values:
        raise ValueError(f"{model.__name__} declares no timeline verb {verb!r} (add it to its timeline_verbs)")


def declared_subjects() -> list[type[models.Model]]:
    """Every installed model that declares timeline verbs."""
    from django.apps import apps

    return [model for model in apps.get_models() if verbs_of(model) is not None]
