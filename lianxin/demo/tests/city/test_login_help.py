"""The login help `make run` prints gives the counts the accounts will see, read by the pages' own selectors."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.demands.selectors.handling import demand_to_handle_counts
from lianxin.demo.builder import DEMO_PASSWORD
from lianxin.demo.login_help import login_help
from lianxin.demo.tests.city.city import DemoCity

pytestmark = pytest.mark.django_db


def test_the_handlers_line_gives_the_count_their_inbox_and_workbench_show(demo_city: DemoCity) -> None:
    handler = User.objects.get(username="handler")
    counts = demand_to_handle_counts(user=handler)
    assert counts.overdue >= 1 and counts.total > counts.overdue  # the demo gives the handler work in every state

    # the help printed by `seed_demo` and printed again now say the same numbers
    for output in (demo_city.first_output, login_help()):
        assert f"（现有{counts.total}件待办，其中{counts.overdue}件已超期）" in output
        assert f"({counts.total} now, {counts.overdue} of them overdue)" in output

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="handler", password=DEMO_PASSWORD)
    inbox = client.get(reverse("demands:inbox")).content.decode()
    badge = re.search(r'id="to-handle">\s*<h2>[^<]*<span class="badge">(\d+)</span>', inbox)
    assert badge is not None and int(badge.group(1)) == counts.total
    home = client.get(reverse("home")).content.decode()
    assert f'data-waiting="demands-to-handle"><strong class="tile-n">{counts.total}</strong>' in home
    assert f"overdue {counts.overdue}" in home
