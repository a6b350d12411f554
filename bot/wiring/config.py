"""Settings from the environment (and `.env`); every field is documented in .env.example.

Features declare their own settings (bot/kit/feature_settings.py); `features` holds the defaults
the environment gave them, read by the wiring when a command starts.
"""

from typing import Literal

from pydantic import Field, PrivateAttr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.kit.feature_settings import FeatureDefaults


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./rapport.db"
    database_pool_size: int = Field(default=5, ge=1)
    database_max_overflow: int = Field(default=5, ge=0)
    log_level: str = "INFO"
    # console: for people (the default); json: one JSON object a line, for a log collector.
    log_format: Literal["console", "json"] = "console"
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    replica_id: str = ""
    default_timezone: str = "UTC"
    # The language of channel posts and of people whose platform names none Rapport speaks,
    # until an admin picks another with `/rapport settings workspace-language` (bot.kit.i18n).
    workspace_language: Literal["en", "fr", "de", "es", "ja"] = "en"
    # When set, GET /metrics answers only requests with `Authorization: Bearer <token>`.
    metrics_token: str = ""
    seed_demo: bool = True

    public_base_url: str = ""

    scheduler_tick_seconds: float = Field(default=5.0, gt=0)
    scheduler_batch_size: int = Field(default=20, ge=1, le=500)
    scheduler_grace_seconds: int = Field(default=3600, ge=0)

    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    outbox_max_attempts: int = Field(default=8, ge=1)
    outbox_backoff_seconds: float = Field(default=2.0, gt=0)
    outbox_lease_seconds: int = Field(default=120, ge=1)
    # Conversations sent to at once; messages within one always go out one after another.
    outbox_concurrency: int = Field(default=8, ge=1)

    # Durable intake (bot/delivery/intake.py): how long a replica holds an inbound event it works on
    # (renewed while it lives), how often it looks for events a dead replica left, how many
    # it works on at once, and how often one is tried before it is left dead.
    intake_lease_seconds: float = Field(default=30.0, gt=0)
    intake_poll_seconds: float = Field(default=1.0, gt=0)
    intake_concurrency: int = Field(default=8, ge=1)
    intake_max_attempts: int = Field(default=5, ge=1)
    intake_backoff_seconds: float = Field(default=2.0, gt=0)

    # Retention windows in days, one per kind of the core's data; 0 keeps that kind for ever.
    # A feature's or adapter's own kinds have their windows in its settings model.
    retention_interactions_days: int = Field(default=395, ge=0)
    retention_sent_outbox_days: int = Field(default=90, ge=0)
    retention_channel_posts_days: int = Field(default=395, ge=0)
    retention_sent_files_days: int = Field(default=7, ge=0)
    retention_processed_events_days: int = Field(default=30, ge=0)
    retention_inbound_events_days: int = Field(default=7, ge=0)
    retention_audit_days: int = Field(default=730, ge=0)
    retention_done_work_days: int = Field(default=90, ge=0)
    retention_departed_people_days: int = Field(default=180, ge=0)
    retention_batch_size: int = Field(default=1000, ge=1)

    # SCIM 2.0 at /scim/v2 (docs/features/people.md): on only with a token; it provisions
    # the workspace with this platform id, which may stay empty while there is only one.
    scim_token: str = ""
    scim_workspace: str = ""

    openai_api_key: str = ""
    openai_base_url: str = ""

    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    # With a client id and secret, each workspace installs Rapport through OAuth and gets its
    # own bot token (slack_bot_token is then unused).
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_redirect_uri: str = ""
    # Comma-separated Fernet keys sealing the bot tokens kept in the database (OAuth
    # installs): the first seals, every one opens. Empty: tokens are stored as given.
    token_encryption_keys: str = ""
    slack_api_base_url: str = "https://slack.com/api/"
    # Profile fields holding each member's department and location, for the people
    # directory: `title`, or a custom profile field's id (Xf0123ABC); empty: not read.
    slack_department_field: str = ""
    slack_location_field: str = ""
    # Slack slash command (without "/") -> bot command, for a command renamed where its name
    # clashes in a workspace ({"thanks": "kudos"}); a name not listed is used as is.
    slack_commands: dict[str, str] = Field(default_factory=dict)

    discord_token: str = ""
    discord_message_content: bool = False
    discord_members_intent: bool = False
    # Role names that are departments, comma-separated: a member's department is the first
    # of these they hold (the people directory; needs the members intent).
    discord_department_roles: str = ""
    discord_api_base_url: str = ""

    # Microsoft Teams, under the names the Microsoft 365 Agents SDK reads.
    connections__service_connection__settings__clientid: str = ""
    connections__service_connection__settings__clientsecret: str = ""
    connections__service_connection__settings__tenantid: str = ""
    connections__service_connection__settings__anonymous_allowed: bool = False
    # Microsoft Graph for the people directory (docs/platforms/teams.md): departments,
    # offices and managers of Teams people. Off unless the client id and secret are set; the
    # tenant id limits it to one tenant (empty: every tenant that consented to the app).
    graph_tenant_id: str = ""
    graph_client_id: str = ""
    graph_client_secret: str = ""
    graph_base_url: str = "https://graph.microsoft.com/v1.0"
    graph_login_url: str = "https://login.microsoftonline.com"
    # Hours between two refreshes of a tenant's people from Graph (its delta query).
    graph_refresh_hours: int = Field(default=6, ge=1, le=168)

    _features: FeatureDefaults = PrivateAttr(default_factory=FeatureDefaults)

    @property
    def features(self) -> FeatureDefaults:
        return self._features

    def with_features(self, features: FeatureDefaults) -> "Settings":
        copy = self.model_copy()
        copy._features = features
        return copy

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            return "postgresql+asyncpg://" + url.split("://", 1)[1]
        if url.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
        return url

    def base_url(self) -> str:
        """Where people reach this server: PUBLIC_BASE_URL, else the local HTTP address."""
        return (self.public_base_url or f"http://{self.http_host}:{self.http_port}").rstrip("/")
