"""Sealing secrets at rest: round trip, rotation, plaintext from before keys, bad keys."""

import pytest

from bot.store.secrets_at_rest import MARKER, InvalidKeys, Sealer, Unreadable, is_sealed

TOKEN = "xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
# Fixed keys: test ids built from them must be the same in every xdist worker.
OLD = "4Jzg0WxBa36zv9ElWvlUfSphITaUkw8HMDD9IV21N2k="
NEW = "aPDP67AwjSQ7c_hZC5bH972M_SgnGmgxDKZLBY554jo="


def test_a_sealed_secret_opens_to_itself_and_shows_nothing_of_it() -> None:
    sealer = Sealer([NEW])
    sealed = sealer.seal(TOKEN)
    assert sealed.startswith(MARKER) and is_sealed(sealed)
    assert TOKEN not in sealed and "xoxb" not in sealed
    assert sealer.open(sealed) == TOKEN
    assert sealer.seal(TOKEN) != sealed  # a fresh IV each time


def test_the_first_key_seals_and_every_key_opens() -> None:
    sealed_with_old = Sealer([OLD]).seal(TOKEN)
    rotated = Sealer.from_setting(f" {NEW} , {OLD},")
    assert rotated.open(sealed_with_old) == TOKEN
    resealed = rotated.reseal(sealed_with_old)
    assert resealed is not None
    assert Sealer([NEW]).open(resealed) == TOKEN  # the old key is no longer needed
    with pytest.raises(Unreadable):
        Sealer([OLD]).open(resealed)


def test_resealing_what_the_first_key_sealed_changes_nothing() -> None:
    sealer = Sealer([NEW, OLD])
    assert sealer.reseal(sealer.seal(TOKEN)) is None


def test_a_plaintext_secret_from_before_keys_is_read_and_resealed() -> None:
    sealer = Sealer([NEW])
    assert not is_sealed(TOKEN)
    assert sealer.open(TOKEN) == TOKEN
    resealed = sealer.reseal(TOKEN)
    assert resealed is not None and is_sealed(resealed)
    assert sealer.open(resealed) == TOKEN


def test_without_keys_secrets_are_stored_as_given() -> None:
    sealer = Sealer.from_setting("")
    assert not sealer.sealing
    assert sealer.seal(TOKEN) == TOKEN
    assert sealer.open(TOKEN) == TOKEN
    with pytest.raises(Unreadable, match="TOKEN_ENCRYPTION_KEYS is empty"):
        sealer.open(Sealer([NEW]).seal(TOKEN))
    with pytest.raises(InvalidKeys, match="nothing to seal with"):
        sealer.reseal(TOKEN)


def test_a_value_no_key_opens_is_unreadable_without_showing_it() -> None:
    sealed = Sealer([OLD]).seal(TOKEN)
    for stored in (sealed, sealed[:-4] + "AAAA", MARKER + "not-a-fernet-token"):
        with pytest.raises(Unreadable) as unreadable:
            Sealer([NEW]).open(stored)
        assert stored.removeprefix(MARKER) not in str(unreadable.value)


@pytest.mark.parametrize(
    "keys",
    ["not-a-key", f"{NEW},short", "é" * 44, NEW[:-2]],
    ids=["not-base64", "second-bad", "not-ascii", "truncated"],
)
def test_a_bad_key_is_a_configuration_error_that_does_not_repeat_it(keys: str) -> None:
    with pytest.raises(InvalidKeys, match=r"TOKEN_ENCRYPTION_KEYS: key [12] is not a valid") as bad:
        Sealer.from_setting(keys)
    assert all(key not in str(bad.value) for key in keys.split(","))
    assert "Fernet.generate_key()" in str(bad.value)
