"""A demo city shaped like the seeds: `python manage.py seed_demo --scale small|city`."""

from lianxin.core.demo.builder import DEFAULT_SEED, DEMO_PASSWORD, DemoSummary, demo_build, demo_exists
from lianxin.core.demo.login_help import login_help
from lianxin.core.demo.scales import SCALES

__all__ = ["DEFAULT_SEED", "DEMO_PASSWORD", "SCALES", "DemoSummary", "demo_build", "demo_exists", "login_help"]
