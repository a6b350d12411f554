"""A CPU quota per process, as a Kubernetes CPU limit gives each pod (`resources.limits.cpu`).

On a machine with two cores, a second replica adds a process, not a core: it competes with
the first, PostgreSQL, the fake platform and the load generator for the same two. Holding each
replica to the same quota makes a replica's capacity its own, as on a node of its own, and
leaves the rest of the machine to what the replicas share; the ratio of two replicas to one
then says whether the replicas hold each other back (locks, claims, the database), which is
what the replicas benchmark (benchmarks/replicas.py, `--cpu-limit`) asks.

The kernel's CFS bandwidth control does it, as the kubelet does: `millicores` of each 100 ms
period, over the cgroup v1 `cpu` controller or cgroup v2's `cpu.max`. Needs permission to
make cgroups (root, or a delegated subtree); a clear error says when it is missing.
"""

from dataclasses import dataclass
from pathlib import Path

PERIOD_MICROSECONDS = 100_000
V1 = Path("/sys/fs/cgroup/cpu")
V2 = Path("/sys/fs/cgroup")


class QuotaUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Quota:
    """One cgroup holding one process to `millicores` thousandths of a core."""

    path: Path
    millicores: int

    def throttled(self) -> tuple[int, int]:
        """Periods the process ran in, and those it was stopped in for having used its quota."""
        stat = dict(
            line.split() for line in (self.path / "cpu.stat").read_text().splitlines() if line
        )
        return int(stat.get("nr_periods", 0)), int(stat.get("nr_throttled", 0))

    def remove(self) -> None:
        # A cgroup goes once its processes have left it (they ended).
        if self.path.exists():
            self.path.rmdir()


def hold(pid: int, name: str, millicores: int) -> Quota:
    """Put process `pid` (all its threads) in a cgroup of its own limited to `millicores`."""
    quota = millicores * PERIOD_MICROSECONDS // 1000
    if (V1 / "cpu.cfs_quota_us").exists():
        group = _made(V1 / name)
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_MICROSECONDS))
        (group / "cpu.cfs_quota_us").write_text(str(quota))
    elif "cpu" in _read(V2 / "cgroup.controllers").split():
        group = _made(V2 / name)
        if not (group / "cpu.max").exists():
            raise QuotaUnavailable(f"the cpu controller is not enabled for {V2}'s children")
        (group / "cpu.max").write_text(f"{quota} {PERIOD_MICROSECONDS}")
    else:
        raise QuotaUnavailable("no cgroup cpu controller here (/sys/fs/cgroup)")
    (group / "cgroup.procs").write_text(str(pid))
    return Quota(group, millicores)


def _made(path: Path) -> Path:
    try:
        path.mkdir(exist_ok=True)
    except OSError as failure:
        raise QuotaUnavailable(f"cannot make a cgroup at {path}: {failure}") from failure
    return path


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""
