"""The demo city's party dues."""

from lianxin.demo.context import ServiceContext


def build(ctx: ServiceContext, scale: str) -> None:
    """Nothing yet."""
