from lianxin.residents.tests.factories import empty_outbox

__all__ = ["empty_outbox"]
