"""The message `make run` shows: where to open the demo and which accounts to try."""

from lianxin.core.demo.builder import ACCOUNT_MOBILES, DEMO_PASSWORD
from lianxin.core.demo.places import CITY_NAME

URL = "http://127.0.0.1:8000/"

# (username, what the account is and sees in Chinese, the same in English)
ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    (
        "admin",
        "市级管理员（市委组织部）：全市党组织、党员名册和看板；可进入 /admin/",
        "city administrator (市委组织部): every organization, the whole roster and the dashboards; also /admin/",
    ),
    (
        "dinghai",
        "定海区委组织管理员：定海区委及以下各级党组织和党员",
        "organization admin of 定海区委: the organizations and members of 定海区 and below",
    ),
    (
        "secretary",
        "千岛街道怡岛社区党支部书记：本支部名册、组织生活；也是党员本人",
        "secretary of 怡岛社区党支部 (千岛街道): that branch's roster and activities, and their own record",
    ),
    (
        "member",
        "怡岛社区党支部党员：本人档案、组织关系转接记录、进社区报到",
        "a member of 怡岛社区党支部: their own record, their transfer history, community service",
    ),
    (
        "handler",
        "小沙街道党工委办理人：交办给本单位的问题诉求",
        "handler at 小沙街道党工委: the demands assigned to that unit",
    ),
    (
        "leader",
        "海宇社区党支部服务队长：本队的点单、派单和服务时长",
        "volunteer team leader for 海宇社区党支部: the team's orders, sessions and hours",
    ),
    (
        "resident",
        "群众：提交微心愿和问题诉求，查看本人提交的办理进度",
        "resident: posts wishes and demands, follows their own submissions",
    ),
)


def login_help() -> str:
    width = max(len(username) for username, _zh, _en in ACCOUNTS)

    def mobile(username: str) -> str:
        number = ACCOUNT_MOBILES.get(username)
        return f"  [{number}]" if number else ""

    zh = [
        f"连心演示数据：虚构的“{CITY_NAME}”，姓名、身份证号、手机号均为编造。",
        f"打开 {URL} ，以下演示账号的密码都是 {DEMO_PASSWORD}（也可用方括号中的手机号登录）：",
    ]
    zh += [f"  {u:<{width}}  {text}{mobile(u)}" for u, text, _en in ACCOUNTS]
    zh.append("注意：这些是公开的演示密码，切勿在生产环境中使用演示数据。")
    en = [
        f"Lianxin demo data: a fictional “{CITY_NAME}”; every name, ID number and phone number is invented.",
        f"Open {URL} and sign in with any account below; the password is {DEMO_PASSWORD} "
        "(the number in brackets also works as the login name):",
    ]
    en += [f"  {u:<{width}}  {text}{mobile(u)}" for u, _zh, text in ACCOUNTS]
    en.append("Warning: these demo passwords are public; never load the demo data on a production server.")
    return "\n".join([*zh, "", *en])
