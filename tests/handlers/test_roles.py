"""Roles: admins grant and revoke, the last admin stays, members are refused everywhere.

Demo workspace: ann is admin, cara hr, dan community manager, bob and eve members.
"""

import pytest
from sqlmodel import select

from bot.kit.roles import Role, missing_role
from bot.models import AuditEntry, OutboxMessage, Person
from bot.wiring.assembly import Assembly
from tests.handlers.conftest import Talk

# Commands whose privileged part is a subcommand, checked with ctx.require inside the handler.
PRIVILEGED_SUBCOMMANDS = [
    ("/rapport roles", Role.ADMIN),
    ("/rapport role grant <@bob> admin", Role.ADMIN),
    ("/rapport role revoke <@ann> admin", Role.ADMIN),
    ("/rapport digest", Role.COMMUNITY_MANAGER),
    ("/pulse new", Role.HR),
    ("/pulse list", Role.HR),
    ("/pulse results 1", Role.HR),
    ("/pulse export 1", Role.HR),
    ("/pulse anonymous 1 no", Role.HR),
    ("/pulse stop 1", Role.HR),
    ("/kudos values add focus We focus", Role.ADMIN),
    ("/kudos settings allowance 50", Role.ADMIN),
    ("/idea stage 1 done", Role.COMMUNITY_MANAGER),
    ("/idea decline 1 no", Role.COMMUNITY_MANAGER),
    ("/idea merge 1 2", Role.COMMUNITY_MANAGER),
    ("/idea campaign close 1", Role.COMMUNITY_MANAGER),
    ("/idea settings channel elsewhere", Role.ADMIN),
    ("/mentor round", Role.ADMIN),
    ("/mentor schedule weekly", Role.ADMIN),
    ("/coffee cadence weekly", Role.ADMIN),
    ("/coffee everyone on", Role.ADMIN),
    ("/coffee now", Role.ADMIN),
    ("/coffee stats", Role.ADMIN),
]


async def people(rapport: Assembly) -> dict[str, Person]:
    async with rapport.db.session() as session:
        found = (await session.exec(select(Person))).all()
    return {p.platform_user_id: p for p in found}


async def audit(rapport: Assembly) -> list[AuditEntry]:
    async with rapport.db.session() as session:
        return list((await session.exec(select(AuditEntry))).all())


async def outbox_count(rapport: Assembly) -> int:
    async with rapport.db.session() as session:
        return len((await session.exec(select(OutboxMessage))).all())


async def test_an_admin_grants_and_revokes_hr_and_both_are_audited(
    talk: Talk, rapport: Assembly
) -> None:
    out = await talk("ann in #general: /rapport role grant <@bob> hr")
    assert "Bob Stone now has the hr role." in out
    assert "Ann Lee gave you the hr role" in out
    assert "hr" in (await people(rapport))["bob"].roles
    assert "[form for @bob] pulse.new" in await talk("bob in #general: /pulse new")

    out = await talk("ann in #general: /rapport role revoke <@bob> hr")
    assert "Bob Stone no longer has the hr role." in out
    assert (await people(rapport))["bob"].roles == []
    assert "You need the hr role" in await talk("bob in #general: /pulse new")

    ids = await people(rapport)
    entries = [(e.action, e.actor_id, e.subject_id, e.detail) for e in await audit(rapport)]
    granted = ("role.grant", ids["ann"].id, ids["bob"].id, {"role": "hr"})
    revoked = ("role.revoke", ids["ann"].id, ids["bob"].id, {"role": "hr"})
    assert entries == [granted, revoked]


async def test_the_admin_and_the_person_each_read_the_change_in_their_language(
    talk: Talk,
) -> None:
    await talk(
        "ann in #general: /rapport settings language fr\n"
        "bob in #general: /rapport settings language ja"
    )
    out = await talk("ann in #general: /rapport role grant <@bob> hr")
    assert "Bob Stone a désormais le rôle RH." in out
    assert (
        "[dm @bob]" in out
        and "Ann Lee さんが Rapport であなたに 人事 のロールを付与しました。" in out
    )
    out = await talk("ann in #general: /rapport roles")
    assert "Rôles :\nAnn Lee : admin\nBob Stone : RH" in out


async def test_community_manager_and_admin_can_be_granted_in_the_short_form(
    talk: Talk, rapport: Assembly
) -> None:
    await talk(
        "ann in #general: /rapport role <@eve> cm\nann in #general: /rapport role <@bob> admin"
    )
    found = await people(rapport)
    assert found["eve"].roles == ["community_manager"]
    assert found["bob"].roles == ["admin"]
    out = await talk("bob in #general: /rapport role <@eve> -community-manager")
    assert "Eve Martin no longer has the community manager role." in out
    out = await talk("bob in #general: /rapport role grant <@eve> community manager")
    assert "Eve Martin now has the community manager role." in out
    await talk("bob in #general: /rapport role revoke <@eve> community manager")
    out = await talk("ann in #general: /rapport roles")
    assert "Bob Stone: admin" in out and "Cara Diaz: hr" in out and "Eve Martin" not in out


async def test_the_last_admin_cannot_be_revoked(talk: Talk, rapport: Assembly) -> None:
    out = await talk("ann in #general: /rapport role revoke <@ann> admin")
    assert "That's the last admin" in out
    assert (await people(rapport))["ann"].roles == ["admin"]
    await talk("ann in #general: /rapport role grant <@bob> admin")
    out = await talk("ann in #general: /rapport role revoke <@ann> admin")
    assert "Ann Lee no longer has the admin role." in out
    out = await talk("bob in #general: /rapport role revoke <@bob> admin")
    assert "That's the last admin" in out
    assert (await people(rapport))["bob"].roles == ["admin"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("/rapport role grant <@bob>", "Usage: `/rapport role grant @name hr`"),
        ("/rapport role grant <@bob> boss", "Roles are admin, hr and community_manager."),
        ("/rapport role grant <@bob> hr admin", "Roles are admin, hr and community_manager."),
        ("/rapport role grant <@bob> -hr", "Usage:"),
        ("/rapport role grant <@nobody> hr", "couldn't find that person"),
        ("/rapport role grant <@rapport> hr", "Bots don't hold roles."),
        ("/rapport role grant <@cara> hr", "Cara Diaz already has the hr role."),
        ("/rapport role revoke <@bob> hr", "Bob Stone doesn't have the hr role."),
    ],
)
async def test_bad_role_changes_are_explained_and_change_nothing(
    talk: Talk, rapport: Assembly, text: str, says: str
) -> None:
    before = {h: p.roles for h, p in (await people(rapport)).items()}
    out = await talk(f"ann in #general: {text}")
    assert says in out
    assert {h: p.roles for h, p in (await people(rapport)).items()} == before
    assert await audit(rapport) == []


async def test_a_member_cannot_use_any_route_that_needs_a_role(
    talk: Talk, rapport: Assembly
) -> None:
    router = rapport.bot.router
    lines = [(f"/{name}", route.role) for name, route in router.commands.items()]
    lines += [(f"clicks {action} 1", route.role) for action, route in router.actions.items()]
    lines += [(f"submits {form} x=1", route.role) for form, route in router.forms.items()]
    guarded = [(line, role) for line, role in lines if role is not Role.MEMBER]
    assert guarded, "no route needs a role: this test would prove nothing"
    for line, role in guarded:
        said = f"bob in #general: {line}" if line.startswith("/") else f"bob {line}"
        before = await outbox_count(rapport)
        out = await talk(said)
        assert missing_role(role) in out, line
        assert await outbox_count(rapport) == before + 1, f"{line} wrote more than the refusal"
    assert await audit(rapport) == []


@pytest.mark.parametrize(("text", "role"), PRIVILEGED_SUBCOMMANDS)
async def test_a_member_cannot_use_any_privileged_subcommand(
    talk: Talk, rapport: Assembly, text: str, role: Role
) -> None:
    before = await outbox_count(rapport)
    out = await talk(f"bob in #general: {text}")
    assert f"you need the {role.value.replace('_', ' ')} role" in out.lower()
    assert "[form for @bob]" not in out
    assert await outbox_count(rapport) == before + 1
    assert await audit(rapport) == []
    assert (await people(rapport))["bob"].roles == []
