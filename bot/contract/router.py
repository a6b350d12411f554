"""Where handlers register what they answer: commands, actions, reactions, forms, schedules."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from bot.kit.feature_settings import Section
from bot.kit.i18n import Text
from bot.kit.roles import Role

if TYPE_CHECKING:
    from bot.contract.context import WorkContext
    from bot.contract.feature import Feature

H = TypeVar("H", bound=Callable[..., Awaitable[None]])
WorkHandler = Callable[["WorkContext"], Awaitable[None]]

V = TypeVar("V")


def _merge(mine: dict[str, V], theirs: dict[str, V]) -> None:
    clash = mine.keys() & theirs.keys()
    if clash:
        raise ValueError(f"registered twice: {sorted(clash)}")
    mine.update(theirs)


@dataclass(frozen=True)
class Route:
    handler: Callable[..., Awaitable[None]]
    role: Role = Role.MEMBER
    help: Text = ""


@dataclass
class Router:
    commands: dict[str, Route] = field(default_factory=dict)
    actions: dict[str, Route] = field(default_factory=dict)
    forms: dict[str, Route] = field(default_factory=dict)
    message_actions: dict[str, Route] = field(default_factory=dict)
    reactions: list[Route] = field(default_factory=list)
    messages: list[Route] = field(default_factory=list)
    schedules: dict[str, WorkHandler] = field(default_factory=dict)
    # Each feature's settings, by section name: the wiring reads their environment defaults.
    sections: dict[str, Section[Any]] = field(default_factory=dict)
    fallback: Route | None = None
    home: Route | None = None
    # The features this router was built from (bot/contract/feature.py: router_of), for what
    # they contribute besides routes (export and erasure, retention).
    features: list["Feature"] = field(default_factory=list)

    def command(self, name: str, *, role: Role = Role.MEMBER, help: Text = "") -> Callable[[H], H]:
        return self._register(self.commands, name, role, help)

    def action(self, action_id: str, *, role: Role = Role.MEMBER) -> Callable[[H], H]:
        return self._register(self.actions, action_id, role, "")

    def form(self, form_id: str, *, role: Role = Role.MEMBER) -> Callable[[H], H]:
        return self._register(self.forms, form_id, role, "")

    def message_action(self, name: str) -> Callable[[H], H]:
        return self._register(self.message_actions, name, Role.MEMBER, "")

    def home_opened(self) -> Callable[[H], H]:
        """The one handler that builds a person's home page."""

        def decorate(handler: H) -> H:
            if self.home is not None:
                raise ValueError("home page registered twice")
            self.home = Route(handler)
            return handler

        return decorate

    def reaction(self) -> Callable[[H], H]:
        def decorate(handler: H) -> H:
            self.reactions.append(Route(handler))
            return handler

        return decorate

    def message(self) -> Callable[[H], H]:
        def decorate(handler: H) -> H:
            self.messages.append(Route(handler))
            return handler

        return decorate

    def unknown_command(self) -> Callable[[H], H]:
        def decorate(handler: H) -> H:
            self.fallback = Route(handler)
            return handler

        return decorate

    def schedule(self, kind: str) -> Callable[[WorkHandler], WorkHandler]:
        def decorate(handler: WorkHandler) -> WorkHandler:
            if kind in self.schedules:
                raise ValueError(f"schedule kind {kind!r} registered twice")
            self.schedules[kind] = handler
            return handler

        return decorate

    def settings_section(self, section: Section[Any]) -> None:
        _merge(self.sections, {section.name: section})

    def include(self, other: "Router") -> None:
        _merge(self.sections, other.sections)
        _merge(self.commands, other.commands)
        _merge(self.actions, other.actions)
        _merge(self.forms, other.forms)
        _merge(self.message_actions, other.message_actions)
        _merge(self.schedules, other.schedules)
        self.reactions.extend(other.reactions)
        self.messages.extend(other.messages)
        self.features.extend(other.features)
        self.fallback = other.fallback or self.fallback
        if self.home is not None and other.home is not None:
            raise ValueError("home page registered twice")
        self.home = other.home or self.home

    def command_help(self) -> dict[str, str]:
        """Each command's line of help, in the language being spoken."""
        return {
            name: str(route.help) for name, route in sorted(self.commands.items()) if route.help
        }

    def _register(
        self, table: dict[str, Any], key: str, role: Role, help: Text
    ) -> Callable[[H], H]:
        def decorate(handler: H) -> H:
            if key in table:
                raise ValueError(f"{key!r} registered twice")
            table[key] = Route(handler, role, help)
            return handler

        return decorate
