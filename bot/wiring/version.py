"""Which Rapport this is: the installed distribution's version, as `rapport --version` and
/healthz report it, so that an operator can tell which replicas an upgrade has reached."""

from functools import cache
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "rapport"


@cache
def rapport_version() -> str:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
