"""Settings from the environment (and `.env`); every field is documented in .env.example.

Features declare their own settings (bot/kit/feature_settings.py); `features` holds the defaults
the environment gave them, read by the wiring when a command starts.
"""

from typing import Any, Literal

from pydantic import Field, PrivateAttr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.kit.feature_settings import FeatureDefaults, Section


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./rapport.db"
    database_pool_size: int = Field(default=10, ge=1)
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
    # it works on at once (0: 8, or 32 in a worker), and how often one is tried before it is
    # left dead.
    intake_lease_seconds: float = Field(default=30.0, gt=0)
    intake_poll_seconds: float = Field(default=1.0, gt=0)
    intake_concurrency: int = Field(default=0, ge=0)
    intake_max_attempts: int = Field(default=5, ge=1)
    intake_backoff_seconds: float = Field(default=2.0, gt=0)
    # What this process does (docs/operations/replicas.md, fronts and workers): `all` of it;
    # `front`: serve the platforms, store and acknowledge, and leave the work to workers;
    # `worker`: the work, inbound events taken from the fronts every `intake_pickup_seconds`.
    run_role: Literal["all", "front", "worker"] = "all"
    intake_pickup_seconds: float = Field(default=0.05, gt=0)

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

    openai_api_key: str = ""
    openai_base_url: str = ""

    # Comma-separated Fernet keys sealing the bot tokens kept in the database (OAuth
    # installs): the first seals, every one opens. Empty: tokens are stored as given.
    token_encryption_keys: str = ""

    _features: FeatureDefaults = PrivateAttr(default_factory=FeatureDefaults)

    @property
    def features(self) -> FeatureDefaults:
        return self._features

    def with_features(self, features: FeatureDefaults) -> "Settings":
        copy = self.model_copy()
        copy._features = features
        return copy

    def with_section(self, section: Section[Any], **values: Any) -> "Settings":
        """A copy with some of a feature's or an adapter's settings set (`DISCORD_TOKEN` as
        `with_section(discord.SECTION, token=...)`), checked by its model."""
        return self.with_features(self._features.changed(section, **values))

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
