"""LOG_FORMAT=json: one JSON object a line, saying what each line is about where it is known,
never the id of the event (which with the time would date what a person did)."""

import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from adapters.local.platform import LocalPlatform
from bot.contract.app import Bot
from bot.contract.context import Context
from bot.contract.events import Actor, Command
from bot.contract.router import Router
from bot.contract.ui import Destination, text_message
from bot.delivery.outbox import OutboxWriter, Sender
from bot.kit.people import ensure_workspace
from bot.observe import log_context
from bot.observe.json_logs import JsonFormatter
from bot.store.db import Database
from bot.time.clock import VirtualClock
from bot.wiring.config import Settings

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class Lines(logging.Handler):
    """Keeps every record formatted as JSON, as `rapport run` writes it with LOG_FORMAT=json."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(JsonFormatter("replica-7"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def parsed(self) -> list[dict[str, str]]:
        return [json.loads(line) for line in self.lines]


@pytest.fixture
def lines() -> Iterator[Lines]:
    handler = Lines()
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_line_is_one_object_with_utc_time_level_logger_and_replica(lines: Lines) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("rapport.test").exception("it went %s", "wrong")
    [line] = lines.lines
    assert "\n" not in line
    [record] = lines.parsed()
    assert ISO_UTC.match(record["time"]), record["time"]
    assert (record["level"], record["logger"]) == ("ERROR", "rapport.test")
    assert (record["replica"], record["message"]) == ("replica-7", "it went wrong")
    assert "ValueError: boom" in record["exception"]
    assert "workspace" not in record


def test_what_a_line_is_about_holds_inside_and_ends_outside(lines: Lines) -> None:
    log = logging.getLogger("rapport.test")
    with log_context.about(workspace="T1", message_key=""):
        with log_context.about(message_key="local:Ev1:0"):
            log.info("inner")
        log.info("outer")
    log.info("after")
    inner, outer, after = lines.parsed()
    assert (inner["workspace"], inner["message_key"]) == ("T1", "local:Ev1:0")
    assert outer["workspace"] == "T1" and "message_key" not in outer
    assert "workspace" not in after


async def test_lines_logged_while_handling_name_the_workspace_but_not_the_event(
    db: Database, lines: Lines
) -> None:
    router = Router()
    handler_log = logging.getLogger("handlers.test")

    @router.command("hello")
    async def hello(ctx: Context, event: Command) -> None:
        handler_log.info("saying hello")

    settings = Settings(_env_file=None, database_url=db.url)
    bot = Bot(db, router, settings, VirtualClock(START), {"local": LocalPlatform()})
    command = Command(
        event_id="Ev-secret-1",
        platform="local",
        workspace="T1",
        actor=Actor(id="ann", name="Ann"),
        channel="general",
        name="hello",
    )
    assert (await bot.dispatch(command)).status == "handled"
    [line] = [r for r in lines.parsed() if r["logger"] == "handlers.test"]
    assert (line["platform"], line["workspace"], line["event_kind"]) == ("local", "T1", "command")
    assert "Ev-secret-1" not in "\n".join(lines.lines)


async def test_a_failed_send_names_its_message_key(db: Database, lines: Lines) -> None:
    clock = VirtualClock(START)
    async with db.session() as session:
        workspace = await ensure_workspace(session, "local", "T1", "Acme", START)
        writer = OutboxWriter(session, workspace, "test", START)
        [key] = [writer.add(Destination(kind="channel", channel="general"), text_message("hi"))]
    platform = LocalPlatform(fail_next=[ConnectionError("platform unreachable")])
    settings = Settings(_env_file=None, database_url=db.url)
    await Sender(db, {"local": platform}, clock, settings, "a").drain()
    [failed] = [r for r in lines.parsed() if "failed" in r["message"]]
    assert (failed["workspace"], failed["message_key"]) == ("T1", key)
