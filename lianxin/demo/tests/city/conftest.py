"""The small demo city, built once for every module of this package.

It is built the way `make run` does it (`seed_demo --scale small --if-empty`, twice, in the
project's language) inside a transaction that is rolled back when the package's last test has run.
How its development part began is kept, so a test can run that part again alone. Each test
still runs in its own savepoint, so what one test writes is gone before the next.
"""

import io
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker

from lianxin.demo.tests.city.city import DemoCity, demo_counts, development_recorded


@pytest.fixture(scope="package")
def demo_city(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoCity]:
    with django_db_blocker.unblock(), transaction.atomic():
        built_at = timezone.now()
        built_for = timezone.localdate(built_at)
        first, second = io.StringIO(), io.StringIO()
        with translation.override(settings.LANGUAGE_CODE), development_recorded() as runs:
            call_command("seed_demo", "--scale", "small", "--if-empty", stdout=first)
            counts = demo_counts()
            call_command("seed_demo", "--scale", "small", "--if-empty", stdout=second)
        yield DemoCity(built_for, first.getvalue(), second.getvalue(), counts, development=runs[0], built_at=built_at)
        transaction.set_rollback(True)
