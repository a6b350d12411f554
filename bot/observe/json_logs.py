"""LOG_FORMAT=json: one JSON object a line, for a log collector rather than a person.

Each line holds the time (ISO 8601, UTC, milliseconds), level, logger, replica, what the line
is about where the work knows it (bot/observe/log_context.py: platform, workspace, event_kind,
message_key) and the message as the console format writes it: the same log calls, so the
same rule holds in both (no secret, no person's words; docs/operations/logs.md).
"""

import json
import logging
from datetime import UTC, datetime

from bot.observe import log_context


class JsonFormatter(logging.Formatter):
    def __init__(self, replica: str) -> None:
        super().__init__()
        self.replica = replica

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, object] = {
            "time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "replica": self.replica,
            **log_context.current(),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
