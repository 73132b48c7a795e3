"""Test-only private storage that stops half way through writing a file (see settings.py)."""

import os
import time
from pathlib import Path

from training.private_files import PrivateFileSystemStorage


class HalfWriteThenSleepStorage(PrivateFileSystemStorage):
    def _save(self, name, content):
        data = content.read()
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as file:
            file.write(data[: len(data) // 2])
            file.flush()
            os.fsync(file.fileno())
            # RQ's work horse runs in a session of its own: the test needs its pid to kill it.
            Path(os.environ["ACADEMY_TEST_SLOW_PRIVATE_WRITES"]).write_text(f"{os.getpid()} {name}")
            time.sleep(120)  # killed here by the test
            file.write(data[len(data) // 2 :])
        return name
