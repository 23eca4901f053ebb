"""A wrong encryption key says so instead of failing, and the key can be rotated."""

import logging

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.core.crypto import DecryptionError, lookup_hash
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db

NEW_KEY = Fernet.generate_key().decode()


def raw(model: type[models.Model], column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        value: str = cursor.fetchone()[0]
        return value


# ------------------------------------------------------------------------- a wrong key


def test_logging_in_with_a_wrong_key_shows_a_clear_error_and_logs_it(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Given an account with a mobile number, and a server restarted with another key
    user_create(username="wang", password=PASSWORD, mobile="13800000009")
    settings.ENCRYPTION_KEY = NEW_KEY
    client = Client()
    # When the person logs in by username
    with caplog.at_level(logging.ERROR, logger="lianxin.security"):
        response = client.post(
            reverse("accounts:login"), {"username": "wang", "password": PASSWORD}, headers={"Accept-Language": "en"}
        )
    # Then the page says what is wrong (no server error), and the administrator finds it in the log
    assert response.status_code == 503
    html = response.content.decode()
    assert "encryption key is not the one the data was written with" in html
    assert "gAAAAA" not in html
    assert any("LIANXIN_ENCRYPTION_KEY" in record.getMessage() for record in caplog.records)
    assert "_auth_user_id" not in client.session


def test_the_wrong_key_page_is_in_chinese_by_default(settings: Settings) -> None:
    user_create(username="wang", password=PASSWORD, mobile="13800000009")
    settings.ENCRYPTION_KEY = NEW_KEY
    response = Client().post(reverse("accounts:login"), {"username": "wang", "password": PASSWORD})
    assert response.status_code == 503
    assert "加密密钥" in response.content.decode()


def test_a_logged_in_page_with_a_wrong_key_answers_503_not_500(settings: Settings) -> None:
    user = user_create(username="wang", password=PASSWORD, mobile="13800000009")
    client = Client()
    client.force_login(user)
    settings.ENCRYPTION_KEY = NEW_KEY
    # A page that reads no encrypted number opens (a session does not decrypt the account's mobile);
    # the first that reads one, here whether texts can reach the account, answers 503.
    assert client.get(reverse("home")).status_code == 200
    response = client.get(reverse("notifications:settings"))
    assert response.status_code == 503


# ---------------------------------------------------------------------------- rotation


def test_rotation_re_encrypts_every_number_and_re_keys_the_lookup_hashes(city: City, settings: Settings) -> None:
    # Given members and an account written under the old key
    old_key = settings.ENCRYPTION_KEY
    members = [make_member(city.east, mobile=f"1391234500{n}") for n in range(5)]
    user = user_create(username="wang", password=PASSWORD, mobile="13800000009")
    before = {m.pk: raw(Member, "id_number", m.pk) for m in members}
    old_hashes = {m.pk: m.id_number_hash for m in members}
    # When the key is rotated (new key first, old key after), two rows at a time
    settings.ENCRYPTION_KEY = f"{NEW_KEY},{old_key}"
    call_command("rotate_encryption_key", batch_size=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    # Then, with the new key alone, every number reads back and every lookup finds its row
    settings.ENCRYPTION_KEY = NEW_KEY
    new = Fernet(NEW_KEY.encode())
    for member in members:
        stored = Member.objects.get(pk=member.pk)
        assert (stored.id_number, stored.mobile) == (member.id_number, member.mobile)
        token = raw(Member, "id_number", member.pk)
        assert token != before[member.pk]
        assert new.decrypt(token.encode()).decode() == member.id_number
        assert stored.id_number_hash == lookup_hash(member.id_number) != old_hashes[member.pk]
        assert Member.objects.get(mobile_hash=lookup_hash(member.mobile)).pk == member.pk
    assert User.objects.get(pk=user.pk).mobile == "13800000009"
    assert authenticate(username="13800000009", password=PASSWORD) == user  # login by mobile number
    assert authenticate(username="wang", password=PASSWORD) == user
    # and the old key alone no longer opens them
    settings.ENCRYPTION_KEY = old_key
    with pytest.raises(DecryptionError):
        Member.objects.get(pk=members[0].pk)


def test_rotation_needs_the_new_and_the_old_key_and_changes_nothing_without(city: City) -> None:
    member = make_member(city.east)
    before = raw(Member, "id_number", member.pk)
    with pytest.raises(CommandError, match="NEW,OLD"):
        call_command("rotate_encryption_key")
    assert raw(Member, "id_number", member.pk) == before


def test_a_value_no_key_opens_stops_the_rotation_and_nothing_is_changed(city: City, settings: Settings) -> None:
    # Given members under the old key, and one written under a key nobody has any more
    old_key = settings.ENCRYPTION_KEY
    members = [make_member(city.east) for _ in range(3)]
    settings.ENCRYPTION_KEY = Fernet.generate_key().decode()
    stray = make_member(city.east)
    before = {m.pk: (raw(Member, "id_number", m.pk), m.id_number_hash) for m in [*members, stray]}
    # When the key is rotated from the old key, in batches
    settings.ENCRYPTION_KEY = f"{NEW_KEY},{old_key}"
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("rotate_encryption_key", batch_size=1)
    # Then no row was rewritten
    after = {
        pk: (raw(Member, "id_number", pk), Member.objects.values_list("id_number_hash", flat=True).get(pk=pk))
        for pk in before
    }
    assert after == before
