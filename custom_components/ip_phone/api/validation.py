"""Checks on what callers pass in, done before anything is sent.

Values are URL-encoded or XML-escaped by libraries later; these checks keep out what a phone would
misread anyway (separators, markup, control characters) and say so with a clear ValueError.
"""

from collections.abc import Sequence
import re
from typing import Final

import yarl

from .models import Contact, ContactGroup

MAX_NUMBER_LENGTH: Final = 64
MAX_KEYS: Final = 64
KEY_SEPARATOR: Final = ":"
MAX_INDEX: Final = 255
MAX_PORT: Final = 65535
MAX_TEXT_LENGTH: Final = 128

# Dial strings: digits, * and #, a leading +, and SIP user names ("reception", "100@pbx.example").
_NUMBER: Final = re.compile(r"[0-9A-Za-z*#+._@-]+")
# Key names as the phones spell them: 0-9, *, #, STAR, POUND, SPEAKER, VUP, MPK1, F_HOLD...
_KEY: Final = re.compile(r"[0-9A-Za-z*#_+-]{1,24}")
# Phonebook ids are the phone's own counters. GMI joins a contact's fields with "::", so a text
# holding "::" (or ending in ":") would shift every field after it.
_ID: Final = re.compile(r"\d{1,10}")
_BAD_TEXT: Final = re.compile(r"::|:$|[\x00-\x1f\x7f]")


def _describe(value: str) -> str:
    bad = sorted({ch for ch in value if not _NUMBER.fullmatch(ch)})
    return ", ".join(repr(ch) for ch in bad) or "nothing"


def validate_number(number: str) -> str:
    """Return the number to dial, or raise ValueError naming what is wrong with it."""
    if not isinstance(number, str):
        raise TypeError("number must be a string")
    if not number:
        raise ValueError("number must not be empty")
    if len(number) > MAX_NUMBER_LENGTH:
        raise ValueError(f"number is longer than {MAX_NUMBER_LENGTH} characters")
    if not _NUMBER.fullmatch(number):
        raise ValueError(
            f"number may hold only digits, letters, * # + . _ @ and -; found {_describe(number)}"
        )
    return number


def validate_keys(keys: str | Sequence[str]) -> tuple[str, ...]:
    """Return key names from "1:2:STAR" or ["1", "2", "STAR"], or raise ValueError."""
    tokens: Sequence[str] = keys.split(KEY_SEPARATOR) if isinstance(keys, str) else keys
    if not tokens or (len(tokens) == 1 and not tokens[0]):
        raise ValueError("keys must not be empty")
    if len(tokens) > MAX_KEYS:
        raise ValueError(f"at most {MAX_KEYS} keys at once")
    for token in tokens:
        if not isinstance(token, str):
            raise TypeError("every key must be a string")
        if not _KEY.fullmatch(token):
            raise ValueError(
                f"key {token!r} is not a key name (letters, digits, * # _ + -, at most 24)"
            )
    return tuple(tokens)


def validate_index(value: int | None, what: str) -> int | None:
    """Check a 1-based line or account index (or None); ValueError for anything else."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int")
    if not 1 <= value <= MAX_INDEX:
        raise ValueError(f"{what} must be between 1 and {MAX_INDEX}, got {value}")
    return value


def build_base_url(host: str, port: int | None, *, https: bool) -> yarl.URL:
    """Build the phone's base URL; ValueError for a host or port that is not one."""
    if not isinstance(host, str) or not host.strip():
        raise ValueError("host must not be empty")
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if re.search(r"[\s/?#@\\]", host):
        raise ValueError(f"host {host!r} must be a host name or address, not a URL")
    if port is not None and (isinstance(port, bool) or not 1 <= port <= MAX_PORT):
        raise ValueError(f"port must be between 1 and {MAX_PORT}, got {port}")
    try:
        return yarl.URL.build(scheme="https" if https else "http", host=host, port=port)
    except (ValueError, TypeError) as err:
        raise ValueError(f"host {host!r} is not valid: {err}") from None


def validate_text(value: str, what: str) -> str:
    """Return a phonebook name, search or e-mail, stripped; ValueError if it cannot be sent."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string")
    value = value.strip()
    if len(value) > MAX_TEXT_LENGTH:
        raise ValueError(f"{what} is longer than {MAX_TEXT_LENGTH} characters")
    if _BAD_TEXT.search(value):
        raise ValueError(f"{what} must not hold control characters or '::'")
    return value


def validate_id(value: str, what: str) -> str:
    """Return a phonebook id ("0", "12"); ValueError for anything else, "" included."""
    if not isinstance(value, str) or not _ID.fullmatch(value.strip()):
        raise ValueError(f"{what} must be the phone's id, digits only, got {value!r}")
    return value.strip()


def validate_contact(contact: Contact) -> Contact:
    """Return the contact with its texts stripped; ValueError naming the field that is wrong."""
    name = validate_text(contact.name, "name")
    if not name:
        raise ValueError("name must not be empty")
    numbers = {
        kind.value: validate_number(number.strip()) for kind, number in contact.numbers.items()
    }
    return Contact(
        id=validate_id(contact.id, "contact id") if contact.id else "",
        name=name,
        group=validate_id(contact.group, "group id") if contact.group else None,
        email=validate_text(contact.email, "email"),
        **numbers,
    )


def validate_group(group: ContactGroup) -> ContactGroup:
    """Return the group with its name stripped; ValueError if it cannot be sent."""
    name = validate_text(group.name, "group name")
    if not name:
        raise ValueError("group name must not be empty")
    return ContactGroup(id=validate_id(group.id, "group id") if group.id else "", name=name)
