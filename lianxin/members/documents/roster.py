"""The roster workbook (党员名册): its columns, how a row becomes member fields, the export.

The headers are Chinese literals on purpose: they are a data format that staff, other
systems and years of existing ledgers share, not interface text, so they are never
translated. Export and import use the same columns, so export → edit → import
round-trips.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.ledgers import subtitle
from lianxin.core.parsing import ParseError, normalize_id_number, normalize_mobile, normalize_text, parse_date
from lianxin.core.spreadsheets import Column, SheetRow, column_message, workbook_write
from lianxin.members.models import Member
from lianxin.organizations.models import Area, Organization

__all__ = [
    "CATEGORY_LABELS",
    "EDUCATION_LABELS",
    "ERROR_HEADER",
    "HEADERS",
    "LEAVE_REASON_LABELS",
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
_INVALID_CHOICE = gettext_lazy("Invalid value %(value)s: choose one of %(allowed)s")


def _choice_parser(labels: Mapping[str, str], aliases: Mapping[str, str] | None = None) -> Callable[[Any], str]:
    """A parser accepting a code, its Chinese label or an alias; "" for an empty cell."""
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


class RosterLookups:
    """Organizations and areas, so that rows resolve them without a query each.

    A cell names an organization by code, full name, or short name when that is
    unique; an area by code or (unique) name. Comparison ignores full-width forms and
    spacing.

    Names and codes of the whole tree are indexed (an import may name any organization, and
    a name is unique or not across the whole tree); the objects themselves are loaded only for
    the organizations and areas rows name or existing members belong to (`prepare`), so that an
    import into one district of a province loads the district, not the province.
    """

    def __init__(
        self,
        organizations: Iterable[Organization],
        areas: Iterable[Area],
        name_counts: tuple[Counter[str], Counter[str]] | None = None,
    ) -> None:
        self.organizations: dict[int, Organization] = {o.pk: o for o in organizations}
        self.areas: dict[int, Area] = {a.pk: a for a in areas}
        self._index(
            [(o.pk, o.code, o.name, o.short_name) for o in self.organizations.values()],
            [(a.pk, a.code, a.name) for a in self.areas.values()],
        )
        # How many organizations and areas of the whole tree bear each name (an export's labels).
        self._org_name_counts, self._area_name_counts = name_counts or (
            Counter(o.name for o in self.organizations.values()),
            Counter(a.name for a in self.areas.values()),
        )

    def _index(self, organizations: list[tuple[int, str, str, str]], areas: list[tuple[int, str, str]]) -> None:
        """Keys (normalized codes and names) to primary keys; a name key says whether it is a full name."""
        self._org_codes = {_key(code): pk for pk, code, _name, _short in organizations}
        self._org_names: dict[str, list[tuple[int, bool]]] = {}
        for pk, _code, name, short in organizations:
            full = _key(name)
            for key in {full, _key(short)} - {""}:
                self._org_names.setdefault(key, []).append((pk, key == full))
        self._area_codes = {_key(code): pk for pk, code, _name in areas}
        self._area_names: dict[str, list[int]] = {}
        for pk, _code, name in areas:
            if key := _key(name):
                self._area_names.setdefault(key, []).append(pk)

    @classmethod
    def load(cls) -> RosterLookups:
        """The codes and names of every organization and area: an import may name any of them."""
        lookups = cls([], [])
        organizations = list(Organization.objects.values_list("pk", "code", "name", "short_name"))
        areas = list(Area.objects.values_list("pk", "code", "name"))
        lookups._index(organizations, areas)
        lookups._org_name_counts = Counter(name for _pk, _code, name, _short in organizations)
        lookups._area_name_counts = Counter(name for _pk, _code, name in areas)
        return lookups

    @classmethod
    def for_export(cls, members: QuerySet[Member]) -> RosterLookups:
        """Only the organizations and communities of `members`, with how many of the whole tree share
        each of their names (so labels read as with every one loaded): an export of a district
        loads the district, not the province."""
        organizations = list(Organization.objects.filter(pk__in=members.order_by().values("organization_id")))
        areas = list(Area.objects.filter(pk__in=members.order_by().values("community_id")))
        org_names = Organization.objects.filter(name__in={o.name for o in organizations})
        area_names = Area.objects.filter(name__in={a.name for a in areas})
        counts = (
            Counter(dict(org_names.order_by().values_list("name").annotate(n=Count("pk")))),
            Counter(dict(area_names.order_by().values_list("name").annotate(n=Count("pk")))),
        )
        return cls(organizations, areas, counts)

    def prepare(
        self, organization_ids: Iterable[int] = (), area_ids: Iterable[int] = (), texts: Iterable[Any] = ()
    ) -> None:
        """Load, with one query for each model, the organizations and areas of `organization_ids`,
        `area_ids` and of the cells in `texts` that name one (codes or names of either)."""
        org_ids, area_ids = set(organization_ids), set(area_ids)
        for text in texts:
            key = _key(text)
            if not key:
                continue
            org_ids.update(pk for pk, _full in self._org_names.get(key, ()))
            area_ids.update(self._area_names.get(key, ()))
            for codes, ids in ((self._org_codes, org_ids), (self._area_codes, area_ids)):
                if (pk := codes.get(key)) is not None:
                    ids.add(pk)
        missing = org_ids - self.organizations.keys()
        if missing:
            self.organizations.update((o.pk, o) for o in Organization.objects.filter(pk__in=missing))
        missing = area_ids - self.areas.keys()
        if missing:
            self.areas.update((a.pk, a) for a in Area.objects.filter(pk__in=missing))

    def organization_of(self, pk: int) -> Organization:
        """The organization with primary key `pk` (one query unless prepared)."""
        if pk not in self.organizations:
            self.prepare(organization_ids=[pk])
        return self.organizations[pk]

    def area_of(self, pk: int) -> Area:
        if pk not in self.areas:
            self.prepare(area_ids=[pk])
        return self.areas[pk]

    def organization(self, text: str) -> Organization:
        key = _key(text)
        if (pk := self._org_codes.get(key)) is not None:
            return self.organization_of(pk)
        matches = self._org_names.get(key, [])
        # A full name beats a short name that happens to be the same text.
        full = [pk for pk, is_full in matches if is_full]
        if len(full) == 1 or (not full and len(matches) == 1):
            return self.organization_of(full[0] if full else matches[0][0])
        if matches:
            raise ParseError(
                gettext_lazy("%(value)s names several organizations: use the organization's code."),
                code="ambiguous_organization",
                params={"value": text},
            )
        raise ParseError(
            gettext_lazy("Unknown organization %(value)s: use its full name or its code."),
            code="unknown_organization",
            params={"value": text},
        )

    def area(self, text: str) -> Area | None:
        key = _key(text)
        if not key:
            return None
        if (pk := self._area_codes.get(key)) is not None:
            return self.area_of(pk)
        matches = self._area_names.get(key, [])
        if len(matches) == 1:
            return self.area_of(matches[0])
        if matches:
            raise ParseError(
                gettext_lazy("%(value)s names several areas: use the area's code."),
                code="ambiguous_area",
                params={"value": text},
            )
        raise ParseError(
            gettext_lazy("Unknown community %(value)s: use its name or its code."),
            code="unknown_area",
            params={"value": text},
        )

    def organization_label(self, organization_id: int) -> str:
        """How an export names an organization: its full name, or its code when the name is shared."""
        org = self.organizations[organization_id]
        label: str = org.name if self._org_name_counts[org.name] == 1 else org.code
        return label

    def area_label(self, area_id: int | None) -> str:
        if area_id is None:
            return ""
        area = self.areas[area_id]
        label: str = area.name if self._area_name_counts[area.name] == 1 else area.code
        return label


def _key(text: Any) -> str:
    return normalize_text(text).casefold()


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
