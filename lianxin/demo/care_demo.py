"""The demo city's care visits."""

from lianxin.demo.context import ServiceContext


def build(ctx: ServiceContext, scale: str) -> None:
    """Nothing yet."""
