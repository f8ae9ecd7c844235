"""Fanvil / OpenVox HTTP API: XML posted to `/xmlService`.

`<FanvilConfiguration cmd="get">` reads the configuration tree, the read-only `info.*` keys
included; `<FanvilPhoneExecute>` runs `Dial:`, `Key:` and `Cmd:reboot`. With "Enable Push XML Auth"
on, the phone wants the web administrator's credentials (HTTP Basic).

The API has no line-status query, so this client cannot poll calls. Lines come from the phone's
Action URL pushes instead: whoever receives them (the integration's webhook) hands each event to
`record_event`, and status() returns the lines known that way, with the phone state derived from
them (UNKNOWN until the first event). Polling reads accounts and their registration only.

`info.sip.line.N.registerCode` is undocumented. Only 200 (the SIP final answer to a successful
REGISTER) is read as registered and a SIP failure code (400-699) as not registered; anything else
leaves `registered` unknown unless `EnableReg` is 0. The raw code is kept in `Account.raw_status`.

Cost of status(): 1 request (one `get` of the accounts' keys and `call.port.1.EnableDND`, the
do-not-disturb key of the guide's SET example). The first status() asks for MAX_ACCOUNTS accounts
and remembers how many the phone has.

Configuration: `get` (keys or nodes such as `sip.line.1.`), `set` (read back after writing) and
`del` of list records (section 3.1's lists). Text on the screen is the guide's "TextScreen" push;
its XML (`FanvilIPPhoneText` with `Title` and `Text`) is the one Fanvil's XML push documents use,
as the guide copy names the type only.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from http import HTTPStatus
import re
from typing import Final, override
import xml.etree.ElementTree as ET

import aiohttp

from .client import Capability, PhoneClient
from .config import ConfigNotTakenError, NamePolicy, parse_uptime
from .errors import (
    PhoneCommandError,
    PhoneDisconnectedError,
    PhoneResponseError,
    PhoneUnsupportedError,
)
from .login import SessionExpiredError
from .models import (
    Account,
    DeviceInfo,
    Dialect,
    Line,
    LineState,
    PhoneState,
    PhoneStatus,
    phone_state_from_lines,
)
from .parsing import as_bool, as_int, decode_text, normalise_mac
from .transport import Transport
from .xmlsafe import local_name, parse_xml, to_bytes

PATH: Final = "/xmlService"
SIP_CODES_END: Final = 700
STATUS_REQUESTS: Final = 1
MAX_ACCOUNTS: Final = 20
ACCOUNT_KEYS: Final = ("RegisterUser", "RegisterAddr", "DisplayName", "EnableReg")
DEVICE_KEYS: Final = (
    "info.dev.Model",
    "info.dev.Vendor",
    "info.dev.Mac",
    "info.dev.SN",
    "info.sys.FwVersion",
    "info.sys.HwVersion",
)
_BLANKS: Final = re.compile(r"\s+")
DND_KEY: Final = "call.port.1.EnableDND"
UPTIME_KEY: Final = "info.sys.UpTime"
DIAGNOSTIC_KEYS: Final = {"memory_free": "info.sys.MemFree", "flash_free": "info.sys.FlashFree"}
TEXT_TITLE: Final = "Home Assistant"
# Section 3.1's dynamic lists; `del` takes a record ("mmifilter.1") or a whole list ("mmifilter.").
LIST_RECORD: Final = re.compile(
    r"(dialplan|mmifilter|accesslist|inaccess|outaccess)\.(\d+)?", re.IGNORECASE
)
CONFIG_NAMES: Final = NamePolicy(
    readable=re.compile(r"\.|[A-Za-z]\w*(\.\w+)*\.?"),
    writable=re.compile(r"(?!info\.)[A-Za-z]\w*(\.\w+)+", re.IGNORECASE),
    describe="a Fanvil key such as sip.line.1.EnableReg (info.* keys are read-only)",
)


@dataclass(frozen=True, slots=True)
class Reply:
    """A decoded answer: RetCode and the `key = value` items, keys lower-cased without blanks."""

    code: int
    items: Mapping[str, str]
    names: Mapping[str, str]  # lower-cased key -> the spelling the phone used

    def get(self, key: str) -> str:
        """Return the value of `key` (any case), "" if absent or emptied."""
        return self.items.get(key.lower(), "")

    def under(self, node: str) -> dict[str, str]:
        """Every item under `node` ("sip.line.1."; "." for all), keyed as the phone spells them."""
        prefix = "" if node == "." else node.lower()
        return {
            self.names[key]: value for key, value in self.items.items() if key.startswith(prefix)
        }


def build_get(keys: Iterable[str]) -> bytes:
    """Build a `get` request for `keys`; ElementTree escapes the text."""
    root = ET.Element("FanvilConfiguration", {"cmd": "get"})
    for key in keys:
        ET.SubElement(root, "Item").text = key
    return to_bytes(root)


def build_config(cmd: str, items: Iterable[str]) -> bytes:
    """Build a `set` or `del` request, one Item each ("key = value" for set)."""
    root = ET.Element("FanvilConfiguration", {"cmd": cmd})
    for item in items:
        ET.SubElement(root, "Item").text = item
    return to_bytes(root)


def build_text(text: str, title: str = TEXT_TITLE) -> bytes:
    """Build the TextScreen push: a title and the message, with a beep."""
    root = ET.Element("FanvilIPPhoneText", {"Beep": "yes"})
    ET.SubElement(root, "Title").text = title
    ET.SubElement(root, "Text").text = text
    return to_bytes(root)


def build_execute(uris: Iterable[str]) -> bytes:
    """Build an Execute request, one `URI="Type:Param"` item each, as the guide writes them."""
    root = ET.Element("FanvilPhoneExecute")
    for uri in uris:
        ET.SubElement(root, "ExecuteItem").text = f'URI="{uri}"'
    return to_bytes(root)


def parse_reply(body: bytes | str) -> Reply:
    """RetCode and items from any Fanvil answer; PhoneResponseError if there is no RetCode."""
    root = parse_xml(decode_text(body))
    code: int | None = None
    items: dict[str, str] = {}
    names: dict[str, str] = {}
    for element in root.iter():
        name = local_name(element.tag)
        if name == "retcode" and code is None:
            code = as_int((element.text or "").strip())
        elif name == "item":
            key, _, value = (element.text or "").partition("=")
            key = _BLANKS.sub("", key)
            if key:
                items[key.lower()] = value.strip()
                names[key.lower()] = key
    if code is None:
        raise PhoneResponseError("Fanvil answer without a RetCode")
    return Reply(code=code, items=items, names=names)


def parse_device_info(reply: Reply) -> DeviceInfo:
    """DeviceInfo from the `info.dev.*` and `info.sys.*` items."""

    def value(key: str) -> str | None:
        return reply.get(key) or None

    return DeviceInfo(
        vendor=value("info.dev.Vendor"),
        model=value("info.dev.Model"),
        mac=normalise_mac(reply.get("info.dev.Mac")),
        firmware=value("info.sys.FwVersion"),
        hardware=value("info.sys.HwVersion"),
        serial=value("info.dev.SN"),
    )


def register_state(code: str, *, enabled: bool | None) -> bool | None:
    """Read what can be justified from an undocumented registerCode (see the module doc)."""
    number = as_int(code)
    if number == HTTPStatus.OK:  # SIP shares HTTP's status codes
        return True
    if number is not None and HTTPStatus.BAD_REQUEST <= number < SIP_CODES_END:
        return False
    if enabled is False:
        return False
    return None


def account_keys(count: int) -> list[str]:
    """List the keys status() asks for, for accounts 1..count."""
    keys = []
    for index in range(1, count + 1):
        keys += [f"sip.line.{index}.{name}" for name in ACCOUNT_KEYS]
        keys.append(f"info.sip.line.{index}.registerCode")
    return keys


def parse_accounts(reply: Reply, count: int) -> tuple[Account, ...]:
    """Accounts 1..count that the phone knows (an unknown key comes back emptied)."""
    accounts = []
    for index in range(1, count + 1):
        values = {name: reply.get(f"sip.line.{index}.{name}") for name in ACCOUNT_KEYS}
        code = reply.get(f"info.sip.line.{index}.registerCode")
        if not code and not any(values.values()):
            continue
        enabled = as_bool(values["EnableReg"]) if values["EnableReg"] else None
        accounts.append(
            Account(
                index=index,
                sip_id=values["RegisterUser"],
                server=values["RegisterAddr"],
                name=values["DisplayName"],
                registered=register_state(code, enabled=enabled),
                enabled=enabled,
                raw_status=code,
            )
        )
    return tuple(accounts)


class CallEvent(StrEnum):
    """Action URL events that change a line."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    ESTABLISHED = "established"
    HOLD = "hold"
    UNHOLD = "unhold"
    TERMINATED = "terminated"
    MISSED = "missed"


_EVENT_STATES: Final = {
    CallEvent.INCOMING: LineState.RINGING,
    CallEvent.OUTGOING: LineState.CALLING,
    CallEvent.ESTABLISHED: LineState.CONNECTED,
    CallEvent.HOLD: LineState.ON_HOLD,
    CallEvent.UNHOLD: LineState.CONNECTED,
    CallEvent.TERMINATED: LineState.IDLE,
    CallEvent.MISSED: LineState.IDLE,
}


_FREE: Final = frozenset({LineState.IDLE, LineState.UNKNOWN})


def apply_event(
    lines: tuple[Line, ...],
    event: CallEvent,
    *,
    remote_number: str = "",
    remote_name: str = "",
    account: int | None = None,
) -> tuple[Line, ...]:
    """Return the lines after one Action URL event (pure).

    A call is found by its remote number, else it is the only busy line; a new call takes the
    lowest idle (or new) line. Ended lines stay as idle so their entities go back to idle.
    """
    state = _EVENT_STATES[event]
    # A line restored at start (see `restore_lines`) is UNKNOWN until its next event: free too.
    busy = [line for line in lines if line.state not in _FREE]
    match = [line for line in busy if remote_number and line.remote_number == remote_number]
    if not match and len(busy) == 1 and event not in (CallEvent.INCOMING, CallEvent.OUTGOING):
        match = busy
    if match:
        target = match[0]
    elif state is LineState.IDLE:
        return lines  # an end of a call we never saw begin
    else:
        idle = [line.index for line in lines if line.state in _FREE]
        index = min(idle) if idle else len(lines) + 1
        target = Line(index=index, state=LineState.IDLE)
    if state is LineState.IDLE:
        updated = Line(index=target.index, state=LineState.IDLE, raw_state=event.value)
    else:
        updated = Line(
            index=target.index,
            state=state,
            account=account if account is not None else target.account,
            remote_number=remote_number or target.remote_number,
            remote_name=remote_name or target.remote_name,
            active=True,
            raw_state=event.value,
        )
    # The line of the latest event is the active one, as the phone would show it.
    others = [replace(line, active=False) for line in lines if line.index != target.index]
    return tuple(sorted([*others, updated], key=lambda line: line.index))


class FanvilClient(PhoneClient):
    """A Fanvil (or OpenVox) phone speaking the XML HTTP API."""

    dialect = Dialect.FANVIL
    capabilities = frozenset(
        {
            Capability.MAKE_CALL,
            Capability.REBOOT,
            Capability.SEND_KEYS,
            Capability.GET_CONFIG,
            Capability.SET_CONFIG,
            Capability.DELETE_CONFIG,
            Capability.DND,
            Capability.SHOW_TEXT,
            Capability.UPTIME,
        }
    )
    status_requests = STATUS_REQUESTS
    default_username = "admin"
    config_names = CONFIG_NAMES

    def __init__(
        self, transport: Transport, *, username: str | None = None, password: str | None = None
    ) -> None:
        """Prepare the client; nothing is sent yet."""
        super().__init__(transport, username=username, password=password)
        self._headers = self._build_headers()
        self._slots = MAX_ACCOUNTS
        self._lines: tuple[Line, ...] = ()
        self._heard = False
        self._accounts: tuple[Account, ...] = ()
        self._dnd: bool | None = None

    @override
    def set_credentials(self, username: str | None, password: str | None) -> None:
        super().set_credentials(username, password)
        self._headers = self._build_headers()

    def _build_headers(self) -> dict[str, str]:
        """Build the content type and, with a password, the HTTP Basic credentials.

        ValueError for a user name with a colon, which Basic cannot carry.
        """
        headers = {"Content-Type": "text/xml; charset=utf-8"}
        if self._password:
            # UTF-8, RFC 7617's only charset: a password such as "Grüße-2024" arrives whole.
            credentials = aiohttp.encode_basic_auth(
                self._username or "", self._password, encoding="utf-8"
            )
            self._transport.add_secret(credentials.removeprefix("Basic "))
            headers["Authorization"] = credentials
        return headers

    async def _post(self, document: bytes, *, once: bool = False) -> Reply:
        async def call() -> Reply:
            response = await self._transport.request(
                "POST", PATH, data=document, headers=self._headers, once=once
            )
            if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
                raise SessionExpiredError(f"Credentials refused (HTTP {response.status})")
            self._transport.check_status(response, PATH)
            return parse_reply(response.body)

        return await self._guard.run(call)

    async def _get(self, keys: Iterable[str]) -> Reply:
        reply = await self._post(build_get(keys))
        if reply.code != 0:
            raise PhoneResponseError(f"The phone answered RetCode {reply.code} to a get")
        return reply

    async def _execute(self, *uris: str) -> None:
        reply = await self._post(build_execute(uris), once=True)
        if reply.code != 0:
            raise PhoneCommandError(f"The phone refused {', '.join(uris)} (RetCode {reply.code})")

    async def _command(self, document: bytes, what: str) -> None:
        reply = await self._post(document, once=True)
        if reply.code != 0:
            raise PhoneCommandError(f"The phone refused {what} (RetCode {reply.code})")

    async def device_info(self) -> DeviceInfo:
        """One request: the `info.dev.*` and `info.sys.*` version keys."""
        return parse_device_info(await self._get(DEVICE_KEYS))

    async def status(self) -> PhoneStatus:
        """One request for the accounts; lines as reported through `record_event`."""
        reply = await self._get([*account_keys(self._slots), DND_KEY])
        accounts = parse_accounts(reply, self._slots)
        if accounts:
            self._slots = max(account.index for account in accounts)
        self._accounts = accounts
        dnd = reply.get(DND_KEY)
        self._dnd = as_bool(dnd) if dnd else None
        return self._known_status()

    def _known_status(self) -> PhoneStatus:
        if not self._heard:
            state = PhoneState.UNKNOWN
        elif self._lines:
            state = phone_state_from_lines(self._lines)
        else:
            state = PhoneState.AVAILABLE
        return PhoneStatus(state=state, lines=self._lines, accounts=self._accounts, dnd=self._dnd)

    def restore_lines(self, indexes: Iterable[int]) -> None:
        """Know these lines again (after a restart), in an unknown state until their next event.

        The phone cannot be asked which lines it has or what they do; whoever kept the indexes
        from before (Home Assistant's entity registry) hands them back. Lines known already stay.
        """
        known = {line.index for line in self._lines}
        restored = [Line(index=index, state=LineState.UNKNOWN) for index in indexes]
        self._lines = tuple(
            sorted(
                [*self._lines, *(line for line in restored if line.index not in known)],
                key=lambda line: line.index,
            )
        )

    def record_event(
        self,
        event: CallEvent | str,
        *,
        remote_number: str = "",
        remote_name: str = "",
        local: str = "",
    ) -> PhoneStatus:
        """Apply an Action URL event ($remote, $display_remote, $local) to the known lines.

        `local` (the account's SIP user id) picks the account from the last status(). Returns
        the resulting status without contacting the phone. Unknown events raise ValueError.
        """
        event = CallEvent(event)
        account = next((a.index for a in self._accounts if local and a.sip_id == local), None)
        self._lines = apply_event(
            self._lines,
            event,
            remote_number=remote_number,
            remote_name=remote_name,
            account=account,
        )
        self._heard = True
        return self._known_status()

    @override
    async def _do_make_call(self, number: str, account: int | None) -> None:
        if account is not None:
            raise PhoneUnsupportedError("Fanvil's Dial command has no account choice")
        await self._execute(f"Dial:{number}")

    @override
    async def _do_reboot(self) -> None:
        try:
            await self._execute("Cmd:reboot")
        except PhoneDisconnectedError:
            return  # the phone went down while answering, as a rebooting phone may

    @override
    async def _do_send_keys(self, keys: tuple[str, ...]) -> None:
        await self._execute(*(f"Key:{key}" for key in keys))

    @override
    async def _do_get_config(self, names: tuple[str, ...]) -> dict[str, str]:
        reply = await self._get(names)
        values: dict[str, str] = {}
        for name in names:
            if name.endswith("."):
                values |= reply.under(name)
            else:
                values[name] = reply.get(name)
        return values

    @override
    async def _do_set_config(self, values: Mapping[str, str]) -> None:
        items = [f"{name} = {value}" for name, value in values.items()]
        await self._command(build_config("set", items), "the configuration")

    @override
    async def _do_delete_config(self, names: tuple[str, ...]) -> None:
        for name in names:
            if not LIST_RECORD.fullmatch(name):
                raise ValueError(
                    f"{name!r} is not a list record: give one such as mmifilter.1 or mmifilter."
                )
        await self._command(build_config("del", names), "deleting " + ", ".join(names))
        # A record's keys sit under "list.N."; a whole list's under "list.".
        nodes = [name if name.endswith(".") else name + "." for name in names]
        reply = await self._get(nodes)
        left = [name for name, node in zip(names, nodes, strict=True) if reply.under(node)]
        if left:
            raise ConfigNotTakenError(left)

    @override
    async def _do_set_dnd(self, enabled: bool) -> None:
        values = {DND_KEY: "1" if enabled else "0"}
        await self._do_set_config(values)
        await self._check_taken(values)
        self._dnd = enabled

    @override
    async def _do_show_text(self, text: str) -> None:
        await self._command(build_text(text), "the message")

    @override
    async def _do_uptime(self) -> int:
        raw = (await self._get([UPTIME_KEY])).get(UPTIME_KEY)
        seconds = parse_uptime(raw)
        if seconds is None:
            raise PhoneResponseError(f"info.sys.UpTime is not a duration: {raw[:40]!r}")
        return seconds

    @override
    async def diagnostics(self) -> dict[str, str]:
        """Free memory and flash (`info.sys.MemFree`, `info.sys.FlashFree`) as the phone says."""
        reply = await self._get(DIAGNOSTIC_KEYS.values())
        return {label: reply.get(key) for label, key in DIAGNOSTIC_KEYS.items()}
