"""Residents' demands and where they come from, one module per part; every model is exported here."""

from lianxin.demands.models.board import PublicNotice, PublicNoticeVerb
from lianxin.demands.models.duplicates import HotSpot, HotSpotVerb
from lianxin.demands.models.handling import (
    LOOKUP_ALPHABET,
    Demand,
    DemandCategory,
    DemandVerb,
    FollowUp,
    new_lookup_code,
)
from lianxin.demands.models.sources import (
    FaceToFace,
    FaceToFaceVerb,
    ResearchTopic,
    ResearchTopicVerb,
    Visit,
    VisitVerb,
)
from lianxin.demands.models.tallies import DemandTally

__all__ = [
    "LOOKUP_ALPHABET",
    "Demand",
    "DemandCategory",
    "DemandTally",
    "DemandVerb",
    "FaceToFace",
    "FaceToFaceVerb",
    "FollowUp",
    "HotSpot",
    "HotSpotVerb",
    "PublicNotice",
    "PublicNoticeVerb",
    "ResearchTopic",
    "ResearchTopicVerb",
    "Visit",
    "VisitVerb",
    "new_lookup_code",
]
