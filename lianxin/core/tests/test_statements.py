"""statement_memory: the work_mem a report asks for holds inside the block only, on PostgreSQL;
on SQLite nothing is set and no transaction is opened."""

import pytest
from django.db import connection, transaction

from lianxin.core.statements import statement_memory

pytestmark = pytest.mark.django_db(transaction=True)


def _work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        row = cursor.fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="work_mem and JIT are PostgreSQL's")
def test_the_memory_asked_for_holds_inside_the_block_and_the_server_setting_after() -> None:
    before = _work_mem()
    with statement_memory("48MB"):
        assert _work_mem() == "48MB"
    assert _work_mem() == before != "48MB"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="work_mem and JIT are PostgreSQL's")
def test_the_applications_connections_compile_nothing() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's transactions take the write lock")
def test_on_sqlite_no_transaction_is_opened() -> None:
    with statement_memory():
        assert not transaction.get_connection().in_atomic_block


@pytest.mark.parametrize("size", ["64", "64 MB", "0MB", "64MB'; DROP TABLE x; --", "1TB"])
def test_a_size_that_is_not_one_is_refused(size: str) -> None:
    with pytest.raises(ValueError, match="not a memory size"), statement_memory(size):
        pass
