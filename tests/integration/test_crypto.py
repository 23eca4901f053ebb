"""Personal numbers at rest: dumps and backups keep the ciphertext, and a backup restores."""

import io
import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import connection, models
from pytest_django.fixtures import Settings

from conftest import City
from lianxin.accounts.models import User
from lianxin.accounts.services import user_create
from lianxin.core.crypto import Decrypted, looks_encrypted, lookup_hash
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

ANOTHER_KEY = Fernet.generate_key().decode()


def raw_column(model: type[models.Model], column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        value: str = cursor.fetchone()[0]
        return value


def dump(*labels: str) -> str:
    out = io.StringIO()
    call_command("dumpdata", *labels, format="json", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_dumpdata_writes_the_stored_ciphertext_not_the_numbers(city: City) -> None:
    # Given a member and an account with personal numbers
    member = make_member(city.east, mobile="13912345678")
    user = user_create(username="wang", password="x-y-z-123456", mobile="13800000009")
    # When the data is dumped
    text = dump("members.member", "accounts.user")
    # Then no number is in clear, and each field holds exactly what the database holds
    assert member.id_number not in text and "13912345678" not in text and "13800000009" not in text
    rows = {(row["model"], row["pk"]): row["fields"] for row in json.loads(text)}
    fields = rows[("members.member", member.pk)]
    assert fields["id_number"] == raw_column(Member, "id_number", member.pk)
    assert fields["mobile"] == raw_column(Member, "mobile", member.pk)
    assert rows[("accounts.user", user.pk)]["mobile"] == raw_column(User, "mobile", user.pk)
    assert looks_encrypted(fields["id_number"])


@pytest.mark.django_db
def test_a_value_set_in_memory_is_serialized_encrypted_too(city: City) -> None:
    member = make_member(city.east)
    member.mobile = "13700000001"  # a plain str, not read from the database
    from django.core import serializers

    text = serializers.serialize("json", [member])
    assert "13700000001" not in text
    assert json.loads(text)[0]["fields"]["mobile"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_and_reads_the_numbers_back(city: City, tmp_path: Path) -> None:
    # Given members and an account with personal numbers, backed up with dumpdata
    members = [make_member(city.east, mobile=f"1391234567{n}") for n in range(3)]
    user = user_create(username="wang", password="x-y-z-123456", mobile="13800000009")
    expected = {m.pk: (m.id_number, m.mobile) for m in members}
    backup = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=sessions",
        output=str(backup),
    )
    # When the database is emptied and the backup loaded into it
    call_command("flush", "--noinput")
    assert not Member.objects.exists() and not User.objects.exists()
    call_command("loaddata", str(backup))
    # Then every number reads back, and the lookup hashes find them
    restored = {m.pk: (m.id_number, m.mobile) for m in Member.objects.all()}
    assert restored == expected
    for id_number, mobile in expected.values():
        assert Member.objects.get(id_number_hash=lookup_hash(id_number)).mobile == mobile
    # (accounts are dumped by their natural key, the username, and get new ids)
    assert User.objects.get(mobile_hash=lookup_hash("13800000009")).username == user.username
    assert User.objects.get(username=user.username).mobile == "13800000009"


@pytest.mark.django_db
def test_a_dump_made_with_another_key_is_refused_and_loads_nothing(
    city: City, settings: Settings, tmp_path: Path
) -> None:
    # Given a dump of a member made under one key
    member = make_member(city.east)
    backup = tmp_path / "member.json"
    backup.write_text(dump("members.member"))
    Member.objects.all().delete()
    # When it is loaded by a server with another key
    settings.ENCRYPTION_KEY = ANOTHER_KEY
    with pytest.raises(DeserializationError) as exc:
        call_command("loaddata", str(backup))
    # Then it says the key is wrong, and nothing is written (no ciphertext stored as a number)
    assert "LIANXIN_ENCRYPTION_KEY" in str(exc.value)
    assert not Member.objects.filter(pk=member.pk).exists()


@pytest.mark.django_db
def test_a_value_read_from_the_database_remembers_its_token(city: City) -> None:
    member = Member.objects.get(pk=make_member(city.east).pk)
    assert isinstance(member.id_number, Decrypted)
    assert member.id_number.ciphertext == raw_column(Member, "id_number", member.pk)


@pytest.mark.django_db
def test_while_rotating_values_are_written_with_the_new_key_and_read_with_either(
    city: City, settings: Settings
) -> None:
    old = settings.ENCRYPTION_KEY
    member = make_member(city.east)
    settings.ENCRYPTION_KEY = f"{ANOTHER_KEY},{old}"
    assert Member.objects.get(pk=member.pk).id_number == member.id_number  # read with the old key
    other = make_member(city.east)
    token = raw_column(Member, "id_number", other.pk)
    assert Fernet(ANOTHER_KEY.encode()).decrypt(token.encode()).decode() == other.id_number


def test_only_fernet_tokens_look_encrypted() -> None:
    assert looks_encrypted(Fernet(ANOTHER_KEY.encode()).encrypt(b"13800000001").decode())
    for text in ("", "13800000001", "330902198005170011", "gAAAAA" + "x" * 120, "gAAAAA!"):
        assert not looks_encrypted(text)
