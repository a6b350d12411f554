"""The discord.py client: gateway events and interactions in, bot.dispatch, answers out.

Intents, and why each is asked for:
- guilds: the guilds the bot is in (to sync commands per guild, name workspaces, find the
  guild of someone writing in a DM);
- guild_messages: messages that @mention the bot (their content needs no privileged intent);
- dm_messages: direct messages to the bot (DM content needs no privileged intent either);
- guild_reactions: reaction kudos;
- message_content (privileged, off unless DISCORD_MESSAGE_CONTENT=true): lets reaction kudos
  quote the message reacted to. Without it the kudos still counts, without the quote.
- members (privileged, off unless DISCORD_MEMBERS_INTENT=true): lists a guild's members, which
  coffee pairing by channel needs. Profiles are fetched over REST when first needed either way.
Not asked for: presences, dm_reactions (no feature reacts in DMs).

Messages in a thread the bot started (the discussion thread of an idea) reach the bot too,
with the thread named as "parent_channel_id:thread_id", the id of the message it started from.

Every event is stored before it is acknowledged (bot/delivery/intake.py): an interaction, then
answered
(the ack), is worked off inline; a gateway event (which has no ack of its own) goes to the
intake workers, so a replica that dies leaves it to another.

Every interaction is acknowledged within Discord's 3 s: the event is dispatched with a budget
of ACK_BUDGET_SECONDS; if the handler asked for a form by then, the form is the answer (a
modal must be the first response), otherwise the interaction is deferred and the handler's
replies follow up through the outbox. An interaction in a DM whose sender's server is not yet
known is deferred before that server is looked up (one request per server the bot is in), so
it cannot open a form: the person is told to try again, and by then the server is known.
"""

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import AppCommandError
from sqlmodel import col, select

from adapters.discord import ids, roster
from adapters.discord.acks import Acks
from adapters.discord.command_languages import HelpTranslator
from adapters.discord.commands import build_commands
from adapters.discord.components import ActionButton, ActionSelect
from adapters.discord.inbound import (
    PLATFORM,
    Where,
    action_event,
    command_event,
    form_event,
    message_event,
    reaction_event,
)
from adapters.discord.render import ALLOWED_MENTIONS, render_form
from adapters.discord.settings import discord_settings
from bot.contract.app import Bot, Outcome
from bot.contract.events import AnyEvent, FormSubmit
from bot.delivery.intake import Intake, event_arrival
from bot.kit.people import ensure_workspace
from bot.kit.safety import truncate
from bot.models import Person, Workspace

log = logging.getLogger(__name__)

ACK_BUDGET_SECONDS = 2.0
# discord.py waits out shorter rate limits itself; longer ones go back to the outbox.
RATELIMIT_WAIT_SECONDS = 30.0

STALE_COMPONENT = "That button or menu is no longer active. Please start again."
# A modal can only be the first answer to an interaction: too late once it has been deferred.
FORM_LATE = "That needs a form, and I could not open it in time. Please try again."
FORM_TOO_BIG = "Sorry, that form does not fit in a Discord form."
NO_HOME = "I can only help members of a server I am in. Please write to me from there first."
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."
UNKNOWN_COMMAND = "Sorry, I can't run that command (it may have changed). `/help` lists mine."


def intents(message_content: bool, members: bool = False) -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True
    chosen.guild_messages = True
    chosen.dm_messages = True
    chosen.guild_reactions = True
    chosen.message_content = message_content
    chosen.members = members
    return chosen


class RapportTree(app_commands.CommandTree["RapportClient"]):
    """Answers a command it cannot run (one renamed or removed since Discord last synced it, or
    an option Discord could not resolve) rather than leave Discord to say the application did
    not respond."""

    async def on_error(
        self, interaction: discord.Interaction["RapportClient"], error: AppCommandError, /
    ) -> None:
        log.warning("application command %s failed: %r", interaction.data, error)
        if (
            interaction.type is discord.InteractionType.application_command
            and not interaction.response.is_done()
        ):
            await _say(interaction, UNKNOWN_COMMAND)


class RapportClient(discord.Client):
    def __init__(
        self,
        bot: Bot,
        acks: Acks,
        intake: Intake,
        *,
        message_content: bool = False,
        members: bool = False,
    ) -> None:
        super().__init__(
            intents=intents(message_content, members),
            allowed_mentions=ALLOWED_MENTIONS,
            max_ratelimit_timeout=RATELIMIT_WAIT_SECONDS,
        )
        self.bot = bot
        self.acks = acks
        self.intake = intake
        self.tree = RapportTree(self)
        for command in build_commands(bot.router):
            self.tree.add_command(command)
        self._synced: set[int] = set()
        self._homes: dict[int, discord.Guild] = {}

    async def setup_hook(self) -> None:
        self.add_dynamic_items(ActionButton, ActionSelect)
        await self.tree.set_translator(HelpTranslator())

    # --- command sync ------------------------------------------------------------------------

    async def on_ready(self) -> None:
        for guild in self.guilds:
            await self.arrive(guild)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.arrive(guild)

    async def arrive(self, guild: discord.Guild) -> None:
        """A guild the bot is in is a workspace from the start, with the commands in it. A
        replayed READY or GUILD_CREATE finds both done: the workspace is found, not added."""
        async with self.bot.db.session() as session:
            await ensure_workspace(
                session,
                PLATFORM,
                str(guild.id),
                guild.name,
                self.bot.clock.now(),
                self.bot.settings.default_timezone,
            )
        await self.sync_guild(guild)
        if self.intents.members:
            await self._roster(guild)

    async def _roster(self, guild: discord.Guild) -> None:
        try:
            await roster.sync(self.bot, guild)
        except (discord.HTTPException, discord.RateLimited) as failure:
            log.warning("discord roster of %s not read: %s", guild.id, failure)

    # --- the roster (needs the members intent; adapters/discord/roster.py) ------------------

    async def on_member_join(self, found: discord.Member) -> None:
        await self._member(found)

    async def on_member_update(self, _: discord.Member, found: discord.Member) -> None:
        await self._member(found)

    async def on_member_remove(self, found: discord.Member) -> None:
        await self._member(found, active=False)

    async def _member(self, found: discord.Member, *, active: bool = True) -> None:
        roles = roster.departments(discord_settings(self.bot.settings).department_roles)
        await roster.apply(self.bot, found.guild, [roster.member(found, roles, active=active)])

    async def sync_guild(self, guild: discord.abc.Snowflake) -> None:
        """Register the commands in one guild, once per process: guild commands appear at once,
        where global ones can take an hour to reach every client."""
        if guild.id in self._synced:
            return
        self.tree.copy_global_to(guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.HTTPException as failure:
            log.error(
                "could not register commands in guild %s (%s); was the bot invited with the "
                "applications.commands scope?",
                guild.id,
                failure,
            )
            return
        self._synced.add(guild.id)
        log.info("registered %d commands in guild %s", len(synced), guild.id)

    # --- interactions ------------------------------------------------------------------------

    async def answer_command(
        self,
        interaction: discord.Interaction[Any],
        name: str,
        text: str,
        users: Sequence[discord.User | discord.Member | None],
    ) -> None:
        where = await self._where(interaction)
        if where is not None:
            event = command_event(interaction, where, name, text, users)
            await self._answer(interaction, event, can_open_form=True)

    async def answer_action(
        self, interaction: discord.Interaction[Any], action_id: str, value: str
    ) -> None:
        where = await self._where(interaction)
        if where is not None:
            event = action_event(interaction, where, action_id, value)
            await self._answer(interaction, event, can_open_form=True)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Clicks on our buttons are DynamicItems and commands belong to the tree; this answers
        the rest: modal submits, and components whose custom id is not ours (stale, or from
        an older version of the bot)."""
        data: Mapping[str, Any] = interaction.data or {}
        custom_id = str(data.get("custom_id", ""))
        if interaction.type is discord.InteractionType.modal_submit:
            parsed = ids.parse_form_id(custom_id)
            where = await self._where(interaction) if parsed else None
            if parsed and where:
                event = form_event(interaction, where, *parsed)
                await self._answer(interaction, event, can_open_form=False)
            elif not parsed:
                await _say(interaction, STALE_COMPONENT)
        elif interaction.type is discord.InteractionType.component and not (
            ids.is_component_of_ours(custom_id)
        ):
            await _say(interaction, STALE_COMPONENT)

    async def _answer(
        self, interaction: discord.Interaction[Any], event: AnyEvent, *, can_open_form: bool
    ) -> None:
        held = await self.intake.store(event_arrival(event))
        if held is None:
            # Delivered again while the first copy waits: that copy does the work.
            await self._acknowledge(interaction, None)
            return
        token = interaction.token
        self.acks.expect(token)
        dispatch: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()

        async def work(_payload: dict[str, Any]) -> None:
            try:
                dispatch.set_result(await self.bot.dispatch(event))
            except Exception as failure:
                dispatch.set_exception(failure)
                raise

        stored = asyncio.create_task(self.intake.run(held, work))
        modal: discord.ui.Modal | None = None
        # Deferred already (while its server was looked up): a modal can no longer be the answer.
        can_open_form = can_open_form and not interaction.response.is_done()
        try:
            done, _ = await asyncio.wait({dispatch}, timeout=ACK_BUDGET_SECONDS)
            early = dispatch.result() if done and dispatch.exception() is None else None
            if early and early.form and can_open_form:
                modal = render_form(early.form)
            await self._acknowledge(interaction, modal)
        finally:
            self.acks.done(token)
        try:
            outcome = await dispatch
        except Exception:
            log.exception("dispatch of Discord interaction %s failed", interaction.id)
            await self._follow_up(interaction, SORRY)
            return
        finally:
            await stored
        if outcome.form and modal is None:
            too_big = can_open_form and render_form(outcome.form) is None
            await self._follow_up(interaction, FORM_TOO_BIG if too_big else FORM_LATE)
        if outcome.form_errors:
            await self._follow_up(interaction, form_errors_text(event, outcome))

    async def _acknowledge(
        self, interaction: discord.Interaction[Any], modal: discord.ui.Modal | None
    ) -> None:
        if interaction.response.is_done():
            return
        try:
            if modal is not None:
                await interaction.response.send_modal(modal)
            elif interaction.type is discord.InteractionType.component:
                await interaction.response.defer()  # nothing shown; replies follow up
            else:
                await interaction.response.defer(ephemeral=True, thinking=True)
        except discord.HTTPException as failure:
            # Answered already (a replayed gateway event) or expired: nothing left to do.
            log.warning("could not acknowledge interaction %s: %s", interaction.id, failure)

    async def _follow_up(self, interaction: discord.Interaction[Any], text: str) -> None:
        try:
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)
        except discord.HTTPException as failure:
            log.warning("could not follow up interaction %s: %s", interaction.id, failure)

    async def _where(self, interaction: discord.Interaction[Any]) -> Where | None:
        user_id = interaction.user.id
        if interaction.guild_id is None and await self._known_home(user_id) is None:
            # Finding their server may take a request per server, past Discord's 3 s.
            await self._acknowledge(interaction, None)
        where = await self._locate(user_id, interaction.guild_id, interaction.channel_id)
        if where is None:
            await _say(interaction, NO_HOME)
        return where

    async def _locate(
        self, user_id: int, guild_id: int | None, channel_id: int | None
    ) -> Where | None:
        """The guild is the workspace. In a DM there is none, so the person's guild is used:
        the only guild the bot is in, or the first that has them as a member."""
        channel = str(channel_id or "")
        if guild_id is not None:
            guild = self.get_guild(guild_id)
            return Where(str(guild_id), guild.name if guild else "", channel, is_dm=False)
        home = await self._home(user_id)
        return Where(str(home.id), home.name, channel, is_dm=True) if home else None

    async def _home(self, user_id: int) -> discord.Guild | None:
        known = await self._known_home(user_id)
        if known is not None:
            return known
        for guild in self.guilds:
            try:
                await guild.fetch_member(user_id)
            except discord.NotFound:
                continue
            self._homes[user_id] = guild
            return guild
        return None

    async def _known_home(self, user_id: int) -> discord.Guild | None:
        """The person's server without asking Discord: the bot's only one, the one found
        before, or the first the store has them in (from an earlier visit, maybe to another
        process)."""
        if len(self.guilds) == 1:
            return self.guilds[0]
        if user_id in self._homes:
            return self._homes[user_id]
        guilds = {str(guild.id): guild for guild in self.guilds}
        async with self.bot.db.session() as session:
            theirs = set(
                (
                    await session.exec(
                        select(Workspace.external_id)
                        .join(Person, col(Person.workspace_id) == col(Workspace.id))
                        .where(
                            Workspace.platform == PLATFORM,
                            Person.platform_user_id == str(user_id),
                            col(Workspace.external_id).in_(guilds),
                        )
                    )
                ).all()
            )
        home = next((guilds[g] for g in guilds if g in theirs), None)
        if home is not None:
            self._homes[user_id] = home
        return home

    # --- gateway events ----------------------------------------------------------------------

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        if payload.guild_id is None or (self.user and payload.user_id == self.user.id):
            return
        user = payload.member or await self.fetch_user(payload.user_id)
        channel = self.get_partial_messageable(payload.channel_id, guild_id=payload.guild_id)
        try:
            message = await channel.fetch_message(payload.message_id)
        except (discord.NotFound, discord.Forbidden) as gone:
            log.info("reaction to a message the bot cannot read: %s", gone)
            return
        where = await self._locate(payload.user_id, payload.guild_id, payload.channel_id)
        if where is not None:
            await self.intake.accept(event_arrival(reaction_event(payload, where, user, message)))

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        mentions_bot = self.user is not None and self.user in message.mentions
        in_our_thread = isinstance(message.channel, discord.Thread) and (
            self.user is not None and message.channel.owner_id == self.user.id
        )
        if message.guild is not None and not (mentions_bot or in_our_thread):
            return  # channel chatter is none of the bot's business
        guild_id = message.guild.id if message.guild else None
        where = await self._locate(message.author.id, guild_id, message.channel.id)
        if where is None:
            await message.channel.send(NO_HOME, allowed_mentions=ALLOWED_MENTIONS)
            return
        event = message_event(message, where, self.bot.router.commands, mentions_bot)
        await self.intake.accept(event_arrival(event))


async def _say(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer at once, privately: for what needs no handler (or has none)."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS)
            return
        await interaction.response.send_message(
            text, ephemeral=True, allowed_mentions=ALLOWED_MENTIONS
        )
    except discord.HTTPException as failure:
        log.warning("could not answer interaction %s: %s", interaction.id, failure)


def form_errors_text(event: AnyEvent, outcome: Outcome) -> str:
    """Discord modals cannot show errors next to fields and close on submit: list the errors,
    and hand back what was typed so that nothing is lost when the form is opened again."""
    errors = outcome.form_errors or {}
    lines = ["That didn't go through:", *(f"• {field}: {text}" for field, text in errors.items())]
    if isinstance(event, FormSubmit):
        typed = [
            f"{name}: {value}"
            for name, value in event.values.items()
            if isinstance(value, str) and value.strip()
        ]
        if typed:
            lines += ["What you wrote:", *(f"> {truncate(line, 1000)}" for line in typed)]
    lines.append("Open the form again to fix it.")
    return truncate("\n".join(lines), 2000)
