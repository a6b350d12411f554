"""Resealing every stored bot token with the first key, on SQLite and PostgreSQL."""

from cryptography.fernet import Fernet
from sqlmodel import col, select

from adapters.slack.tables import Installation
from adapters.slack.token_reseal import reseal_tokens
from bot.store.db import Database
from bot.store.secrets_at_rest import Sealer, is_sealed
from tests.conftest import START

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()
# Slack documents no fixed token length; a long one must still fit the column once sealed.
LONG = "xoxb-" + "9" * 250
COLUMN_LENGTH = 500  # installation.bot_token, migration 0009; PostgreSQL enforces it


async def store(db: Database, tokens: dict[str, str]) -> None:
    async with db.session() as session:
        for team, token in tokens.items():
            session.add(
                Installation(
                    platform="slack",
                    external_id=team,
                    bot_token=token,
                    installer_id="U0ALI",
                    installed_at=START,
                )
            )


async def stored(db: Database) -> dict[str, str]:
    async with db.session() as session:
        rows = await session.exec(
            select(Installation.external_id, Installation.bot_token).order_by(col(Installation.id))
        )
        return dict(rows.all())


async def reseal(db: Database, sealer: Sealer) -> tuple[int, int, list[str]]:
    async with db.session() as session:
        done = await reseal_tokens(session, sealer)
    return done.stored, done.changed, done.unreadable


async def test_plaintext_tokens_are_sealed_once(db: Database) -> None:
    await store(db, {"T0ALPHA": "xoxb-alpha", "T0LONG": LONG})
    sealer = Sealer([NEW])
    assert await reseal(db, sealer) == (2, 2, [])
    tokens = await stored(db)
    assert all(is_sealed(token) for token in tokens.values())
    assert "xoxb" not in "".join(tokens.values())
    assert len(tokens["T0LONG"]) <= COLUMN_LENGTH
    assert {team: sealer.open(token) for team, token in tokens.items()} == {
        "T0ALPHA": "xoxb-alpha",
        "T0LONG": LONG,
    }
    assert await reseal(db, sealer) == (2, 0, [])
    assert await stored(db) == tokens


async def test_rotation_moves_every_token_to_the_new_key(db: Database) -> None:
    old = Sealer([OLD])
    await store(db, {"T0ALPHA": old.seal("xoxb-alpha"), "T0BETA": "xoxb-beta"})
    rotated = Sealer([NEW, OLD])
    assert await reseal(db, rotated) == (2, 2, [])
    assert await reseal(db, rotated) == (2, 0, [])
    only_new = Sealer([NEW])
    assert [only_new.open(token) for token in (await stored(db)).values()] == [
        "xoxb-alpha",
        "xoxb-beta",
    ]


async def test_a_token_no_key_opens_is_named_and_left_alone(db: Database) -> None:
    lost = Sealer([OLD]).seal("xoxb-lost")
    await store(db, {"T0LOST": lost, "T0BETA": "xoxb-beta"})
    async with db.session() as session:
        org_wide = {"platform": "slack", "external_id": "", "enterprise_id": "E0LOST"}
        session.add(
            Installation(**org_wide, bot_token=lost, installer_id="U0ORA", installed_at=START)
        )
    assert await reseal(db, Sealer([NEW])) == (3, 1, ["slack T0LOST", "slack org E0LOST"])
    assert (await stored(db))["T0LOST"] == lost


async def test_refresh_tokens_are_resealed_with_their_bot_tokens(db: Database) -> None:
    """A workspace with token rotation keeps a refresh token: it moves to the new key too."""
    old = Sealer([OLD])
    async with db.session() as session:
        session.add(
            Installation(
                platform="slack",
                external_id="T0ROTATE",
                bot_token=old.seal("xoxe.xoxb-rotating"),
                bot_refresh_token=old.seal("xoxe-1-refresh"),
                installer_id="U0ALI",
                installed_at=START,
            )
        )
    await store(db, {"T0PLAIN": "xoxb-plain"})
    rotated = Sealer([NEW, OLD])
    assert await reseal(db, rotated) == (3, 3, [])
    assert await reseal(db, rotated) == (3, 0, [])
    async with db.session() as session:
        row = (
            await session.exec(select(Installation).where(Installation.external_id == "T0ROTATE"))
        ).one()
    only_new = Sealer([NEW])
    assert row.bot_refresh_token is not None and is_sealed(row.bot_refresh_token)
    assert only_new.open(row.bot_refresh_token) == "xoxe-1-refresh"
    assert only_new.open(row.bot_token) == "xoxe.xoxb-rotating"
