"""The project's settings with bench/call_times.py's extension built first (see there)."""

from mptcrawler.settings import *  # noqa: F403
from mptcrawler.settings import EXTENSIONS

EXTENSIONS = {**EXTENSIONS, "call_times.CallTimes": -1000}
