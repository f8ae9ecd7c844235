"""The phone's contacts and groups, shared by every dialect that shows them."""

from collections.abc import Iterable
from dataclasses import replace
from typing import Final
from xml.sax.saxutils import escape

from simulator.state import Contact, Group

DEFAULT_GROUP: Final = 0
# Group ids from here on are the phone's own (the guides show "100" for the blacklist).
SYSTEM_GROUPS: Final = 100


def factory_contacts() -> list[Contact]:
    """Return the two contacts the Web API and GMI guides show in their examples."""
    return [Contact(0, "xxx", work="8819"), Contact(1, "grandstream", work="3587")]


def factory_groups() -> list[Group]:
    """Return the groups the guides show: default (0) and blacklist (100)."""
    return [Group(DEFAULT_GROUP, "default"), Group(SYSTEM_GROUPS, "blacklist")]


def upsert[T: (Contact, Group)](entries: list[T], entry: T) -> T:
    """Replace the entry with the same id, or append it."""
    for position, existing in enumerate(entries):
        if existing.id == entry.id:
            entries[position] = entry
            return entry
    entries.append(entry)
    return entry


class Phonebook:
    """Contacts and groups, with the operations the dialects offer on them."""

    def __init__(self, contacts: Iterable[Contact] = (), groups: Iterable[Group] = ()) -> None:
        """Hold copies of `contacts` and `groups`."""
        self.contacts: list[Contact] = [replace(contact) for contact in contacts]
        self.groups: list[Group] = [replace(group) for group in groups]

    # Contacts ----------------------------------------------------------------------------------
    def contact(self, contact_id: int) -> Contact | None:
        """Return the contact with this id, if there is one."""
        return next((c for c in self.contacts if c.id == contact_id), None)

    def find(
        self, contact_id: int | None = None, name: str = "", group: int | None = None
    ) -> list[Contact]:
        """Filter as both Grandstream guides describe: by name first, then id, then group."""
        if name:
            return [c for c in self.contacts if name.lower() in c.name.lower()]
        if contact_id is not None:
            return [c for c in self.contacts if c.id == contact_id]
        if group is not None:
            return [c for c in self.contacts if c.group == group]
        return list(self.contacts)

    def save(self, contact: Contact) -> Contact:
        """Edit the contact with this id, or add it; id -1 means "the next free id"."""
        if contact.id < 0:
            contact = replace(contact, id=max((c.id for c in self.contacts), default=-1) + 1)
        return upsert(self.contacts, contact)

    def remove(self, contact_id: int) -> bool:
        """Remove a contact; False if there was none with this id."""
        before = len(self.contacts)
        self.contacts = [c for c in self.contacts if c.id != contact_id]
        return len(self.contacts) != before

    def clear(self) -> None:
        """Remove every contact."""
        self.contacts.clear()

    def number_name(self, number: str) -> str:
        """Return the name a phone shows for a number it knows, else ""."""
        for contact in self.contacts:
            if number in (contact.work, contact.home, contact.mobile):
                return contact.name
        return ""

    # Groups ------------------------------------------------------------------------------------
    def group(self, group_id: int) -> Group | None:
        """Return the group with this id, if there is one."""
        return next((g for g in self.groups if g.id == group_id), None)

    def save_group(self, group: Group) -> Group:
        """Rename the group with this id, or add it; id -1 means "the next free id"."""
        if group.id < 0:
            used = (g.id for g in self.groups if g.id < SYSTEM_GROUPS)
            group = replace(group, id=max(used, default=0) + 1)
        return upsert(self.groups, group)

    def clear_group(self, group_id: int) -> None:
        """Move the group's contacts to the default group."""
        for contact in self.contacts:
            if contact.group == group_id:
                contact.group = DEFAULT_GROUP

    def remove_group(self, group_id: int) -> bool:
        """Remove a group, its contacts going to the default group; the default group stays."""
        if group_id == DEFAULT_GROUP or self.group(group_id) is None:
            return False
        self.clear_group(group_id)
        self.groups = [g for g in self.groups if g.id != group_id]
        return True

    # Export ------------------------------------------------------------------------------------
    def to_xml(self) -> str:
        """Write the Grandstream XML phonebook (AddressBook) that phonebook download serves."""
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<AddressBook>"]
        lines += [
            f"  <pbgroup><id>{g.id}</id><name>{escape(g.name)}</name></pbgroup>"
            for g in self.groups
        ]
        for contact in self.contacts:
            lines += [
                "  <Contact>",
                f"    <id>{contact.id}</id>",
                f"    <FirstName>{escape(contact.first_name)}</FirstName>",
                f"    <LastName>{escape(contact.last_name)}</LastName>",
            ]
            numbers = (
                ("Work", contact.work),
                ("Home", contact.home),
                ("Cell", contact.mobile),
                ("Fax", contact.fax),
            )
            lines += [
                f'    <Phone type="{kind}"><phonenumber>{escape(number)}</phonenumber>'
                "<accountindex>1</accountindex></Phone>"
                for kind, number in numbers
                if number
            ]
            if contact.email:
                lines.append(f"    <Mail>{escape(contact.email)}</Mail>")
            lines += [f"    <Groups><groupid>{contact.group}</groupid></Groups>", "  </Contact>"]
        lines.append("</AddressBook>")
        return "\n".join(lines) + "\n"
