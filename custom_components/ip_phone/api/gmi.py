"""Grandstream GXP2200 GMI Web Service: `GET /manager?action=...&format=json`.

Login is `action=login&username=U&secret=P` (the password itself: the guide has no token scheme);
the session expires after 900 s idle and then every action answers "authentication required".
`productinfo` needs no login. Answers may be JSONP-wrapped, bare numbers (lineStatus) or text.

Cost of status(): 4 requests, sent together: accountStatus and lineStatus for lines 1-3 (GMI 8 and
newer). A phone without lineStatus ("command not found") is remembered and then costs 1 request,
with the phone state derived from the accounts' call states.

Beyond the copy (the full guide): `getParameter` is `action=get&var-0000=P...` answering the values
keyed by P-value number; `setNewMessage` (`setnewmessage`, flag 1 sends) is how a message reaches
the phone's screen: it is sent to the phone's own first account, so it arrives as a new message.
The guide's page with setParameter's request is not in any copy we hold, so nothing is written.
"""

from contextlib import suppress
from http import HTTPStatus
import re
from typing import Final, override

from .client import Capability, PhoneClient, any_call, both, gather
from .config import NamePolicy
from .errors import (
    PhoneAuthenticationError,
    PhoneCommandError,
    PhoneResponseError,
    PhoneUnsupportedError,
)
from .grandstream import line_state
from .login import SessionExpiredError
from .models import (
    Account,
    Contact,
    ContactGroup,
    DeviceInfo,
    Dialect,
    Line,
    LineState,
    PhoneState,
    PhoneStatus,
    phone_state_from_lines,
)
from .parsing import (
    JsonObject,
    JsonValue,
    as_bool,
    as_int,
    as_list,
    as_object,
    as_str,
    get_ci,
    normalise_mac,
    optional_str,
    parse_loose,
)
from .phonebook import PHONEBOOK_CAPABILITIES, is_nothing, parse_contacts, parse_groups

PATH: Final = "/manager"
# getParameter takes P-values by number (the guide's example: var-0000=7044&var-0001=904).
CONFIG_NAMES: Final = NamePolicy(
    readable=re.compile(r"[Pp]?\d{1,5}"),
    writable=re.compile(r"(?!)"),  # no writer: see the module docstring
    describe="a P-value such as P7044 or 7044",
)
FIRMWARE_P_VALUE: Final = "68"
NETWORK_FIELDS: Final = ("ip", "mask", "gateway", "dns", "type")
LINES: Final = 3  # lineStatus takes line=0..2 for lines 1 to 3
STATUS_REQUESTS: Final = 1 + LINES

_EXPIRED: Final = re.compile(r"authentication required|not logged|login required", re.IGNORECASE)
_REFUSED: Final = re.compile(r"authentication failed|unauthori[sz]ed|locked|denied", re.IGNORECASE)
_UNKNOWN_ACTION: Final = re.compile(r"command not found", re.IGNORECASE)
_NO_SUCH_LINE: Final = re.compile(r"line invalid|line can't be null", re.IGNORECASE)

# accountStatus "Status": 0 unregistered; 1 and 2 registered; 3 and 5 dialing; 4 ringing; 6 talking.
ACCOUNT_CALL_STATES: Final[dict[int, PhoneState]] = {
    3: PhoneState.BUSY,
    4: PhoneState.RINGING,
    5: PhoneState.BUSY,
    6: PhoneState.BUSY,
}


class GmiError(PhoneCommandError):
    """A GMI action answered `{"res": "error", "msg": ...}`."""

    def __init__(self, message: str) -> None:
        """Keep the phone's `msg`."""
        super().__init__(message)
        self.msg = message


def parse_answer(body: bytes | str) -> JsonValue:
    """Decode a GMI answer; error answers raise the matching PhoneError.

    "authentication required" -> SessionExpiredError, "authentication failed" ->
    PhoneAuthenticationError, "command not found" -> PhoneUnsupportedError, others -> GmiError.
    """
    value = parse_loose(body)
    if isinstance(value, dict):
        result = as_str(get_ci(value, "res", "response")).lower()
        if result == "error":
            msg = get_ci(value, "msg", "message")
            msg = as_str(msg) if not isinstance(msg, (dict, list)) else ""
            if _EXPIRED.search(msg):
                raise SessionExpiredError(f"GMI session expired: {msg}")
            if _REFUSED.search(msg):
                raise PhoneAuthenticationError(f"GMI login refused: {msg}")
            if _UNKNOWN_ACTION.search(msg):
                raise PhoneUnsupportedError(f"GMI does not know this action: {msg}")
            raise GmiError(msg or "error")
    return value


def _success(value: JsonValue, what: str) -> JsonObject:
    obj = as_object(value, what)
    if as_str(get_ci(obj, "res", "response")).lower() != "success":
        raise PhoneResponseError(f"{what} did not report success")
    return obj


def parse_product_info(value: JsonValue) -> tuple[str | None, str | None]:
    """(vendor, model) from `productinfo` (or `vendor`/`product`)."""
    obj = _success(value, "productinfo")
    return optional_str(get_ci(obj, "vendor")), optional_str(get_ci(obj, "product"))


def parse_hardware(value: JsonValue) -> str | None:
    """Read the hardware version from `hardware`."""
    return optional_str(get_ci(_success(value, "hardware"), "hardware"))


def parse_network(value: JsonValue) -> str | None:
    """Read the MAC from `network` ("00-0b-82-29-5c-a7" in the guide)."""
    return normalise_mac(get_ci(_success(value, "network"), "mac"))


def parse_accounts(value: JsonValue) -> tuple[Account, ...]:
    """Read accounts from `accountStatus`; Index is 0-based ("0 to 5 for account 1 to 6")."""
    obj = _success(value, "accountStatus")
    accounts: dict[int, Account] = {}
    for position, item in enumerate(as_list(get_ci(obj, "data", "accounts"), "accountStatus")):
        if not isinstance(item, dict):
            continue
        number = as_int(get_ci(item, "index", "id"))
        index = number + 1 if number is not None and number >= 0 else position + 1
        raw_status = as_str(get_ci(item, "status"))
        code = as_int(raw_status)
        activate = get_ci(item, "activate", "active")
        accounts.setdefault(
            index,
            Account(
                index=index,
                sip_id=as_str(get_ci(item, "number", "sip_id")),
                server=as_str(get_ci(item, "server", "sip_server")),
                name=as_str(get_ci(item, "name")),
                registered=None if code is None or code < 0 else code > 0,
                enabled=as_bool(activate) if activate is not None else None,
                raw_status=raw_status,
            ),
        )
    return tuple(accounts[index] for index in sorted(accounts))


def state_from_accounts(body: JsonValue) -> PhoneState:
    """Derive the phone state from accountStatus call codes (phones without lineStatus)."""
    obj = _success(body, "accountStatus")
    codes = [
        as_int(get_ci(item, "status"))
        for item in as_list(get_ci(obj, "data", "accounts"), "accountStatus")
        if isinstance(item, dict)
    ]
    states = {ACCOUNT_CALL_STATES.get(code or 0, PhoneState.AVAILABLE) for code in codes}
    for state in (PhoneState.RINGING, PhoneState.BUSY, PhoneState.AVAILABLE):
        if state in states:
            return state
    return PhoneState.UNKNOWN


def parse_line_status(value: JsonValue, index: int) -> Line:
    """Line `index` (1-based) from a `lineStatus` answer: a bare code, or an object holding one."""
    if isinstance(value, dict):
        _success(value, "lineStatus")
        value = get_ci(value, "status", "linestatus", "state", "msg")
    if isinstance(value, (dict, list)) or as_int(value) is None:
        raise PhoneResponseError(f"lineStatus answered no code for line {index}")
    raw = as_str(value)
    return Line(index=index, state=line_state(raw), raw_state=raw)


class GmiClient(PhoneClient):
    """A Grandstream phone speaking GMI (GXP2200 and relatives)."""

    dialect = Dialect.GRANDSTREAM_GMI
    capabilities = frozenset(
        {
            Capability.LINE_STATUS,
            Capability.MAKE_CALL,
            *PHONEBOOK_CAPABILITIES,
            Capability.GET_CONFIG,
            Capability.SHOW_TEXT,
            Capability.UPTIME,
        }
    )
    status_requests = STATUS_REQUESTS
    config_names = CONFIG_NAMES
    # The guide recommends "gmiadmin" so the GMI session does not evict a person's web login.
    default_username = "gmiadmin"

    logs_in = True
    _has_line_status = True  # until the phone says "command not found" to lineStatus
    _accounts: tuple[Account, ...] = ()  # as last polled: show_text sends to the first one

    async def _get(
        self, action: str, params: dict[str, str] | None = None, *, once: bool = False
    ) -> JsonValue:
        """One action without the session: the answer decoded, errors raised."""
        response = await self._transport.request(
            "GET",
            PATH,
            params={"action": action, **(params or {}), "format": "json"},
            cookies=self._cookies,
            once=once,
        )
        if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            raise SessionExpiredError(f"{action}: HTTP {response.status}")
        self._transport.check_status(response, action)
        self._cookies.update(response.cookies)
        return parse_answer(response.body)

    @override
    async def _login(self) -> None:
        self._cookies.clear()
        try:
            await self._get("login", {"username": self._username or "", "secret": self._password})
        except GmiError as err:
            # Any error answer to a login is a refusal, however the firmware words it
            # ("authentication failure", "wrong password"...): retrying it could lock the account.
            raise PhoneAuthenticationError(f"GMI login refused: {err.msg}") from None

    async def _action(
        self, action: str, params: dict[str, str] | None = None, *, once: bool = False
    ) -> JsonValue:
        """One action through the session (a command `once`: never sent a second time)."""
        return await self._guard.run(lambda: self._get(action, params, once=once))

    async def device_info(self) -> DeviceInfo:
        """3 requests, together: productinfo, hardware and network (MAC).

        productinfo needs no login, but it goes through the session all the same: nothing at all
        is sent while a refused password waits for new credentials.
        """
        product, hardware, network = await gather(
            self._action("productinfo"), self._action("hardware"), self._action("network")
        )
        vendor, model = parse_product_info(product)
        return DeviceInfo(
            vendor=vendor,
            model=model,
            mac=parse_network(network),
            hardware=parse_hardware(hardware),
        )

    async def _line(self, index: int) -> Line | None:
        try:
            answer = await self._action("lineStatus", {"line": str(index - 1)})
        except GmiError as err:
            if _NO_SUCH_LINE.search(err.msg):
                return None
            return Line(index=index, state=LineState.UNKNOWN, raw_state=err.msg)
        return parse_line_status(answer, index)

    @override
    async def _read_lines(self) -> tuple[Line, ...]:
        if not self._has_line_status:
            raise PhoneUnsupportedError("This phone's GMI has no lineStatus (GMI 8 or newer)")
        try:
            found = await gather(*(self._line(index) for index in range(1, LINES + 1)))
        except PhoneUnsupportedError:
            self._has_line_status = False
            raise
        return tuple(line for line in found if line is not None)

    async def _lines_if_any(self) -> tuple[Line, ...] | None:
        try:
            return await self._read_lines()
        except PhoneUnsupportedError:
            return None

    async def status(self) -> PhoneStatus:
        """AccountStatus and lineStatus for each line, together (see the module docstring)."""
        answer, lines = await both(self._action("accountStatus"), self._lines_if_any())
        accounts = parse_accounts(answer)
        self._accounts = accounts
        if lines is None:
            return PhoneStatus(state=state_from_accounts(answer), accounts=accounts)
        return PhoneStatus(state=phone_state_from_lines(lines), lines=lines, accounts=accounts)

    @override
    async def _do_make_call(self, number: str, account: int | None) -> None:
        try:
            await self._action(
                "originatecall",
                {
                    "destnum": number,
                    "account": str((account or 1) - 1),
                    "isvideo": "0",
                    "isdialplan": "0",
                    "headerstring": "",
                },
                once=True,
            )
        except GmiError as err:
            raise PhoneCommandError(f"The phone refused the call: {err.msg}") from None
        # Without lineStatus (before GMI 8) the phone's word is all there is.
        with suppress(PhoneUnsupportedError):
            await self._confirm(any_call, "the call")

    # Phonebook (the full guide's sections 11-19): reads answer {"res":"error","msg":"0"} when
    # empty; setcontact and setgroup take "::"-joined fields and answer the id in `msg`.
    async def _read_phonebook(self, action: str, params: dict[str, str]) -> JsonValue:
        try:
            return await self._action(action, params)
        except GmiError as err:
            if is_nothing(err.msg):
                return []
            raise PhoneResponseError(f"{action} failed: {err.msg}") from None

    async def _write_phonebook(self, action: str, params: dict[str, str]) -> str | None:
        try:
            answer = await self._action(action, params, once=True)
        except GmiError as err:
            raise PhoneCommandError(f"The phone refused {action}: {err.msg}") from None
        return optional_str(get_ci(answer, "msg")) if isinstance(answer, dict) else None

    @override
    async def _do_get_contacts(self, search: str | None) -> tuple[Contact, ...]:
        params = {"contactID": "", "groupID": "", "contactName": search or ""}
        return parse_contacts(await self._read_phonebook("getcontact", params))

    @override
    async def _do_get_groups(self) -> tuple[ContactGroup, ...]:
        return parse_groups(await self._read_phonebook("getgroup", {"groupID": ""}))

    @override
    async def _do_save_contact(self, contact: Contact) -> str | None:
        fields = (contact.id, contact.name, contact.group or "", contact.work, contact.home)
        info = "::".join((*fields, contact.mobile, contact.fax, contact.email))
        return (
            await self._write_phonebook("setcontact", {"contactInfo": info}) or contact.id or None
        )

    @override
    async def _do_delete_contact(self, contact_id: str) -> None:
        await self._write_phonebook("removecontact", {"contactID": contact_id})

    @override
    async def _do_save_group(self, group: ContactGroup) -> str | None:
        info = f"{group.id}::{group.name}"
        return await self._write_phonebook("setgroup", {"groupInfo": info}) or group.id or None

    @override
    async def _do_delete_group(self, group_id: str) -> None:
        await self._write_phonebook("removegroup", {"groupID": group_id})

    @override
    async def _do_get_config(self, names: tuple[str, ...]) -> dict[str, str]:
        numbers = [name.lstrip("Pp") for name in names]
        params = {f"var-{position:04}": number for position, number in enumerate(numbers)}
        try:
            answer = _success(await self._action("get", params), "get")
        except GmiError as err:
            raise PhoneCommandError(f"The phone refused to read values: {err.msg}") from None
        return {
            name: as_str(get_ci(answer, number))
            for name, number in zip(names, numbers, strict=True)
        }

    @override
    async def _do_show_text(self, text: str) -> None:
        accounts = self._accounts or parse_accounts(await self._action("accountStatus"))
        own = next((account for account in accounts if account.sip_id), None)
        if own is None:
            raise PhoneCommandError("The phone has no SIP account to send the message to")
        try:
            await self._action(
                "setnewmessage",
                {
                    "number": own.sip_id,
                    "account": str(own.index - 1),
                    "content": text,
                    "flag": "1",
                },
                once=True,
            )
        except GmiError as err:
            raise PhoneCommandError(f"The phone refused the message: {err.msg}") from None

    @override
    async def _do_uptime(self) -> int:
        answer = _success(await self._action("uptime"), "uptime")
        parts = [as_int(get_ci(answer, key)) for key in ("day", "hour", "min", "sec")]
        if any(part is None for part in parts):
            raise PhoneResponseError("uptime did not answer day, hour, min and sec")
        day, hour, minute, second = (part or 0 for part in parts)
        return ((day * 24 + hour) * 60 + minute) * 60 + second

    @override
    async def diagnostics(self) -> dict[str, str]:
        """Part number, firmware (P68), GMI version and network settings, read together."""
        pn, version, network = await gather(
            self._action("pn"), self._action("gmiVersion"), self._action("network")
        )
        firmware = await self._do_get_config((FIRMWARE_P_VALUE,))
        details = {
            "part_number": as_str(get_ci(_success(pn, "pn"), "pn")),
            "firmware": firmware[FIRMWARE_P_VALUE],
            "gmi_version": as_str(version) if not isinstance(version, (dict, list)) else "",
        }
        settings = _success(network, "network")
        network_details = {
            f"network_{key}": as_str(get_ci(settings, key)) for key in NETWORK_FIELDS
        }
        return details | network_details
