"""The test settings with the floor pages of bench/floor_urls.py added (bench/roster_load.py)."""

from config.settings.test import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
