"""What a group robot's address and secret may be: the platforms' own hosts, https, no credentials.

A webhook address is where staff messages leave the platform, so it must be the platform's: DingTalk
custom robots post to oapi.dingtalk.com, WeCom group robots to qyapi.weixin.qq.com. Tests and local
receivers set LIANXIN_ROBOT_HOSTS_ANY; plain http is accepted only with DEBUG. On screen an address
shows only its host and last four characters, since the rest is the robot's token.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianxin.notifications.models import GroupRobot

# Where each platform's robots live; any other host is refused unless LIANXIN_ROBOT_HOSTS_ANY (tests, local receivers).
ROBOT_HOSTS: dict[str, str] = {
    GroupRobot.Platform.DINGTALK: "oapi.dingtalk.com",
    GroupRobot.Platform.WECOM: "qyapi.weixin.qq.com",
}
MAX_WEBHOOK = 500
MAX_SECRET = 200


def webhook_checked(platform: str, url: str) -> str:
    """The webhook address as kept, or a ValidationError saying what is wrong with it."""
    url = (url or "").strip()
    if platform not in ROBOT_HOSTS:
        raise ValidationError(_("Choose DingTalk or WeCom."), code="platform")
    if not url or len(url) > MAX_WEBHOOK or not url.isprintable() or " " in url:
        raise ValidationError(
            _("Paste the robot's webhook address as the platform shows it (at most %(n)s characters).")
            % {"n": MAX_WEBHOOK},
            code="webhook",
        )
    parts = urlsplit(url)
    schemes = ("https", "http") if settings.DEBUG else ("https",)
    if parts.scheme not in schemes:
        raise ValidationError(_("A webhook address starts with https://."), code="webhook_scheme")
    if parts.username or parts.password or not parts.hostname:
        raise ValidationError(_("This is not a webhook address."), code="webhook")
    expected = ROBOT_HOSTS[platform]
    if parts.hostname != expected and not getattr(settings, "LIANXIN_ROBOT_HOSTS_ANY", False):
        raise ValidationError(
            _("The address of a %(platform)s is on %(host)s.")
            % {"platform": GroupRobot.Platform(platform).label, "host": expected},
            code="webhook_host",
        )
    return url


def secret_checked(platform: str, secret: str) -> str:
    secret = (secret or "").strip()
    if secret and platform != GroupRobot.Platform.DINGTALK:
        raise ValidationError(_("Only DingTalk robots have a signing secret."), code="secret")
    if len(secret) > MAX_SECRET or not (secret.isascii() and secret.isprintable()):
        raise ValidationError(_("The signing secret is the SEC… text DingTalk shows."), code="secret")
    return secret


def webhook_masked(url: str) -> str:
    """The address as a screen shows it: scheme, host and the last four characters."""
    parts = urlsplit(url or "")
    if not parts.hostname:
        return "…"
    return f"{parts.scheme}://{parts.hostname}/…{url[-4:]}"
