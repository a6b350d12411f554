"""Installs in many workspaces: slack-bolt's OAuth flow with our installation store.

`GET /slack/install` sends the installer to Slack's consent page; Slack sends them back to
`GET /slack/oauth_redirect`, where bolt exchanges the code (oauth.v2.access) and saves the
workspace's bot token. The OAuth `state` is a signed, short-lived token plus a browser cookie,
so any replica can finish an install another one started.
"""

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.state_store.stateless import StatelessOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.installations import DatabaseInstallationStore
from adapters.slack.settings import SlackSettings
from adapters.slack.token_refresh import ROTATION_MINUTES

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 300
# The bot scopes of manifest.yml (a test keeps them in step).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "channels:join",
    "channels:read",
    "groups:read",
    "channels:history",
    "groups:history",
    "im:history",
    "im:write",
    "files:write",
    "mpim:history",
    "mpim:write",
    "reactions:read",
    "app_mentions:read",
    "users:read",
    "users:read.email",
)


def multi_workspace_app(
    settings: SlackSettings,
    client: AsyncWebClient,
    store: DatabaseInstallationStore,
    logger: logging.Logger,
) -> AsyncApp:
    """A bolt app that authorizes each request with its workspace's stored token."""
    oauth_settings = AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        scopes=list(BOT_SCOPES),
        redirect_uri=settings.redirect_uri or None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        # Straight to Slack's consent page: our own page would only hold the same link.
        install_page_rendering_enabled=False,
        installation_store=store,
        state_store=StatelessOAuthStateStore(
            expiration_seconds=STATE_SECONDS, signing_secret=settings.client_secret
        ),
        # With token rotation on, a token this close to its end is refreshed before use (our
        # store refreshes a little earlier still, under a lock: see token_refresh.py).
        token_rotation_expiration_minutes=ROTATION_MINUTES,
        logger=logger,
    )
    # Bolt checks a stored token with auth.test; caching the answer per token spares a Web
    # API call on every request.
    authorize = AsyncInstallationStoreAuthorize(
        installation_store=store,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        token_rotation_expiration_minutes=ROTATION_MINUTES,
        logger=logger,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return AsyncApp(
        client=client,
        signing_secret=settings.signing_secret,
        oauth_settings=oauth_settings,
        installation_store=store,
        # bolt takes an AsyncAuthorize instance here too, though its annotation says callable.
        authorize=authorize,  # type: ignore[arg-type]
        logger=logger,
    )
