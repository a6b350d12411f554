"""Cursor-paged Web API reads (users.list, conversations.members) that wait out rate limits.

A page Slack answers with 429 is asked for again, with the same cursor, once its Retry-After
has passed: a long roster or channel resumes where it stopped instead of starting over (and
spending the limit again on pages already read). A wait longer than MAX_WAIT_SECONDS, or
more than MAX_RETRIES in a row on one page, gives up with Slack's error: the caller decides
whether to try again later.
"""

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

log = logging.getLogger(__name__)

MAX_RETRIES = 5
MAX_WAIT_SECONDS = 60.0

# One call of a paged method, given the cursor of the page wanted ("" for the first).
PageCall = Callable[[str], Awaitable[AsyncSlackResponse]]
Sleep = Callable[[float], Awaitable[None]]


async def pages(
    call: PageCall, what: str, sleep: Sleep = asyncio.sleep
) -> AsyncIterator[dict[str, Any]]:
    """Each page's body, first to last; `what` names the read in log lines."""
    cursor = ""
    while True:
        page = await _page(call, cursor, what, sleep)
        yield page
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            return


async def _page(call: PageCall, cursor: str, what: str, sleep: Sleep) -> dict[str, Any]:
    attempt = 0
    while True:
        try:
            response = await call(cursor)
            return dict(response.data) if isinstance(response.data, dict) else {}
        except SlackApiError as failure:
            wait = retry_after(failure)
            if wait is None or wait > MAX_WAIT_SECONDS or attempt == MAX_RETRIES:
                raise
            attempt += 1
            log.info("%s rate limited: the same page again in %.0fs", what, wait)
            await sleep(wait)


def retry_after(failure: SlackApiError) -> float | None:
    """Seconds Slack asked us to wait, if this was a 429."""
    if failure.response.status_code != 429:
        return None
    headers = {str(k).lower(): v for k, v in (failure.response.headers or {}).items()}
    value = headers.get("retry-after", "1")
    try:
        return max(float(value[0] if isinstance(value, list) else value), 0.0)
    except ValueError:
        return 1.0
