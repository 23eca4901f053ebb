"""The Party roster (Member, Transfer, RosterImport) and the development pipeline's records."""

from lianxin.members.models.development import (
    ActivistReview,
    ApplicationTalk,
    DevelopmentReminder,
    DevelopmentStep,
    MaterialTick,
    OathCeremony,
    PoliticalReview,
    ProbationExtension,
    TrainingAttendance,
    TrainingClass,
    TrainingCourse,
    TrainingScore,
)
from lianxin.members.models.imports import RosterImport, RosterImportVerb
from lianxin.members.models.roster import Member, MemberState, MemberVerb, Transfer, whole_years_between
from lianxin.members.models.tallies import MemberTally

__all__ = [
    "ActivistReview",
    "ApplicationTalk",
    "DevelopmentReminder",
    "DevelopmentStep",
    "MaterialTick",
    "Member",
    "MemberState",
    "MemberTally",
    "MemberVerb",
    "OathCeremony",
    "PoliticalReview",
    "ProbationExtension",
    "RosterImport",
    "RosterImportVerb",
    "TrainingAttendance",
    "TrainingClass",
    "TrainingCourse",
    "TrainingScore",
    "Transfer",
    "whole_years_between",
]
