"""Roles are checked in the core: adapters only say who acted."""

from enum import StrEnum


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
    return role.replace("_", " ")


def missing_role(needed: Role) -> str:
    """What someone without the role is told: the same words for every check, and nothing
    about what they tried to reach."""
    name = role_name(needed.value)
    return (
        f"Only people with the {name} role can do that. You need the {name} role; "
        "a workspace admin can grant it."
    )
