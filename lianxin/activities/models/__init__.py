"""Organizational life's models, one module per part; every model is re-exported here so Django registers it."""

from lianxin.activities.models.compliance import FrequencyRule
from lianxin.activities.models.planning import (
    Activity,
    ActivityVerb,
    Attendance,
    JointEvent,
    JointEventVerb,
    Kind,
    OrganizationFeed,
)
from lianxin.activities.models.tallies import ActivityTally

__all__ = [
    "Activity",
    "ActivityTally",
    "ActivityVerb",
    "Attendance",
    "FrequencyRule",
    "JointEvent",
    "JointEventVerb",
    "Kind",
    "OrganizationFeed",
]
