"""Values kept for a while and within a bound (bot/kit/expiring.py)."""

from bot.kit.expiring import Expiring


def test_a_value_is_found_while_fresh_none_included() -> None:
    kept: Expiring[str, int | None] = Expiring(3600, 10)
    kept.put("ann", None)
    assert kept.find("ann") == (None,)
    assert kept.find("bob") is None


def test_an_expired_value_is_not_found() -> None:
    kept: Expiring[str, int] = Expiring(0, 10)
    kept.put("ann", 1)
    assert kept.find("ann") is None


def test_the_least_lately_used_leaves_first() -> None:
    kept: Expiring[str, int] = Expiring(3600, 2)
    kept.put("ann", 1)
    kept.put("bob", 2)
    assert kept.find("ann") == (1,)
    kept.put("cat", 3)
    assert [kept.find(name) for name in ("ann", "bob", "cat")] == [(1,), None, (3,)]
