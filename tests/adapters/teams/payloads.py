"""Activities shaped like the ones Microsoft documents for Teams bots."""

import itertools
from typing import Any

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TEAM = "19:team-general@thread.tacv2"
KUDOS_CHANNEL = "19:kudos-channel@thread.tacv2"
IDEAS_CHANNEL = "19:ideas-channel@thread.tacv2"
BOT = {"id": "28:rapport-bot-app-id", "name": "Rapport"}
ANN = {"id": "29:1ann-teams-id", "name": "Ann Lee", "aadObjectId": "aad-ann-0001"}
BOB = {"id": "29:1bob-teams-id", "name": "Bob Ray", "aadObjectId": "aad-bob-0002"}
ANN_CHAT = "a:1ann-personal-chat"
BOB_CHAT = "a:1bob-personal-chat"

_ids = itertools.count(1_700_000_000_000)

Activity = dict[str, Any]


def _mention(account: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "mention",
        "text": f"<at>{account['name']}</at>",
        "mentioned": {"id": account["id"], "name": account["name"]},
    }


def _base(service_url: str, sender: dict[str, str], conversation: dict[str, Any]) -> Activity:
    return {
        "id": str(next(_ids)),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "timestamp": "2027-01-04T09:00:00.000Z",
        "localTimezone": "Europe/London",
        "from": sender,
        "recipient": BOT,
        "conversation": {"tenantId": TENANT, **conversation},
        "channelData": {"tenant": {"id": TENANT}},
    }


def _channel(
    service_url: str, sender: dict[str, str], channel: str, thread: str | None
) -> Activity:
    conversation = {
        "id": f"{channel};messageid={thread}" if thread else channel,
        "conversationType": "channel",
        "isGroup": True,
    }
    activity = _base(service_url, sender, conversation)
    activity["channelData"] = {
        "teamsChannelId": channel,
        "teamsTeamId": TEAM,
        "channel": {"id": channel},
        "team": {"id": TEAM},
        "tenant": {"id": TENANT},
    }
    return activity


def _personal(service_url: str, sender: dict[str, str], chat: str) -> Activity:
    return _base(service_url, sender, {"id": chat, "conversationType": "personal"})


def _text(text: str, mentioned: list[dict[str, str]]) -> tuple[str, list[dict[str, Any]]]:
    """`{Ann Lee}` in text stands for an <at> mention of that person."""
    entities = []
    for account in mentioned:
        text = text.replace("{" + account["name"] + "}", f"<at>{account['name']}</at>")
        entities.append(_mention(account))
    return text, entities


def channel_message(
    service_url: str,
    sender: dict[str, str],
    text: str,
    mentioned: tuple[dict[str, str], ...] = (),
    *,
    channel: str = TEAM,
    thread: str | None = None,
) -> Activity:
    activity = _channel(service_url, sender, channel, thread)
    activity["type"] = "message"
    activity["textFormat"] = "plain"
    activity["text"], entities = _text(text, list(mentioned))
    activity["entities"] = [
        *entities,
        {"type": "clientInfo", "locale": "en-US", "timezone": "Europe/London"},
    ]
    return activity


def personal_message(
    service_url: str,
    sender: dict[str, str],
    chat: str,
    text: str,
    mentioned: tuple[dict[str, str], ...] = (),
) -> Activity:
    activity = _personal(service_url, sender, chat)
    activity["type"] = "message"
    activity["textFormat"] = "plain"
    activity["text"], activity["entities"] = _text(text, list(mentioned))
    return activity


def card_action(
    service_url: str,
    sender: dict[str, str],
    verb: str,
    data: dict[str, Any],
    *,
    reply_to: str,
    chat: str | None = None,
    channel: str = TEAM,
) -> Activity:
    activity = (
        _personal(service_url, sender, chat)
        if chat
        else _channel(service_url, sender, channel, None)
    )
    activity.update(
        type="invoke",
        name="adaptiveCard/action",
        replyToId=reply_to,
        value={
            "action": {"type": "Action.Execute", "verb": verb, "data": data},
            "trigger": "manual",
        },
    )
    return activity


def reaction(
    service_url: str, sender: dict[str, str], reacted: str, kind: str, *, channel: str = TEAM
) -> Activity:
    activity = _channel(service_url, sender, channel, None)
    activity.update(type="messageReaction", replyToId=reacted, reactionsAdded=[{"type": kind}])
    return activity


def team_install(service_url: str, installer: dict[str, str]) -> Activity:
    activity = _channel(service_url, installer, TEAM, None)
    activity["channelData"] = {
        "eventType": "teamMemberAdded",
        "team": {"id": TEAM, "name": "Product"},
        "tenant": {"id": TENANT},
    }
    activity.update(type="conversationUpdate", membersAdded=[{"id": BOT["id"]}])
    return activity


def personal_install(service_url: str, user: dict[str, str], chat: str) -> Activity:
    activity = _personal(service_url, user, chat)
    activity.update(type="conversationUpdate", membersAdded=[{"id": BOT["id"]}])
    return activity


def channel_created(service_url: str, creator: dict[str, str], channel: str, name: str) -> Activity:
    activity = _channel(service_url, creator, TEAM, None)
    activity["channelData"] = {
        "eventType": "channelCreated",
        "channel": {"id": channel, "name": name},
        "team": {"id": TEAM, "name": "Product"},
        "tenant": {"id": TENANT},
    }
    activity["type"] = "conversationUpdate"
    return activity
