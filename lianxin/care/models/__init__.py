"""The care app's tables: hardship members (hardship.py) and care rounds with their visits (rounds.py)."""

from lianxin.care.models.hardship import HardshipRecord, HardshipVerb
from lianxin.care.models.rounds import CareBudget, CareRecipient, CareRound, CareVisit, RoundVerb, TargetGroup

__all__ = [
    "CareBudget",
    "CareRecipient",
    "CareRound",
    "CareVisit",
    "HardshipRecord",
    "HardshipVerb",
    "RoundVerb",
    "TargetGroup",
]
