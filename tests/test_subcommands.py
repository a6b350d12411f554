"""Subcommands: one declaration each, help written from them, near words suggested."""

from typing import cast

import pytest

from bot.contract.context import Context
from bot.contract.errors import Forbidden, UserError
from bot.kit.roles import Role
from bot.kit.subcommands import Subcommands


class Asker:
    """Just what Subcommands uses of a Context: replies, and the asker's roles."""

    def __init__(self, roles: list[str]) -> None:
        self.roles = roles
        self.replies: list[str] = []

    def reply(self, message: object) -> None:
        self.replies.append(getattr(message, "text", str(message)))

    def require(self, role: Role) -> None:
        if role != Role.MEMBER and role.value not in self.roles:
            raise Forbidden(f"needs {role.value}")


def tea() -> tuple[Subcommands, list[str]]:
    done: list[str] = []
    tea = Subcommands("/tea", summary="*Tea*: a cup with a colleague.", notes=lambda _: "Enjoy.")

    @tea.add("brew", "make", usage="green|black", help="brew a pot")
    async def brew(ctx: Context, rest: str) -> None:
        done.append(f"brew {rest}")

    @tea.add("stock", help="what is left", role=Role.ADMIN)
    async def stock(ctx: Context, rest: str) -> None:
        done.append("stock")

    return tea, done


async def run(tea: Subcommands, text: str, roles: list[str] | None = None) -> Asker:
    asker = Asker(roles or [])
    await tea.run(cast(Context, asker), text)
    return asker


async def test_a_word_or_its_alias_runs_its_subcommand_with_the_rest() -> None:
    commands, done = tea()
    await run(commands, "brew  green ")
    await run(commands, "MAKE black")
    assert done == ["brew green", "brew black"]


async def test_help_lists_every_subcommand_by_role_between_summary_and_notes() -> None:
    commands, _ = tea()
    for text in ("help", "", "  "):
        assert (await run(commands, text)).replies == [
            "*Tea*: a cup with a colleague.\n"
            "• `/tea brew green|black`: brew a pot\n"
            "For admins:\n"
            "• `/tea stock`: what is left\n"
            "Enjoy."
        ]


async def test_a_subcommand_needs_its_role() -> None:
    commands, done = tea()
    with pytest.raises(Forbidden):
        await run(commands, "stock")
    await run(commands, "stock", ["admin"])
    assert done == ["stock"]


async def test_an_unknown_word_gets_the_nearest_one() -> None:
    commands, _ = tea()
    with pytest.raises(UserError, match=r"I don't know `/tea brw`. Did you mean `/tea brew`\?"):
        await run(commands, "brw")
    with pytest.raises(UserError, match="`/tea help` lists what it can do") as refused:
        await run(commands, "<!channel>")
    assert "<!channel>" not in refused.value.text


async def test_free_text_goes_to_what_the_command_does_otherwise() -> None:
    commands, done = tea()

    @commands.otherwise
    async def order(ctx: Context, text: str) -> None:
        done.append(f"order {text}")

    await run(commands, "a pot for @ann")
    await run(commands, "help me choose a tea")
    assert done == ["order a pot for @ann", "order help me choose a tea"]
    assert (await run(commands, "help")).replies[0].startswith("*Tea*")


def test_a_name_is_declared_once() -> None:
    commands, _ = tea()
    with pytest.raises(ValueError, match="declared twice"):
        commands.add("make", help="again")(lambda ctx, rest: None)  # type: ignore[arg-type,return-value]
