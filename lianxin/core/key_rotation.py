"""Re-encrypting personal data under a new key, with the lookup hashes re-keyed.

The lookup hash (`<field>_hash` beside an `EncryptedTextField`) is keyed by a key derived
from the current encryption key, so a rotation recomputes it from the decrypted value as
it re-encrypts. Everything happens in one transaction, a batch of rows at a time: a value
that none of the keys opens stops the rotation and nothing is changed.
"""

from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from lianxin.core.bulk import bulk_update_fields
from lianxin.core.crypto import EncryptedTextField, lookup_hash
from lianxin.core.keys import key_list

DEFAULT_BATCH_SIZE = 1000


@dataclass(frozen=True)
class EncryptedModel:
    model: type[models.Model]
    fields: tuple[str, ...]
    # (encrypted field, its lookup hash field)
    hashed: tuple[tuple[str, str], ...]

    @property
    def label(self) -> str:
        return self.model._meta.label


@dataclass
class RotationResult:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def encrypted_models() -> list[EncryptedModel]:
    """Every concrete model with encrypted fields, and the hash field of each where there is one."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        names = tuple(f.name for f in meta.concrete_fields if isinstance(f, EncryptedTextField))
        if not names:
            continue
        concrete = {f.name for f in meta.concrete_fields}
        hashed = tuple((name, f"{name}_hash") for name in names if f"{name}_hash" in concrete)
        found.append(EncryptedModel(model, names, hashed))
    return found


def _rows_write(model: type[models.Model], batch: list[models.Model], columns: list[str]) -> None:
    """Save `columns` of the rows: COPY and one UPDATE on PostgreSQL; elsewhere one UPDATE per row,
    sent together, far faster than `bulk_update`'s CASE for wide batches."""
    if connection.vendor == "postgresql":
        bulk_update_fields(model, {tuple(columns): batch})
        return
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in columns]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(str(pk.column))} = %s"
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields] + [obj.pk]
        for obj in batch
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def rotation_is_configured() -> bool:
    """True when the setting holds the new key first and at least one old key after it."""
    return len(key_list(settings.ENCRYPTION_KEY)) >= 2


@transaction.atomic
def encryption_key_rotate(*, batch_size: int = DEFAULT_BATCH_SIZE) -> RotationResult:
    """Write every encrypted value again with the first key and recompute its lookup hash.

    Values are read with any of the configured keys. Raises `DecryptionError` (and the
    transaction rolls back) when a value opens with none of them.
    """
    result = RotationResult()
    for entry in encrypted_models():
        manager = entry.model._base_manager
        columns = [*entry.fields, *(hash_field for _name, hash_field in entry.hashed)]
        rows = manager.order_by("pk").only("pk", *columns)
        done = 0
        last_pk = None
        while True:
            batch = list((rows if last_pk is None else rows.filter(pk__gt=last_pk))[:batch_size])
            if not batch:
                break
            for obj in batch:
                for name, hash_field in entry.hashed:
                    setattr(obj, hash_field, lookup_hash(str(getattr(obj, name) or "")))
            _rows_write(entry.model, batch, columns)
            done += len(batch)
            last_pk = batch[-1].pk
        result.rows[entry.label] = done
    return result
