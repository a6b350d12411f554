"""Secrets the bot keeps in its database (a workspace's bot token), sealed with Fernet keys.

A copy of the database (a backup, a dump shared for debugging) then holds no usable
credential. Keys come from TOKEN_ENCRYPTION_KEYS: the first seals, every one opens, so a new key
goes first and the old ones stay until `rapport secrets reseal` has moved every row to it.

A sealed value carries MARKER before the Fernet token; a value without it is a plaintext
secret stored before keys were set (or with none set), and is read as it is.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.fernet import Fernet, MultiFernet

MARKER = "fernet:"
KEY_HELP = (
    "a Fernet key is 32 url-safe base64-encoded bytes; make one with: "
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


class InvalidKeys(ValueError):
    """TOKEN_ENCRYPTION_KEYS holds something that is not a Fernet key."""


class Unreadable(Exception):
    """A sealed value that none of the configured keys opens."""


def is_sealed(stored: str) -> bool:
    return stored.startswith(MARKER)


def _fernet(position: int, key: str) -> "Fernet":
    # cryptography is imported only where there are keys: without them the bot never needs it.
    from cryptography.fernet import Fernet

    try:
        return Fernet(key)
    except ValueError:
        # The message never repeats the key: it would end up in logs.
        raise InvalidKeys(
            f"TOKEN_ENCRYPTION_KEYS: key {position} is not a valid key; {KEY_HELP}"
        ) from None


class Sealer:
    """Seals secrets with the first key and opens them with any; without keys, stores them
    as given."""

    def __init__(self, keys: Sequence[str] = ()) -> None:
        fernets = [_fernet(position, key) for position, key in enumerate(keys, 1)]
        self._first = fernets[0] if fernets else None
        self._any = _any_of(fernets)

    @classmethod
    def from_setting(cls, keys: str) -> "Sealer":
        """From the comma-separated TOKEN_ENCRYPTION_KEYS; raises InvalidKeys."""
        return cls([key.strip() for key in keys.split(",") if key.strip()])

    @property
    def sealing(self) -> bool:
        return self._first is not None

    def seal(self, secret: str) -> str:
        if self._first is None:
            return secret
        return MARKER + self._first.encrypt(secret.encode()).decode()

    def open(self, stored: str) -> str:
        """The secret in a stored value, sealed or plaintext; raises Unreadable."""
        if not is_sealed(stored):
            return stored
        if self._any is None:
            raise Unreadable("the value is sealed but TOKEN_ENCRYPTION_KEYS is empty")
        from cryptography.fernet import InvalidToken

        try:
            return self._any.decrypt(_token(stored)).decode()
        except InvalidToken:
            raise Unreadable("none of the TOKEN_ENCRYPTION_KEYS opens the value") from None

    def reseal(self, stored: str) -> str | None:
        """The value sealed with the first key, or None when it already is (nothing to
        write); raises Unreadable."""
        if self._first is None:
            raise InvalidKeys(f"TOKEN_ENCRYPTION_KEYS is empty: nothing to seal with; {KEY_HELP}")
        if is_sealed(stored) and self._opens_with_first(stored):
            return None
        return self.seal(self.open(stored))

    def _opens_with_first(self, stored: str) -> bool:
        from cryptography.fernet import InvalidToken

        assert self._first is not None
        try:
            self._first.decrypt(_token(stored))
        except InvalidToken:
            return False
        return True


def _any_of(fernets: list["Fernet"]) -> "MultiFernet | None":
    if not fernets:
        return None
    from cryptography.fernet import MultiFernet

    return MultiFernet(fernets)


def _token(stored: str) -> bytes:
    return stored.removeprefix(MARKER).encode()
