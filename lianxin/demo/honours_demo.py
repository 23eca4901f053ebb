"""The demo city's honours."""

from lianxin.demo.context import ServiceContext


def build(ctx: ServiceContext, scale: str) -> None:
    """Nothing yet."""
