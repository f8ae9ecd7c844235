"""What the three Grandstream dialects share: account lists, contacts, time and uptime text."""

import time

from simulator.answers import Json
from simulator.model import SimulatedPhone
from simulator.state import Contact

TRUTHY = frozenset({"1", "true", "yes", "on"})


def accounts_body(phone: SimulatedPhone, *, registered_only: bool = False) -> list[Json]:
    """Build the account status objects of `api-get_accounts` (Web API and CTI; ids from 1)."""
    return [
        {
            "id": account.index,
            "sip_server": account.sip_server,
            "sip_id": account.sip_id,
            "name": account.name,
            "reg": int(account.registered),
        }
        for account in phone.accounts
        if account.registered or not registered_only
    ]


def contact_body(contact: Contact) -> dict[str, Json]:
    """Show a contact as both the Web API and GMI do: every value a string."""
    return {
        "contactID": str(contact.id),
        "contactName": contact.name,
        "groupID": str(contact.group),
        "work": contact.work,
        "home": contact.home,
        "mobile": contact.mobile,
        "fax": contact.fax,
        "email": contact.email,
    }


def split_uptime(seconds: float) -> tuple[int, int, int, int]:
    """Split seconds into days, hours, minutes and seconds."""
    whole = int(seconds)
    return whole // 86400, whole // 3600 % 24, whole // 60 % 60, whole % 60


def plural(count: int, word: str) -> str:
    """Write "1 day" or "2 days"."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def time_body(phone: SimulatedPhone) -> dict[str, Json]:
    """Answer `api-get_time`, spaced as the guide shows (" 11:30AM", "23seconds")."""
    now = time.localtime()
    days, hours, minutes, seconds = split_uptime(phone.uptime)
    return {
        "date": time.strftime("%a %m/%d/%Y", now),
        "time": " " + time.strftime("%I:%M%p", now),
        "uptime": (
            f" {plural(days, 'day')}, {plural(hours, 'hour')}, {plural(minutes, 'minute')}, "
            f"{seconds}seconds"
        ),
    }


def is_truthy(value: str) -> bool:
    """Read a flag the way the guide allows it: "1" or "true" (and the usual friends)."""
    return value.strip().lower() in TRUTHY
