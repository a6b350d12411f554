"""The logger handed to slack-bolt, which writes whole request bodies into some of its lines.

Bolt logs the body of a request that fails its signature check, that no listener handles, or
whose listener raised: people's texts, anonymous comments and ids. Those lines keep their
opening words (what happened) and lose the rest. Bolt copies a base logger's filters onto each
logger it derives, so the one filter here covers its middleware and listeners too.
"""

import logging

NAME = "adapters.slack.bolt"
# Bolt's lines put the request after the first of these ("... detected (signature: ...,
# body: {...})", "Unhandled request ({...})", "Request body: {...}", or the body alone).
PAYLOAD_STARTS = ("(", "{", "[", "body:", "Body:")
WITHHELD = "a Slack request (its content is not logged)"


class WithoutPayloads(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cut = min((at for start in PAYLOAD_STARTS if (at := message.find(start)) >= 0), default=-1)
        if cut >= 0:
            record.msg = message[:cut].rstrip(" :-") or WITHHELD
            record.args = ()
        return True


def bolt_logger() -> logging.Logger:
    logger = logging.getLogger(NAME)
    if not any(isinstance(existing, WithoutPayloads) for existing in logger.filters):
        logger.addFilter(WithoutPayloads())
    return logger
