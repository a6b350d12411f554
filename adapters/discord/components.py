"""Buttons and selects as discord.ui.DynamicItem: the custom id alone says what a click means.

discord.py matches a click's custom id against these templates, whether or not the message
was sent by this process, so buttons keep working after a restart or on another replica.
"""

from re import Match
from typing import Any, Protocol, cast

import discord

from adapters.discord.ids import BUTTON_TEMPLATE, SELECT_TEMPLATE


class Answering(Protocol):
    """What a click needs from the client: turn it into an Action and answer the interaction."""

    async def answer_action(
        self, interaction: discord.Interaction[Any], action_id: str, value: str
    ) -> None: ...


class ActionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_TEMPLATE):
    def __init__(self, action_id: str, value: str, button: discord.ui.Button[Any]) -> None:
        super().__init__(button)
        self.action_id = action_id
        self.value = value

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: Match[str],
        /,
    ) -> "ActionButton":
        button = cast(discord.ui.Button[Any], item)
        return cls(match["action"], match["value"], button)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await cast(Answering, interaction.client).answer_action(
            interaction, self.action_id, self.value
        )


class ActionSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=SELECT_TEMPLATE):
    def __init__(self, action_id: str, select: discord.ui.Select[Any]) -> None:
        super().__init__(select)
        self.action_id = action_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: Match[str],
        /,
    ) -> "ActionSelect":
        return cls(match["action"], cast(discord.ui.Select[Any], item))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        chosen = self.item.values
        await cast(Answering, interaction.client).answer_action(
            interaction, self.action_id, chosen[0] if chosen else ""
        )
