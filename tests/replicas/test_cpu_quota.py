"""The CPU quota the replicas benchmark holds each replica to (tests/replicas/cpu_quota.py)."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.replicas import cpu_quota

SAFETY_SECONDS = 60


def test_a_process_that_wants_a_whole_core_is_stopped_at_its_quota() -> None:
    spinning = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        try:
            quota = cpu_quota.hold(spinning.pid, f"rapport-test-{spinning.pid}", 100)
        except cpu_quota.QuotaUnavailable as missing:
            pytest.skip(f"cannot set a CPU quota here: {missing}")
        assert (quota.path / "cgroup.procs").read_text().split() == [str(spinning.pid)]
        deadline = time.monotonic() + SAFETY_SECONDS
        while quota.throttled()[1] < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        # Spinning, it uses its 10 ms of a 100 ms period and is stopped for the rest.
        assert quota.throttled()[1] >= 3
    finally:
        spinning.kill()
        spinning.wait()
    quota.remove()
    assert not Path(quota.path).exists()
