from lianxin.honours.models.medals import MedalAward, MedalVerb
from lianxin.honours.models.rounds import (
    MEMBER_KINDS,
    AwardKind,
    HonourRound,
    Nomination,
    NominationReview,
    NominationVerb,
    Objection,
    Quota,
    RoundVerb,
)

__all__ = [
    "MEMBER_KINDS",
    "AwardKind",
    "HonourRound",
    "MedalAward",
    "MedalVerb",
    "Nomination",
    "NominationReview",
    "NominationVerb",
    "Objection",
    "Quota",
    "RoundVerb",
]
