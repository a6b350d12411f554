"""What a feature adds to a person's home page (`Feature.home`): one `HomePart` per visit.

The home feature asks every feature for its part when someone opens the page, and lays the
page out itself: the features' buttons for the common actions in one row at the top, then
"Waiting on you" with every feature's lines of what needs the person, then each feature's own
section. So the home feature imports no feature, and a feature says what it knows without
knowing how the page is laid out.

Everything in a part is shown to the person only, and must be about what they may see.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.contract.ui import Block, Button
from bot.models import Person, Workspace
from bot.wiring.config import Settings


@dataclass(frozen=True)
class HomePart:
    # Its section of the page, shown under a divider; none for a feature with only lines.
    blocks: Sequence[Block] = ()
    # What needs the person now, one line each: a survey to answer, a question waiting.
    waiting: Sequence[str] = ()
    # Buttons for its common actions, answered by the feature's own router.
    actions: Sequence[Button] = ()


# The feature's part for `person`, as of `now`.
HomeSource = Callable[[AsyncSession, Workspace, Person, Settings, datetime], Awaitable[HomePart]]
