"""The people directory's settings: the SCIM service's token and workspace. They hold for
the whole server under the names they have always had (SCIM_* in .env.example); no workspace
changes them in chat."""

from typing import Annotated

from pydantic import BaseModel

from bot.kit.feature_settings import EnvName, Section
from bot.wiring.config import Settings


class PeopleSettings(BaseModel):
    # SCIM 2.0 at /scim/v2 (docs/features/people.md): on only with a token; it provisions
    # the workspace with this platform id, which may stay empty while there is only one.
    scim_token: Annotated[str, EnvName("SCIM_TOKEN")] = ""
    scim_workspace: Annotated[str, EnvName("SCIM_WORKSPACE")] = ""


SECTION = Section("people", PeopleSettings)


def people_settings(settings: Settings) -> PeopleSettings:
    return settings.features.of(SECTION)
