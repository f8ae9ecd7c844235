"""Configuration values: checks on names and values before sending, and the read-back comparison.

Each dialect names its values differently (Fanvil `sip.line.1.EnableReg`, Grandstream P-values such
as `P1561` or `1561`); a `NamePolicy` says what a dialect accepts, so a typo is refused with a clear
ValueError before anything reaches the phone. Phones answer "success" to values they then ignore,
so every write is read back and compared (`not_taken`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import re
from typing import Final

from .errors import PhoneCommandError

MAX_NAMES: Final = 64
MAX_VALUE_LENGTH: Final = 512
MAX_TEXT_LENGTH: Final = 256
# Control characters end a line or an XML item early on the phones: never sent.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
_TEXT_CONTROL: Final = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # a new line is fine in a message


class ConfigNotTakenError(PhoneCommandError):
    """The phone answered success, but reading the values back shows it did not take them."""

    def __init__(self, names: Iterable[str]) -> None:
        """Name the values (never their contents: one may be a password)."""
        self.names = tuple(names)
        super().__init__(f"The phone did not take: {', '.join(self.names)}")


@dataclass(frozen=True, kw_only=True)
class NamePolicy:
    """What names a dialect reads and writes; `refused` lists names it must never write."""

    readable: re.Pattern[str]
    writable: re.Pattern[str]
    describe: str
    refused: Mapping[str, str] = field(default_factory=dict)  # lower-case name -> reason


# Grandstream P-values: "P1561" or "1561" (the number is the nvram address), or a named value
# such as vendor_name. P2 and P196 are the admin and user web passwords.
GRANDSTREAM_NAMES: Final = NamePolicy(
    readable=re.compile(r"[Pp]?\d{1,5}|[a-z][a-z0-9_]{0,40}"),
    writable=re.compile(r"[Pp]\d{1,5}"),
    describe="a P-value such as P1561 (writes: P and the number, as the Web API guide says)",
    refused={
        "p2": "the admin password: change it on the phone, then reconfigure the entry",
        "p196": "the user password: change it on the phone",
    },
)


def p_value_key(name: str) -> str:
    """Return the key a Grandstream phone reads a value by: the number without its P."""
    return name[1:] if name[:1] in "Pp" and name[1:].isdigit() else name


def validate_names(
    names: Iterable[str], policy: NamePolicy, *, write: bool = False
) -> tuple[str, ...]:
    """Return the names as given, or raise ValueError naming the first bad one."""
    if isinstance(names, str):
        names = [names]
    found = tuple(names)
    if not found:
        raise ValueError("give at least one configuration name")
    if len(found) > MAX_NAMES:
        raise ValueError(f"at most {MAX_NAMES} configuration names at once")
    pattern = policy.writable if write else policy.readable
    for name in found:
        if not isinstance(name, str):
            raise TypeError("configuration names must be strings")
        if not pattern.fullmatch(name):
            action = "written" if write else "read"
            raise ValueError(f"{name!r} cannot be {action} here: {policy.describe}")
        if write and (reason := policy.refused.get(name.lower())):
            raise ValueError(f"{name!r} is not written by this library: {reason}")
    return found


def validate_values(values: Mapping[str, str], policy: NamePolicy) -> dict[str, str]:
    """Return the values to write, or raise ValueError (bad name, non-text, control characters)."""
    validate_names(list(values), policy, write=True)
    checked: dict[str, str] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            raise TypeError(f"the value of {name!r} must be text")
        text = value
        if len(text) > MAX_VALUE_LENGTH:
            raise ValueError(f"the value of {name!r} is longer than {MAX_VALUE_LENGTH} characters")
        if _CONTROL.search(text):
            raise ValueError(f"the value of {name!r} holds a new line or control character")
        checked[name] = text
    return checked


def validate_message(text: str) -> str:
    """Return a message to show on a phone's screen, or raise ValueError."""
    if not isinstance(text, str):
        raise TypeError("the message must be text")
    text = text.strip()
    if not text:
        raise ValueError("the message must not be empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"the message is longer than {MAX_TEXT_LENGTH} characters")
    if _TEXT_CONTROL.search(text):
        raise ValueError("the message holds a control character")
    return text


def not_taken(wanted: Mapping[str, str], read: Mapping[str, str]) -> list[str]:
    """Names whose read-back differs from what was written (surrounding blanks aside)."""
    return [name for name, value in wanted.items() if read.get(name, "").strip() != value.strip()]


def parse_uptime(text: str) -> int | None:
    """Seconds from an uptime text: "1d 02:03:04", "2 days, 1 hour, 5 minutes, 3seconds", "1:02:03".

    None when nothing in it reads as a duration.
    """
    total = 0
    found = False
    for amount, unit in re.findall(
        r"(\d+)\s*(d|day|days|h|hour|hours|m|min|mins|minutes?|s|sec|secs|seconds?)\b", text.lower()
    ):
        total += int(amount) * _UNIT_SECONDS[unit[0]]
        found = True
    clock = re.search(r"(\d+):(\d{2}):(\d{2})", text)
    if clock:
        hours, minutes, seconds = (int(part) for part in clock.groups())
        total += hours * 3600 + minutes * 60 + seconds
        found = True
    return total if found else None


_UNIT_SECONDS: Final = {"d": 86400, "h": 3600, "m": 60, "s": 1}
