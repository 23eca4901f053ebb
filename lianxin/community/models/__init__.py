"""Community reporting's models (在职党员进社区报到); the quarterly feedback reads them and has none of its own."""

from lianxin.community.models.reports import (
    ClaimVerb,
    CommunityReport,
    PostClaim,
    PostVerb,
    RecordVerb,
    ReportVerb,
    ServicePost,
    ServiceRecord,
)

__all__ = [
    "ClaimVerb",
    "CommunityReport",
    "PostClaim",
    "PostVerb",
    "RecordVerb",
    "ReportVerb",
    "ServicePost",
    "ServiceRecord",
]
