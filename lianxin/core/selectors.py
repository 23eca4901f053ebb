from django.contrib.contenttypes.models import ContentType
from django.db import models

from lianxin.core.models import Event


def event_list_for(subject: models.Model) -> models.QuerySet[Event]:
    """The timeline of one object, newest first."""
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).select_related("actor")
