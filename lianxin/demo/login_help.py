"""The message `make run` shows: where to open the demo and which accounts to try."""

import os

from lianxin.accounts.models import User
from lianxin.demands.models import Demand
from lianxin.demands.selectors.handling import demand_to_handle_counts
from lianxin.demands.selectors.mine import demand_list_own
from lianxin.demo.builder import ACCOUNT_MOBILES, DEMO_PASSWORD
from lianxin.demo.places import CITY_NAME

# `make run` says where it serves (its HOST and PORT) in LIANXIN_DEMO_URL.
URL = "http://127.0.0.1:8000/"

# (username, what the account is and sees in Chinese, the same in English); a {placeholder} is a count
# read from the database when the help is printed (`waiting`), by the selector of the list it describes.
ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    (
        "admin",
        "市级管理员（市委组织部）：全市党组织树、党员名册、Excel导入导出；志愿服务派单、巡回服务、预约服务和服务数据；"
        "可进入 /admin/",
        "city administrator (市委组织部): the whole organization tree and roster, Excel import and export; "
        "dispatches volunteer orders, runs the touring and appointment services, sees the service figures; "
        "also /admin/",
    ),
    (
        "dinghai",
        "定海区委组织管理员：定海区委及以下各级党组织和党员；给本区服务队派单",
        "organization admin of 定海区委: the organizations and members of 定海区 and below; dispatches orders "
        "to the district's teams",
    ),
    (
        "secretary",
        "千岛街道怡岛社区党支部书记：本支部名册、导入导出、组织关系转接；发展党员台账（申请人至预备党员）；"
        "为社区点单，审核、确认微心愿，审批在职党员报到；也是党员本人",
        "secretary of 怡岛社区党支部 (千岛街道): that branch's roster, imports, exports and transfers; the "
        "development ledger from applicants to probationary members; orders services for the community, reviews "
        "and confirms wishes, approves members reporting to the community; and their own record",
    ),
    (
        "member",
        "怡岛社区党支部党员：本人档案；报名服务活动、签到签退、服务时长和证明；到居住地社区报到、认领岗位；认领微心愿",
        "a member of 怡岛社区党支部: their own record; signs up for sessions, checks in and out, sees their hours "
        "and certificate; reports to a residential community and claims posts; claims wishes",
    ),
    (
        "handler",
        "小沙街道党工委办理人：按期限办理交给本单位的群众诉求{handler_demands_zh}，记录办理过程、办结或说明无法解决；"
        "可看本单位的诉求和广场舞噪音热点",
        "handler at 小沙街道党工委: handles the residents' demands given to that unit by deadline{handler_demands_en}, "
        "records handling steps, resolves them or closes them as unresolvable; sees the unit's demands "
        "and the square-dance noise hot spot",
    ),
    (
        "leader",
        "海宇社区党员志愿服务队队长：接单或拒单、安排服务活动、记录到场和服务时长",
        "leader of 海宇社区党员志愿服务队: accepts or declines orders, schedules sessions, records attendance "
        "and hours",
    ),
    (
        "resident",
        "群众：发布微心愿；为自己点单志愿服务并评价；预约“潮汐式服务”；提交诉求，在“我的诉求”中跟踪和回访评价，"
        "不需要查询码{resident_demands_zh}；未登录时提交的诉求可凭查询码和手机尾号认领",
        "resident: posts wishes; orders volunteer services and rates them; books the “tidal” island service; "
        "submits demands and follows them up under “My demands”, no lookup code needed{resident_demands_en}; "
        "claims a demand sent without an account with its lookup code and the mobile's last four digits",
    ),
)


def waiting() -> dict[str, str]:
    """The counts the accounts' lines give, from the selectors of the pages they describe: the handler's
    count is the one their workbench and inbox show (demand_to_handle_counts), the resident's the one
    "My demands" lists (demand_list_own). Without the demo account (an empty or a foreign database) a line
    gives no number."""
    lines = dict.fromkeys(
        ("handler_demands_zh", "handler_demands_en", "resident_demands_zh", "resident_demands_en"), ""
    )
    handler = User.objects.filter(username="handler", is_active=True).first()
    if handler is not None:
        counts = demand_to_handle_counts(user=handler)
        lines["handler_demands_zh"] = f"（现有{counts.total}件待办，其中{counts.overdue}件已超期）"
        lines["handler_demands_en"] = f" ({counts.total} now, {counts.overdue} of them overdue)"
    resident = User.objects.filter(username="resident", is_active=True).first()
    if resident is not None:
        own = demand_list_own(user=resident)
        total, resolved = own.count(), own.filter(status=Demand.Status.RESOLVED).count()
        lines["resident_demands_zh"] = f"（已提交{total}件，其中{resolved}件已办结、等待本人回访评价）"
        lines["resident_demands_en"] = f" ({total} submitted, {resolved} resolved and waiting for their follow-up)"
    return lines


def login_help() -> str:
    url = os.environ.get("LIANXIN_DEMO_URL") or URL
    counts = waiting()
    width = max(len(username) for username, _zh, _en in ACCOUNTS)

    def mobile(username: str) -> str:
        number = ACCOUNT_MOBILES.get(username)
        return f"  [{number}]" if number else ""

    zh = [
        f"连心演示数据：虚构的“{CITY_NAME}”，姓名、身份证号、手机号均为编造。",
        f"打开 {url} ，以下演示账号的密码都是 {DEMO_PASSWORD}（也可用方括号中的手机号登录）：",
    ]
    zh += [f"  {u:<{width}}  {text.format_map(counts)}{mobile(u)}" for u, text, _en in ACCOUNTS]
    zh.append("注意：这些是公开的演示密码，切勿在生产环境中使用演示数据。")
    en = [
        f"Lianxin demo data: a fictional “{CITY_NAME}”; every name, ID number and phone number is invented.",
        f"Open {url} and sign in with any account below; the password is {DEMO_PASSWORD} "
        "(the number in brackets also works as the login name):",
    ]
    en += [f"  {u:<{width}}  {text.format_map(counts)}{mobile(u)}" for u, _zh, text in ACCOUNTS]
    en.append("Warning: these demo passwords are public; never load the demo data on a production server.")
    return "\n".join([*zh, "", *en])
