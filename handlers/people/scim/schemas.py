"""What the SCIM service publishes about itself (RFC 7643 §5–7): only the attributes it keeps.

An identity provider may send more (phone numbers, addresses, titles); they are not stored,
since no feature uses them, and the schema says so by not listing them. `displayName` (else
`name.formatted`, else the given and family names) becomes the person's name in Rapport but
is not echoed back: platform profiles may rename people, and the name shown is theirs.
"""

from typing import Any

from handlers.people.i18n import _

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
CONFIG = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
MAX_RESULTS = 200


def _attribute(
    name: str,
    kind: str = "string",
    *,
    description: str,
    required: bool = False,
    case_exact: bool = False,
    mutability: str = "readWrite",
    uniqueness: str = "none",
    multi: bool = False,
    sub: list[dict[str, Any]] | None = None,
    references: list[str] | None = None,
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": name,
        "type": kind,
        "multiValued": multi,
        "description": description,
        "required": required,
        "caseExact": case_exact,
        "mutability": mutability,
        "returned": "default",
        "uniqueness": uniqueness,
    }
    if sub is not None:
        found["subAttributes"] = sub
    if references is not None:
        found["referenceTypes"] = references
    return found


def _user_attributes() -> list[dict[str, Any]]:
    """Written when asked for, in the language the service speaks."""
    return [
        _attribute(
            "userName",
            description=_("Unique identifier for the user, typically an e-mail address."),
            required=True,
            uniqueness="server",
        ),
        _attribute(
            "emails",
            "complex",
            description=_(
                "E-mail addresses; one is kept (the primary one, else the first), and it "
                "matches the person across sources."
            ),
            multi=True,
            sub=[_attribute("value", description=_("The e-mail address."))],
        ),
        _attribute(
            "active",
            "boolean",
            description=_(
                "False once the person left: nothing reaches them any more. A User "
                "created without it is active."
            ),
            required=True,
        ),
    ]


def _enterprise_attributes() -> list[dict[str, Any]]:
    return [
        _attribute("department", description=_("The department, for audiences and breakdowns.")),
        _attribute(
            "manager",
            "complex",
            description=_("The person's manager, for reporting lines."),
            sub=[
                _attribute("value", description=_("The id of the manager's User."), required=True),
                _attribute(
                    "$ref",
                    "reference",
                    description=_("The URI of the manager's User."),
                    references=["User"],
                ),
            ],
        ),
    ]


def _schema(schema_id: str, name: str, attributes: list[dict[str, Any]], base: str) -> Any:
    return {
        "schemas": [SCHEMA],
        "id": schema_id,
        "name": name,
        # Translators: {name} is the SCIM schema's name (User or EnterpriseUser), kept as it is.
        "description": _("{name} as the Rapport people directory keeps it").format(name=name),
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": f"{base}/Schemas/{schema_id}"},
    }


def schemas(base: str) -> list[dict[str, Any]]:
    return [
        _schema(USER, "User", _user_attributes(), base),
        _schema(ENTERPRISE, "EnterpriseUser", _enterprise_attributes(), base),
    ]


def resource_types(base: str) -> list[dict[str, Any]]:
    return [
        {
            "schemas": [RESOURCE_TYPE],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": _("People of the workspace"),
            "schema": USER,
            "schemaExtensions": [{"schema": ENTERPRISE, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/User"},
        }
    ]


def service_provider_config(base: str) -> dict[str, Any]:
    return {
        "schemas": [CONFIG],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": _("Bearer token"),
                "description": _("The token set in SCIM_TOKEN, as `Authorization: Bearer …`"),
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base}/ServiceProviderConfig",
        },
    }
