"""The Teams adapter's settings: the connection under the names the Microsoft 365 Agents SDK
reads (CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*), Microsoft Graph for the people
directory (GRAPH_*), and the window of its tables, read whether or not Teams is configured.
Each keeps its environment name (`EnvName`) and holds for the whole deployment; no
workspace changes them in chat."""

from typing import Annotated

from pydantic import BaseModel, Field

from bot.kit.feature_settings import EnvName, Section
from bot.wiring.config import Settings

_CONNECTION = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


class TeamsSettings(BaseModel):
    # The bot's Entra app registration; without a client id, Teams is served only with
    # anonymous access on (local testing, never production).
    client_id: Annotated[str, EnvName(f"{_CONNECTION}CLIENTID")] = ""
    client_secret: Annotated[str, EnvName(f"{_CONNECTION}CLIENTSECRET")] = ""
    tenant_id: Annotated[str, EnvName(f"{_CONNECTION}TENANTID")] = ""
    anonymous_allowed: Annotated[bool, EnvName(f"{_CONNECTION}ANONYMOUS_ALLOWED")] = False
    # Microsoft Graph for the people directory (docs/platforms/teams.md): departments,
    # offices and managers of Teams people. Off unless the client id and secret are set; the
    # tenant id limits it to one tenant (empty: every tenant that consented to the app).
    graph_tenant_id: Annotated[str, EnvName("GRAPH_TENANT_ID")] = ""
    graph_client_id: Annotated[str, EnvName("GRAPH_CLIENT_ID")] = ""
    graph_client_secret: Annotated[str, EnvName("GRAPH_CLIENT_SECRET")] = ""
    graph_base_url: Annotated[str, EnvName("GRAPH_BASE_URL")] = "https://graph.microsoft.com/v1.0"
    graph_login_url: Annotated[str, EnvName("GRAPH_LOGIN_URL")] = (
        "https://login.microsoftonline.com"
    )
    # Hours between two refreshes of a tenant's people from Graph (its delta query).
    graph_refresh_hours: Annotated[int, EnvName("GRAPH_REFRESH_HOURS")] = Field(
        default=6, ge=1, le=168
    )
    # Days a message is remembered to credit reactions to it (0: for ever).
    messages_retention_days: Annotated[int, EnvName("RETENTION_TEAMS_MESSAGES_DAYS")] = Field(
        default=30, ge=0
    )


SECTION = Section("teams", TeamsSettings)


def teams_settings(settings: Settings) -> TeamsSettings:
    return settings.features.of(SECTION)
