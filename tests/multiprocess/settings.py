"""Settings for the processes the multi-process tests start: production's, plus one test-only
switch read from the environment (nothing in the application reads it)."""

import os

from training.settings.production import *  # noqa: F403
from training.settings.production import STORAGES

# ACADEMY_TEST_SLOW_PRIVATE_WRITES=<marker file>: private files are written half, then the process
# touches the marker and sleeps, so a test can kill a worker in the middle of storing a PDF.
if os.environ.get("ACADEMY_TEST_SLOW_PRIVATE_WRITES"):
    STORAGES = {**STORAGES, "private": {**STORAGES["private"], "BACKEND": "tests.multiprocess.slow_storage.HalfWriteThenSleepStorage"}}
