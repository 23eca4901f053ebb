from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "lianxin.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        # An organization merged into another takes its members along (organizations.signals).
        from lianxin.members import receivers  # noqa: F401
