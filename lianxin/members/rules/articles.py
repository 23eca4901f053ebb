"""The articles of 《中国共产党发展党员工作细则》 (2014) and the Party Constitution that member
development follows: each rule with its code, its wording, its source, whether it blocks
(a hard rule) or only warns (local practice), and its number, which a locality may override
through settings.LIANXIN_RULES."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from lianxin.members.rules.roster import Rule

DEVELOPMENT_RULES = {
    rule.code: rule
    for rule in [
        Rule("dev_min_age", gettext_lazy("At least 18 years old"), "发展党员工作细则 第5–6条", True, 18),
        Rule(
            "application_talk_months",
            gettext_lazy("The Party organization talks with an applicant within one month of the application"),
            "发展党员工作细则 第7条",
            False,
            1,
        ),
        Rule(
            "activist_after_application_months",
            gettext_lazy("Activist at least 6 months after applying (local practice)"),
            "发展党员工作细则 第8条",
            False,
            6,
        ),
        Rule(
            "activist_review_months",
            gettext_lazy("The branch reviews each activist every half year"),
            "发展党员工作细则 第11条",
            False,
            6,
        ),
        Rule(
            "activist_reviews_before_candidate",
            gettext_lazy("At least two half-yearly reviews cover the activist's year"),
            "发展党员工作细则 第11条",
            False,
            2,
        ),
        Rule(
            "candidate_after_activist_months",
            gettext_lazy("Development candidate after at least one year as activist"),
            "发展党员工作细则 第13条",
            True,
            12,
        ),
        Rule("sponsors", gettext_lazy("Two full members as sponsors"), "发展党员工作细则 第14条", False, 2),
        Rule(
            "political_review",
            gettext_lazy("No development without a passed political review"),
            "发展党员工作细则 第15–16条",
            True,
            1,
        ),
        Rule(
            "training_hours",
            gettext_lazy("At least 24 class hours of concentrated training"),
            "发展党员工作细则 第17条",
            True,
            24,
        ),
        Rule(
            "publicity_working_days",
            gettext_lazy("Publicity of at least 5 working days (local practice)"),
            "地方实践",
            False,
            5,
        ),
        Rule("probation_year", gettext_lazy("Probation lasts one year"), "党章 第7条", True, 12),
        Rule(
            "probation_extension_once",
            gettext_lazy("A probation may be extended once, only while probationary"),
            "党章 第7条",
            True,
            1,
        ),
        Rule(
            "probation_extension_min_months",
            gettext_lazy("An extended probation is at least 6 months"),
            "党章 第7条",
            True,
            6,
        ),
        Rule(
            "probation_extension_max_months",
            gettext_lazy("An extended probation is at most one year"),
            "党章 第7条",
            True,
            12,
        ),
        Rule(
            "congress_majority",
            gettext_lazy("Admission by the branch congress: more than half of the full members entitled to vote"),
            "发展党员工作细则 第22条；支部工作条例 第11条",
            True,
            50,
        ),
        Rule(
            "approval_entered",
            gettext_lazy("The approval of the Party committee above is entered by a person"),
            "发展党员工作细则",
            True,
            1,
        ),
        Rule(
            "approval_months",
            gettext_lazy("The Party committee approves within 3 months"),
            "发展党员工作细则",
            False,
            3,
        ),
    ]
}


def dev_rule_value(code: str) -> int:
    # Localities override through settings.LIANXIN_RULES, as for the roster rules.
    overrides: dict[str, int] = getattr(settings, "LIANXIN_RULES", {})
    return overrides.get(code, DEVELOPMENT_RULES[code].value)


def cite(code: str, message: str) -> str:
    """`message` followed by the source of the rule `code`."""
    return f"{message} ({DEVELOPMENT_RULES[code].source})"
