import gc
from collections.abc import Iterator

import pytest

from bot.wiring import heap


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)
    gc.enable()


@pytest.mark.usefixtures("restored_gc")
def test_startup_objects_leave_every_later_collection() -> None:
    built_at_startup: list[list[int]] = [[] for _ in range(10)]
    frozen_before = gc.get_freeze_count()
    heap.settle_after_startup()
    assert gc.get_freeze_count() >= frozen_before + len(built_at_startup)
    assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD


@pytest.mark.usefixtures("restored_gc")
def test_garbage_made_after_startup_is_still_collected() -> None:
    heap.settle_after_startup()
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1


@pytest.mark.usefixtures("restored_gc")
def test_no_collection_runs_while_the_bot_starts_and_they_resume_once_settled() -> None:
    heap.hold_during_startup()
    assert not gc.isenabled()
    heap.settle_after_startup()
    assert gc.isenabled()
