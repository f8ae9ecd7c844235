"""The phone's phonebook: tolerant parsing of contacts and groups, and the Web API's endpoints.

Both Grandstream guides show the same objects (`contactID`, `contactName`, `groupID`, `work`,
`home`, `mobile`, `fax`, `email`, every value a string; groups `groupID`, `groupName`), the Web
API inside `{"res": "success", "msg": [...]}`, GMI the same, JSONP-wrapped, and
`{"res": "error", "msg": "0"}` when there is nothing. Firmware drifts in case, in numbers as
numbers, in a lone object for a list of one, and in names split into first and last.
"""

from typing import Final, override

from .cgi import CGI_CAPABILITIES, CgiClient
from .client import Capability
from .errors import PhoneResponseError
from .grandstream import Envelope, check_command
from .models import Contact, ContactGroup, NumberKind
from .parsing import JsonObject, JsonValue, as_list, as_str, get_ci
from .redaction import quote

GET_CONTACTS: Final = "api-get_contacts"
SAVE_CONTACT: Final = "api-save_edit_contact"
DELETE_CONTACT: Final = "api-delete_contact"
GET_GROUPS: Final = "api-get_groups"
ADD_GROUP: Final = "api-add_group"
EDIT_DELETE_GROUP: Final = "api-edit_delete_group"

PHONEBOOK_CAPABILITIES: Final = frozenset({Capability.CONTACTS, Capability.EDIT_CONTACTS})

# What "nothing there" looks like: GMI's documented "0", or an empty body.
_NOTHING: Final = frozenset({"", "0"})
# The Web API's save_edit_contact names the numbers newphone1..4 (work, home, mobile, fax).
NEW_PHONE_FIELDS: Final = {
    NumberKind.WORK: "newphone1",
    NumberKind.HOME: "newphone2",
    NumberKind.MOBILE: "newphone3",
    NumberKind.FAX: "newphone4",
}
_NUMBER_KEYS: Final = {
    NumberKind.WORK: ("work", "newphone1", "office"),
    NumberKind.HOME: ("home", "newphone2"),
    NumberKind.MOBILE: ("mobile", "newphone3", "cell"),
    NumberKind.FAX: ("fax", "newphone4"),
}


def is_nothing(value: JsonValue) -> bool:
    """Tell whether an answer's body says there are no entries."""
    return value is None or (not isinstance(value, (dict, list)) and as_str(value) in _NOTHING)


def _items(value: JsonValue, what: str) -> list[JsonObject]:
    """Return the entries of an answer: its `msg`/`body` list, a bare list, or a lone object."""
    if isinstance(value, dict) and get_ci(value, "res", "response") is not None:
        value = get_ci(value, "msg", "body")
    if is_nothing(value):
        return []
    if isinstance(value, dict):
        inner = get_ci(value, "contacts", "groups", "data", "list")
        if isinstance(inner, (list, dict)):
            value = inner
    return [item for item in as_list(value, what) if isinstance(item, dict)]


def parse_contact(item: JsonObject) -> Contact | None:
    """One contact object; None when it has neither a name nor a number."""
    numbers = {kind.value: as_str(get_ci(item, *keys)) for kind, keys in _NUMBER_KEYS.items()}
    name = as_str(get_ci(item, "contactName", "name", "ctName", "displayName"))
    if not name:
        first = as_str(get_ci(item, "firstName", "first_name"))
        name = f"{first} {as_str(get_ci(item, 'lastName', 'last_name'))}".strip()
    name = name or next((number for number in numbers.values() if number), "")
    if not name:
        return None
    group = as_str(get_ci(item, "groupID", "groupId", "group", "gpID"))
    return Contact(
        id=as_str(get_ci(item, "contactID", "contactId", "id", "ctID")),
        name=name,
        group=group or None,
        email=as_str(get_ci(item, "email", "mail")),
        **numbers,
    )


def parse_contacts(value: JsonValue) -> tuple[Contact, ...]:
    """Contacts from a get_contacts/getcontact answer (or its `msg`), in the phone's order."""
    found = (parse_contact(item) for item in _items(value, "contacts"))
    return tuple(contact for contact in found if contact is not None)


def parse_groups(value: JsonValue) -> tuple[ContactGroup, ...]:
    """Read groups from a get_groups/getgroup answer (or its `msg`), leaving nameless ones out."""
    groups = []
    for item in _items(value, "groups"):
        name = as_str(get_ci(item, "groupName", "name", "gpName"))
        if name:
            group_id = as_str(get_ci(item, "groupID", "goupID", "groupId", "id", "gpID"))
            groups.append(ContactGroup(id=group_id, name=name))
    return tuple(groups)


def read_body(envelope: Envelope, what: str) -> JsonValue:
    """Return the list a phonebook read answered; an error saying "nothing" is an empty one."""
    if envelope.success:
        return envelope.body
    if is_nothing(envelope.body):
        return []
    raise PhoneResponseError(f"{what} failed: {quote(as_str(envelope.body))}")


class CgiPhonebook(CgiClient):
    """The Web API guide's phonebook endpoints, for clients with `/cgi-bin/api-*`."""

    @override
    async def _do_get_contacts(self, search: str | None) -> tuple[Contact, ...]:
        """One request: api-get_contacts, with `contactname` to search on the phone."""
        envelope = await self._api(GET_CONTACTS, {"contactname": search} if search else None)
        return parse_contacts(read_body(envelope, GET_CONTACTS))

    @override
    async def _do_get_groups(self) -> tuple[ContactGroup, ...]:
        return parse_groups(read_body(await self._api(GET_GROUPS), GET_GROUPS))

    @override
    async def _do_save_contact(self, contact: Contact) -> str | None:
        # The whole name goes in firstname: the phone shows "first last", so it reads back as is.
        params = {"firstname": contact.name, "lastname": "", "email": contact.email}
        params |= {field: getattr(contact, kind.value) for kind, field in NEW_PHONE_FIELDS.items()}
        if contact.id:
            params["id"] = contact.id
        if contact.group is not None:
            params["group"] = contact.group
        check_command(await self._api(SAVE_CONTACT, params), "saving the contact")
        return contact.id or None  # the guide's answer carries no new id

    @override
    async def _do_delete_contact(self, contact_id: str) -> None:
        envelope = await self._api(DELETE_CONTACT, {"id": contact_id})
        check_command(envelope, "deleting the contact")

    @override
    async def _do_save_group(self, group: ContactGroup) -> str | None:
        if group.id:
            envelope = await self._api(EDIT_DELETE_GROUP, {"id": group.id, "name": group.name})
        else:
            envelope = await self._api(ADD_GROUP, {"name": group.name})
        check_command(envelope, "saving the group")
        return group.id or None

    @override
    async def _do_delete_group(self, group_id: str) -> None:
        # A blank name deletes the group (the guide's edit_delete_group).
        envelope = await self._api(EDIT_DELETE_GROUP, {"id": group_id, "name": ""})
        check_command(envelope, "deleting the group")


CGI_PHONEBOOK_CAPABILITIES: Final = CGI_CAPABILITIES | PHONEBOOK_CAPABILITIES
