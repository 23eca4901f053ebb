"""python manage.py export_members --org CODE [--category CATEGORY] FILE

Writes the roster of an organization's subtree with the import's headers, full ID and
mobile numbers included, and records the export in the audit trail.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.members.models import Member
from lianxin.members.selectors.roster import MemberFilters, member_list_filtered
from lianxin.members.services.imports import roster_export
from lianxin.organizations.selectors import organization_by_code

CATEGORY_CHOICES = ["", "party", "all", *Member.Category.values]


class Command(BaseCommand):
    help = "Export the members of an organization and everything under it to a roster workbook (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx workbook to write")
        parser.add_argument("--org", required=True, help="organization code; its whole subtree is exported")
        parser.add_argument(
            "--category",
            default="",
            choices=CATEGORY_CHOICES,
            help="a category, 'party' (probationary and full) or 'all'; default: everyone but former members",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_by_code(user=None, code=options["org"])
        if organization is None:
            raise CommandError(_("No organization has the code %(code)s.") % {"code": options["org"]})
        filters = MemberFilters(organization=organization, category=options["category"])
        members = member_list_filtered(user=None, filters=filters, today=timezone.localdate())
        with open(options["file"], "wb") as target:
            count = roster_export(
                actor=None,
                members=members,
                target=target,
                filters={"org": organization.code, "category": options["category"], "source": "command line"},
            )
        self.stdout.write(
            self.style.SUCCESS(_("%(count)d members exported to %(file)s") % {"count": count, "file": options["file"]})
        )
