"""The roster workbook (党员名册): its columns, how a row becomes member fields, the export.

The headers are Chinese literals on purpose: they are a data format that staff, other
systems and years of existing ledgers share, not interface text, so they are never
translated. Export and import use the same columns, so export → edit → import
round-trips.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator, Mapping
from typing import IO, Any

from django.db.models import QuerySet, TextChoices
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.ledgers import subtitle
from lianxin.core.parsing import ParseError, normalize_id_number, normalize_mobile, normalize_text, parse_date
from lianxin.core.spreadsheets import Column, SheetRow, column_message, workbook_write
from lianxin.members.documents.lookups import RosterLookups
from lianxin.members.models import Member

__all__ = [
    "CATEGORY_LABELS",
    "EDUCATION_LABELS",
    "ERROR_HEADER",
    "HEADERS",
    "LEAVE_REASON_LABELS",
    "OCCUPATION_LABELS",
    "ROSTER_COLUMNS",
    "SEX_LABELS",
    "SHEET_TITLE",
    "RosterLookups",
    "parse_flag",
    "roster_row_values",
    "roster_workbook_write",
]

ERROR_HEADER = "错误说明"
SHEET_TITLE = "党员名册"

Category = Member.Category
LeaveReason = Member.LeaveReason

CATEGORY_LABELS: dict[str, str] = {
    Category.APPLICANT: "入党申请人",
    Category.ACTIVIST: "入党积极分子",
    Category.CANDIDATE: "发展对象",
    Category.PROBATIONARY: "预备党员",
    Category.FULL: "正式党员",
}
# Plain codes as keys: the keys are also formatted into text below.
LEAVE_REASON_LABELS: dict[str, str] = {
    LeaveReason.EXPELLED.value: "出党",
    LeaveReason.DECEASED.value: "去世",
    LeaveReason.TRANSFERRED_OUT.value: "组织关系转出",
}
SEX_LABELS: dict[str, str] = {Member.Sex.MALE: "男", Member.Sex.FEMALE: "女"}
EDUCATION_LABELS: dict[str, str] = {
    Member.Education.PRIMARY: "小学",
    Member.Education.JUNIOR: "初中",
    Member.Education.SENIOR: "高中/中专",
    Member.Education.COLLEGE: "大专",
    Member.Education.BACHELOR: "本科",
    Member.Education.MASTER: "硕士研究生",
    Member.Education.DOCTOR: "博士研究生",
}
# The categories' names in the annual Party statistics (党内统计).
OCCUPATION_LABELS: dict[str, str] = {
    Member.Occupation.WORKER: "工人（工勤技能人员）",
    Member.Occupation.FARMER: "农牧渔民",
    Member.Occupation.PROFESSIONAL: "企事业单位、社会组织专业技术人员",
    Member.Occupation.MANAGER: "企事业单位、社会组织管理人员",
    Member.Occupation.OFFICIAL: "党政机关工作人员",
    Member.Occupation.STUDENT: "学生",
    Member.Occupation.OTHER: "其他职业人员",
    Member.Occupation.RETIRED: "离退休人员",
}
# Other words real sheets use for the same value.
_CATEGORY_ALIASES: dict[str, str] = {
    "申请人": Category.APPLICANT,
    "积极分子": Category.ACTIVIST,
    "预备": Category.PROBATIONARY,
}
_EDUCATION_ALIASES: dict[str, str] = {
    "高中": Member.Education.SENIOR,
    "中专": Member.Education.SENIOR,
    "中技": Member.Education.SENIOR,
    "职高": Member.Education.SENIOR,
    "专科": Member.Education.COLLEGE,
    "大学本科": Member.Education.BACHELOR,
    "大学": Member.Education.BACHELOR,
    "硕士": Member.Education.MASTER,
    "研究生": Member.Education.MASTER,
    "博士": Member.Education.DOCTOR,
}
_OCCUPATION_ALIASES: dict[str, str] = {
    "工人": Member.Occupation.WORKER,
    "工勤技能人员": Member.Occupation.WORKER,
    "农民": Member.Occupation.FARMER,
    "牧民": Member.Occupation.FARMER,
    "渔民": Member.Occupation.FARMER,
    "专业技术人员": Member.Occupation.PROFESSIONAL,
    "管理人员": Member.Occupation.MANAGER,
    "在校学生": Member.Occupation.STUDENT,
    "其他": Member.Occupation.OTHER,
    "离退休": Member.Occupation.RETIRED,
    "退休": Member.Occupation.RETIRED,
    "离休": Member.Occupation.RETIRED,
    "退休人员": Member.Occupation.RETIRED,
}
_INVALID_CHOICE = gettext_lazy("Invalid value %(value)s: choose one of %(allowed)s")


@functools.cache
def _english_labels(choices: type[TextChoices]) -> dict[str, str]:
    """The English labels of `choices` (their msgids), casefolded, to their codes. Read at the first
    parse rather than at import: a label is translated only once the apps are loaded."""
    with translation.override("en"):
        return {normalize_text(label).casefold(): str(code) for code, label in choices.choices}


def _choice_parser(
    labels: Mapping[str, str], aliases: Mapping[str, str] | None = None, *, english: type[TextChoices] | None = None
) -> Callable[[Any], str]:
    """A parser accepting a code, its Chinese label or an alias, and with `english` the English label
    of the choice; "" for an empty cell."""
    lookup: dict[str, str] = {}
    for code, label in labels.items():
        lookup[str(code).casefold()] = str(code)
        lookup[normalize_text(label).casefold()] = str(code)
    for alias, code in (aliases or {}).items():
        lookup[normalize_text(alias).casefold()] = str(code)
    allowed = " / ".join(labels.values())

    def parse(value: Any) -> str:
        text = normalize_text(value)
        if not text:
            return ""
        code = lookup.get(text.casefold())
        if code is None and english is not None:
            code = _english_labels(english).get(text.casefold())
        if code is None:
            raise ParseError(_INVALID_CHOICE, code="invalid_choice", params={"value": text, "allowed": allowed})
        return code

    return parse


_parse_category = _choice_parser(
    {**CATEGORY_LABELS, **{f"former:{code}": label for code, label in LEAVE_REASON_LABELS.items()}},
    {**_CATEGORY_ALIASES, Category.FORMER.value: f"former:{LeaveReason.EXPELLED.value}"},
)


def _category_cell(value: Any) -> tuple[str, str]:
    """人员类别 → (category, reason for leaving); 去世 or 组织关系转出 mean a former member."""
    code = _parse_category(value)
    if code.startswith("former:"):
        return Category.FORMER, code.removeprefix("former:")
    return code, ""


_TRUE = {"是", "y", "yes", "√", "✓", "✔", "1", "true", "t", "有"}
_FALSE = {"否", "n", "no", "×", "✗", "0", "false", "f", "无", "空", "-", "—"}


def parse_flag(value: Any) -> bool:
    """是/否/Y/N/√/empty; an empty cell is 否."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = normalize_text(value).casefold()
    if text in _TRUE:
        return True
    if not text or text in _FALSE:
        return False
    raise ParseError(
        gettext_lazy("Invalid value %(value)s: write 是 or 否, or leave the cell empty"),
        code="invalid_flag",
        params={"value": value},
    )


def _flag_label(value: bool) -> str:
    return "是" if value else "否"


def _date_column(key: str, header: str, *aliases: str) -> Column:
    return Column(key=key, header=header, parse=parse_date, aliases=aliases, width=12)


def _flag_column(key: str, header: str, *aliases: str) -> Column:
    return Column(
        key=key,
        header=header,
        parse=parse_flag,
        export=lambda m: _flag_label(getattr(m, key)),
        aliases=aliases,
        width=8,
    )


def _category_label(member: Member) -> str:
    if member.category == Category.FORMER:
        return LEAVE_REASON_LABELS.get(member.leave_reason, LEAVE_REASON_LABELS[LeaveReason.EXPELLED])
    return CATEGORY_LABELS.get(member.category, member.category)


ROSTER_COLUMNS: list[Column] = [
    Column(key="name", header="姓名", required=True, width=10),
    Column(
        key="sex", header="性别", parse=_choice_parser(SEX_LABELS), export=lambda m: SEX_LABELS.get(m.sex, ""), width=6
    ),
    Column(
        key="id_number",
        header="公民身份号码",
        parse=normalize_id_number,
        aliases=("身份证号", "身份证号码", "公民身份证号码", "身份证"),
        required=True,
        width=21,
    ),
    Column(key="ethnicity", header="民族", width=8),
    _date_column("birth_date", "出生日期"),
    Column(key="native_place", header="籍贯"),
    Column(
        key="education",
        header="学历",
        parse=_choice_parser(EDUCATION_LABELS, _EDUCATION_ALIASES),
        export=lambda m: EDUCATION_LABELS.get(m.education, ""),
        aliases=("文化程度",),
        width=10,
    ),
    Column(
        key="occupation",
        header="职业/身份",
        parse=_choice_parser(OCCUPATION_LABELS, _OCCUPATION_ALIASES, english=Member.Occupation),
        export=lambda m: OCCUPATION_LABELS.get(m.occupation, ""),
        aliases=("职业", "身份", "职业身份", "人员身份"),
        width=20,
    ),
    Column(
        key="category",
        header="人员类别",
        parse=_category_cell,
        export=_category_label,
        aliases=("类别", "党员类别"),
        required=True,
        width=12,
    ),
    Column(
        key="leave_reason",
        header="出党原因",
        parse=_choice_parser(LEAVE_REASON_LABELS),
        export=lambda m: LEAVE_REASON_LABELS.get(m.leave_reason, ""),
        width=12,
    ),
    _date_column("applied_on", "申请入党日期", "申请入党时间"),
    _date_column("activist_on", "确定积极分子日期", "确定为入党积极分子日期", "确定积极分子时间"),
    _date_column("candidate_on", "确定发展对象日期", "确定为发展对象日期", "确定发展对象时间"),
    _date_column("joined_on", "入党日期", "入党时间"),
    _date_column("full_on", "转正日期", "转正时间"),
    _date_column("left_on", "离开日期"),
    Column(
        key="organization",
        header="所在党组织",
        export=lambda m: m.organization.name,
        aliases=("党组织", "所在支部", "所在党支部", "党组织名称"),
        required=True,
        width=30,
    ),
    Column(key="work_unit", header="工作单位", width=24),
    Column(key="post", header="职务"),
    Column(
        key="mobile",
        header="手机号码",
        parse=normalize_mobile,
        aliases=("手机", "手机号", "联系电话"),
        width=14,
    ),
    Column(key="home_address", header="家庭住址", width=30),
    Column(
        key="community",
        header="居住社区",
        export=lambda m: m.community.name if m.community else "",
        aliases=("所在社区",),
        width=14,
    ),
    _flag_column("is_mobile", "流动党员"),
    _flag_column("is_abroad", "出国境", "出国（境）"),
    _flag_column("is_lost_contact", "失联", "失联党员"),
    _date_column("lost_contact_since", "失联日期"),
    _flag_column("is_at_sea", "涉海/在船", "涉海", "在船"),
]

# Header of each field, for messages that name a column.
HEADERS = {column.key: column.header for column in ROSTER_COLUMNS}


def roster_row_values(row: SheetRow, lookups: RosterLookups) -> tuple[dict[str, Any], list[str]]:
    """The member fields a sheet row gives (only its columns) and the row's cell errors.

    Organization and community cells are resolved here; the category cell may also
    carry the reason for leaving. Whole-record rules are the services' job
    (`member_data_clean`), not this function's.
    """
    values = dict(row.values)
    errors = list(row.errors)
    if "category" in values:
        category, reason_from_category = values["category"]
        values["category"] = category
        given_reason = values.get("leave_reason", "")
        if category == Category.FORMER:
            if reason_from_category != LeaveReason.EXPELLED and given_reason and given_reason != reason_from_category:
                errors.append(
                    _("%(category)s says %(a)s but %(reason)s says %(b)s.")
                    % {
                        "category": HEADERS["category"],
                        "a": LEAVE_REASON_LABELS[reason_from_category],
                        "reason": HEADERS["leave_reason"],
                        "b": LEAVE_REASON_LABELS[given_reason],
                    }
                )
            # "出党" as a category is the generic word; the reason column refines it.
            values["leave_reason"] = given_reason or reason_from_category
        else:
            if given_reason:
                errors.append(
                    _("%(reason)s is only for former members, but %(category)s is %(value)s.")
                    % {
                        "reason": HEADERS["leave_reason"],
                        "category": HEADERS["category"],
                        "value": CATEGORY_LABELS.get(category, category),
                    }
                )
            values["leave_reason"] = ""
    if "organization" in values:
        text = values.pop("organization")
        values["organization"] = None
        if not text:
            errors.append(_("%(column)s is empty.") % {"column": HEADERS["organization"]})
        else:
            try:
                values["organization"] = lookups.organization(text)
            except ParseError as exc:
                errors.append(column_message(HEADERS["organization"], exc.message))
    if "community" in values:
        text = values.pop("community")
        try:
            values["community"] = lookups.area(text)
        except ParseError as exc:
            values["community"] = None
            errors.append(column_message(HEADERS["community"], exc.message))
    return values, errors


def _export_columns(lookups: RosterLookups) -> list[Column]:
    """The roster columns, naming organizations and areas so that the import finds them again."""
    overrides = {
        "organization": lambda m: lookups.organization_label(m.organization_id),
        "community": lambda m: lookups.area_label(m.community_id),
    }
    return [
        dataclasses.replace(column, export=overrides[column.key]) if column.key in overrides else column
        for column in ROSTER_COLUMNS
    ]


def roster_workbook_write(
    *, members: QuerySet[Member], target: str | IO[bytes], lookups: RosterLookups | None = None, where: str = ""
) -> int:
    """Write `members` as a roster workbook with full ID and mobile numbers; return the row count.

    A title row and a line with `where` (the organization) and when it was generated sit
    above the header; importing the file again finds the header under them.

    Callers audit the export (personal data leaves the system here).
    """
    lookups = lookups or RosterLookups.for_export(members)
    # Organizations and areas come from the lookups, so no join is needed per row.
    rows: Iterator[Member] = members.select_related(None).iterator(chunk_size=2000)
    return workbook_write(
        target=target,
        columns=_export_columns(lookups),
        objects=rows,
        sheet_title=SHEET_TITLE,
        title=SHEET_TITLE,
        where_and_when=subtitle(where),
    )
