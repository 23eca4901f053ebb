"""The small demo city, built once into the live server's database for every test of this package.

Each of these tests walks the city as `make run` shows it (the demo accounts' pages, every link,
every list on a phone) and writes nothing a later test reads, so one build serves them all: the
city is built when the package's first test starts and the database is emptied after its last.
pytest-django would empty it after every test that uses the live server (its `_live_server_helper`
asks for `transactional_db`), so this package gives that helper its own version, which keeps the
server's settings per test but not the emptying.
"""

import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.utils import timezone
from pytest_django import DjangoDbBlocker
from pytest_django.live_server_helper import LiveServer

from lianxin.demo.builder import demo_build


@pytest.fixture(scope="package")
def demo_site(django_db_setup: None, live_server: LiveServer, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The live server's address, with the small demo city built for today."""
    with django_db_blocker.unblock():
        started = time.monotonic()
        demo_build(scale="small", today=timezone.localdate())
        print(f"\ndemo city built in {time.monotonic() - started:.1f} s")
    yield live_server.url
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper(
    request: pytest.FixtureRequest, demo_site: str, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """The server's settings for the test, and the database open to the test's own reads."""
    live_server: LiveServer = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    with django_db_blocker.unblock():
        yield
    live_server._live_server_modified_settings.disable()
