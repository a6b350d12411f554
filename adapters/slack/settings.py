"""The Slack adapter's settings: credentials, OAuth installs, the Web API's address and what
the people directory reads. They hold for the whole deployment under the names they have
always had (SLACK_* in .env.example); no workspace changes them in chat. The keys sealing
stored tokens (TOKEN_ENCRYPTION_KEYS) are the core's: they seal pulse's secrets too."""

from typing import Annotated

from pydantic import BaseModel, Field

from bot.kit.feature_settings import EnvName, Section
from bot.wiring.config import Settings


class SlackSettings(BaseModel):
    bot_token: Annotated[str, EnvName("SLACK_BOT_TOKEN")] = ""
    signing_secret: Annotated[str, EnvName("SLACK_SIGNING_SECRET")] = ""
    # With an app-level token, Socket Mode runs beside (or instead of) POST /slack/events.
    app_token: Annotated[str, EnvName("SLACK_APP_TOKEN")] = ""
    # With a client id and secret, each workspace installs Rapport through OAuth and gets its
    # own bot token (bot_token is then unused).
    client_id: Annotated[str, EnvName("SLACK_CLIENT_ID")] = ""
    client_secret: Annotated[str, EnvName("SLACK_CLIENT_SECRET")] = ""
    redirect_uri: Annotated[str, EnvName("SLACK_REDIRECT_URI")] = ""
    api_base_url: Annotated[str, EnvName("SLACK_API_BASE_URL")] = "https://slack.com/api/"
    # Profile fields holding each member's department and location, for the people
    # directory: `title`, or a custom profile field's id (Xf0123ABC); empty: not read.
    department_field: Annotated[str, EnvName("SLACK_DEPARTMENT_FIELD")] = ""
    location_field: Annotated[str, EnvName("SLACK_LOCATION_FIELD")] = ""
    # Slack slash command (without "/") -> bot command, for a command renamed where its name
    # clashes in a workspace ({"thanks": "kudos"}); a name not listed is used as is.
    commands: Annotated[dict[str, str], EnvName("SLACK_COMMANDS")] = Field(default_factory=dict)

    def configured(self) -> bool:
        """Whether Slack is served: a bot token or OAuth installs, and the signing secret."""
        return bool((self.bot_token or self.client_id) and self.signing_secret)


SECTION = Section("slack", SlackSettings)


def slack_settings(settings: Settings) -> SlackSettings:
    return settings.features.of(SECTION)
