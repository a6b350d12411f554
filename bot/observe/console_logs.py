"""LOG_FORMAT=console (the default): log lines for a person at a terminal, written by rich.

rich is imported, and its handler built, when the first line is written: `rapport run` sets
up its logging before it opens its port, and most starts log nothing until then; rich's
import was a twentieth of the time to the open port (benchmarks/README.md, Lean start).
"""

import logging

TIME_FORMAT = "[%Y-%m-%d %X]"


class ConsoleHandler(logging.Handler):
    """rich's RichHandler on stderr, built for the first record it is given."""

    def __init__(self) -> None:
        super().__init__()
        self._rich: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        # logging.Handler.handle holds this handler's lock here: one thread builds it.
        if self._rich is None:
            from rich.console import Console
            from rich.logging import RichHandler

            self._rich = RichHandler(
                console=Console(stderr=True), show_path=False, log_time_format=TIME_FORMAT
            )
            self._rich.setFormatter(self.formatter)
        self._rich.emit(record)
