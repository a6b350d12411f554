"""Settings from the environment (and `.env`); every field is documented in .env.example."""

from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./rapport.db"
    database_pool_size: int = Field(default=5, ge=1)
    database_max_overflow: int = Field(default=5, ge=0)
    log_level: str = "INFO"
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    replica_id: str = ""
    default_timezone: str = "UTC"
    seed_demo: bool = True

    kudos_daily_allowance: int = Field(default=5, ge=1)
    kudos_emoji: str = "tada"
    kudos_channel: str = "kudos"
    kudos_min_reason_length: int = Field(default=10, ge=0)
    kudos_max_reason_length: int = Field(default=1000, ge=20)
    kudos_undo_minutes: int = Field(default=5, ge=0)

    ideas_channel: str = "ideas"
    ideas_emoji: str = "bulb"
    ideas_similarity_threshold: float = Field(default=0.3, ge=0.05, le=1.0)
    ideas_embedding_model: str = "text-embedding-3-small"
    ideas_embedding_threshold: float = Field(default=0.6, ge=0.05, le=1.0)
    ideas_vote_half_life_days: float = Field(default=14.0, gt=0)
    ideas_campaign_reminder_hours: int = Field(default=48, ge=0)
    ideas_min_title_length: int = Field(default=10, ge=1, le=150)

    mentoring_checkin_days: int = Field(default=14, ge=1, le=90)
    mentoring_feedback_weeks: int = Field(default=6, ge=1, le=52)
    mentoring_pause_after: int = Field(default=2, ge=1, le=10)

    qa_channel: str = "help"
    qa_experts_per_question: int = Field(default=3, ge=1, le=10)
    qa_claim_working_hours: float = Field(default=4.0, gt=0)
    qa_answer_working_days: float = Field(default=2.0, gt=0)
    qa_similarity_threshold: float = Field(default=0.35, ge=0.05, le=1.0)
    qa_expertise_half_life_days: float = Field(default=180.0, gt=0)
    qa_embedding_model: str = "text-embedding-3-small"

    # Anonymity thresholds never go below 3 (DESIGN.md); scores and comments separately.
    pulse_threshold: int = Field(default=5, ge=3)
    pulse_comment_threshold: int = Field(default=5, ge=3)
    pulse_reminder_days: list[int] = Field(default_factory=lambda: [2, 4])
    pulse_close_after_days: int = Field(default=5, ge=1, le=60)
    pulse_working_hours: str = "09:00-17:00"

    digest_day: str = Field(default="mon", pattern=r"^(mon|tue|wed|thu|fri|sat|sun)$")
    digest_time: str = Field(default="09:00", pattern=r"^([01]?\d|2[0-3]):[0-5]\d$")
    public_base_url: str = ""
    dashboard_link_minutes: int = Field(default=15, ge=1, le=1440)
    dashboard_session_minutes: int = Field(default=60, ge=1, le=1440)
    dashboard_secret: str = ""

    scheduler_tick_seconds: float = Field(default=5.0, gt=0)
    scheduler_grace_seconds: int = Field(default=3600, ge=0)

    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    outbox_max_attempts: int = Field(default=8, ge=1)
    outbox_backoff_seconds: float = Field(default=2.0, gt=0)
    outbox_lease_seconds: int = Field(default=120, ge=1)
    # Conversations sent to at once; messages within one always go out one after another.
    outbox_concurrency: int = Field(default=8, ge=1)

    # Retention windows in days, one per kind of data; 0 keeps that kind for ever.
    retention_interactions_days: int = Field(default=395, ge=0)
    retention_survey_comments_days: int = Field(default=730, ge=0)
    retention_sent_outbox_days: int = Field(default=90, ge=0)
    retention_channel_posts_days: int = Field(default=395, ge=0)
    retention_sent_files_days: int = Field(default=7, ge=0)
    retention_processed_events_days: int = Field(default=30, ge=0)
    retention_audit_days: int = Field(default=730, ge=0)
    retention_teams_messages_days: int = Field(default=30, ge=0)
    retention_dashboard_links_days: int = Field(default=7, ge=0)
    retention_done_work_days: int = Field(default=90, ge=0)
    retention_batch_size: int = Field(default=1000, ge=1)

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
    # Slack slash command (without "/") -> bot command; a name not listed is used as is.
    slack_commands: dict[str, str] = Field(
        default_factory=lambda: {
            "kudos": "kudos",
            "ask": "ask",
            "idea": "idea",
            "pulse": "pulse",
            "mentor": "mentor",
            "coffee": "coffee",
            "expert": "expert",
            "answer": "answer",
            "rapport": "rapport",
        }
    )

    discord_token: str = ""
    discord_message_content: bool = False
    discord_members_intent: bool = False
    discord_api_base_url: str = ""

    # Microsoft Teams, under the names the Microsoft 365 Agents SDK reads.
    connections__service_connection__settings__clientid: str = ""
    connections__service_connection__settings__clientsecret: str = ""
    connections__service_connection__settings__tenantid: str = ""
    connections__service_connection__settings__anonymous_allowed: bool = False

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


@lru_cache
def get_settings() -> Settings:
    return Settings()
