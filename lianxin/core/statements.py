"""How a report's statements run: the memory each may use, asked for by the report itself.

PostgreSQL gives a sort or hash `work_mem` (4 MB by default) and writes what does not fit to
disk. A report that groups a city's rows asks for what it needs with `statement_memory`, inside
its own transaction (`SET LOCAL`), so the setting ends with the report (or with the outer
transaction, when the report runs inside one) and never depends on how the server was configured.
On SQLite it does nothing and opens no transaction.

JIT compilation is switched off for every connection in config/settings/base.py (docs/adr/0015).
"""

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.models import Model

__all__ = ["REPORT_MEMORY", "rows_read", "statement_memory"]

# Enough for the largest report of a city (the compliance board, coverage) to hash in memory.
REPORT_MEMORY = "64MB"
_SIZE = re.compile(r"^[1-9][0-9]{0,5}(kB|MB|GB)$")


@contextmanager
def statement_memory(size: str = REPORT_MEMORY, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block in a transaction on the database `using` (where the report reads: the replica
    inside replica_reads, see lianxin/core/replica.py) whose statements may use `size` of memory
    for each sort or hash (e.g. "64MB"); the server's setting returns when the block ends."""
    if not _SIZE.match(size):
        raise ValueError(f"not a memory size: {size!r}")
    connection = connections[using]
    if connection.vendor != "postgresql":
        # SQLite has no such setting, and its transactions take the write lock: none is opened.
        yield
        return
    # No savepoint: a read has nothing to undo, and inside a transaction one SET is all it costs.
    with transaction.atomic(using=using, savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{size}'")
        yield


def rows_read(model: type[Model], sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of a statement written out, read where `model`'s rows are read (the replica when the
    router says so). `{table}` in `sql` is `model`'s table, quoted.

    For the few small reads on every page (the account's roles, the bell, the public pages' stamp),
    whose building by the ORM costs more than running them. Columns come back as the database
    driver gives them: read only numbers and text this way."""
    connection = connections[router.db_for_read(model)]
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", connection.ops.quote_name(model._meta.db_table)), list(params))
        return list(cursor.fetchall())
