"""Roles are checked in the core: adapters only say who acted."""

from enum import StrEnum

from bot.kit.core_catalog import _


class Role(StrEnum):
    ADMIN = "admin"
    HR = "hr"
    COMMUNITY_MANAGER = "community_manager"
    MEMBER = "member"


def has_role(person_roles: list[str], needed: Role) -> bool:
    """Everyone is a member; an admin may do everything."""
    return needed is Role.MEMBER or Role.ADMIN in person_roles or needed in person_roles


def parse_role(text: str) -> Role | None:
    wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {"cm": Role.COMMUNITY_MANAGER, "community": Role.COMMUNITY_MANAGER}
    if wanted in aliases:
        return aliases[wanted]
    return next((role for role in Role if role.value == wanted), None)


def role_name(role: str) -> str:
    """The role as people call it, in the language being spoken."""
    names = {
        Role.ADMIN.value: _("admin"),
        Role.HR.value: _("hr"),
        Role.COMMUNITY_MANAGER.value: _("community manager"),
        Role.MEMBER.value: _("member"),
    }
    return names.get(role) or role.replace("_", " ")


def missing_role(needed: Role) -> str:
    """What someone without the role is told: the same words for every check, and nothing
    about what they tried to reach."""
    return _(
        "Only people with the {role} role can do that. You need the {role} role; "
        "a workspace admin can grant it."
    ).format(role=role_name(needed.value))
