"""The dues ledger's tables."""

from lianxin.dues.models.ledger import Assessment, DuesAccount, DuesVerb, Handover, Payment

__all__ = ["Assessment", "DuesAccount", "DuesVerb", "Handover", "Payment"]
