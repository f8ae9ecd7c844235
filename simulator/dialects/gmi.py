"""Grandstream GXP2200 GMI web service (GMI Web Service Guide V1.0): `/manager?action=...`.

A login authorises the caller's address (the guide shows no token or cookie); it lapses after
`session_timeout` idle seconds, and the next request is answered "authentication required".
"""

from collections.abc import Callable
import json
from typing import Final

from aiohttp import web

from simulator.answers import (
    GRANDSTREAM_JSON_TYPE,
    DialectRequest,
    Json,
    phone_of,
    read_params,
    text,
    to_int,
)
from simulator.defaults import GRANDSTREAM_VENDOR
from simulator.dialects.grandstream import contact_body, split_uptime
from simulator.enums import LineState
from simulator.model import SimulatedPhone
from simulator.state import Contact, Group

# An answer is JSON (a dict), a bare number (int) or bare text (str).
type Answer = dict[str, Json] | int | str
type Action = Callable[[DialectRequest], Answer]

GMI_VERSION: Final = 9
LINE_CODES: Final = {
    LineState.IDLE: 0,
    LineState.DIALING: 1,
    LineState.RINGING: 2,
    LineState.CONNECTED: 4,
    LineState.HOLD: 5,
    LineState.FAILED: 8,
    LineState.RINGBACK: 12,
}
# accountStatus "Status": 0 unregistered, 1 registered, 3 dialing, 4 ringing, 6 talking.
ACCOUNT_CALL_CODES: Final = {
    LineState.DIALING: "3",
    LineState.RINGBACK: "3",
    LineState.RINGING: "4",
    LineState.CONNECTED: "6",
    LineState.HOLD: "6",
}
# phoneStatus is the state of a process on the phone (R running, S sleeping); phoneMem its memory.
PROCESSES: Final = {
    "gmi": ("S", 3176),
    "phone": ("R", 20480),
    "sip": ("S", 8632),
    "gui": ("S", 41200),
}
PUBLIC: Final = frozenset({"vendor", "product", "productinfo"})
CONTACT_FIELDS: Final = 8  # ctID::ctName::gpID::work::home::mobile::fax::mail
GROUP_FIELDS: Final = 2  # gpID::gpName


def error(message: str) -> dict[str, Json]:
    """Answer `{"res": "error", "msg": ...}`."""
    return {"res": "error", "msg": message}


def success(**fields: Json) -> dict[str, Json]:
    """Answer `{"res": "success", ...}`."""
    return {"res": "success", **fields}


WRONG_FORMAT: Final = error("wrong format")


def _optional_id(call: DialectRequest, name: str) -> int | str | None:
    """Return an id parameter: None when blank, the number, or "bad" when it is not one."""
    raw = call.get(name).strip()
    if not raw:
        return None
    number = to_int(raw)
    return "bad" if number is None else number


def _uptime(call: DialectRequest) -> Answer:
    day, hour, minute, second = split_uptime(call.phone.uptime)
    return success(day=str(day), hour=str(hour), min=str(minute), sec=str(second))


def _pn(call: DialectRequest) -> Answer:
    return success(pn=call.phone.part_number)


def _hardware(call: DialectRequest) -> Answer:
    return success(hardware=call.phone.hardware)


def _vendor(_: DialectRequest) -> Answer:
    return success(vendor=GRANDSTREAM_VENDOR)


def _product(call: DialectRequest) -> Answer:
    return success(product=call.phone.model)


def _productinfo(call: DialectRequest) -> Answer:
    return success(product=call.phone.model, vendor=GRANDSTREAM_VENDOR)


def _originatecall(call: DialectRequest) -> Answer:
    number = call.get("destnum")
    if not number:
        return error("destnum can't be null")
    # "account" is the index from accountStatus: 0 to 5 for accounts 1 to 6.
    account = call.number("account")
    try:
        call.phone.dial(number, -1 if account is None else account + 1)
    except ValueError:
        return error("timeout")  # the only failure the guide names
    return success(msg="call originated")


def _network(call: DialectRequest) -> Answer:
    return success(
        mac=call.phone.mac.replace(":", "-").lower(),
        ip="127.0.0.1",
        mask="255.0.0.0",
        gateway="127.0.0.1",
        dns="127.0.0.1",
        type="dhcp",
    )


def account_status_code(phone: SimulatedPhone, index: int) -> str:
    """Return an account's accountStatus code: its call's state, else its registration."""
    for line in phone.lines:
        if line.account == index and line.state in ACCOUNT_CALL_CODES:
            return ACCOUNT_CALL_CODES[line.state]
    return "1" if phone.account(index).registered else "0"


def _account_status(call: DialectRequest) -> Answer:
    return {
        "Response": "Success",
        "Data": [
            {
                "Index": str(account.index - 1),
                "Server": account.sip_server,
                "Number": account.sip_id,
                "Status": account_status_code(call.phone, account.index),
                "Activate": str(int(account.active)),
            }
            for account in call.phone.accounts
        ],
    }


def _getgroup(call: DialectRequest) -> Answer:
    group_id = _optional_id(call, "groupid")
    if group_id == "bad":
        return WRONG_FORMAT
    groups = [g for g in call.phone.groups if group_id is None or g.id == group_id]
    if not groups:
        return error("0")
    return success(msg=[{"groupID": str(g.id), "groupName": g.name} for g in groups])


def _getcontact(call: DialectRequest) -> Answer:
    contact_id, group_id = _optional_id(call, "contactid"), _optional_id(call, "groupid")
    if isinstance(contact_id, str) or isinstance(group_id, str):
        return WRONG_FORMAT
    found = call.phone.phonebook.find(contact_id, call.get("contactname"), group_id)
    if not found:
        return error("0")
    return success(msg=[contact_body(c) | {"photo": ""} for c in found])


def _setgroup(call: DialectRequest) -> Answer:
    info = call.get("groupinfo")
    if not info:
        return error("group information is empty")
    fields = info.split("::")
    group_id = to_int(fields[0]) if fields[0].strip() else -1
    if len(fields) != GROUP_FIELDS or group_id is None or not fields[1]:
        return WRONG_FORMAT
    saved = call.phone.phonebook.save_group(Group(group_id, fields[1]))
    return success(msg=str(saved.id))


def _setcontact(call: DialectRequest) -> Answer:
    # The guide's own example has a trailing empty field, so extra fields are ignored.
    info = call.get("contactinfo")
    if not info:
        return error("contact information is empty")
    fields = [*info.split("::"), *[""] * CONTACT_FIELDS][:CONTACT_FIELDS]
    contact_id = to_int(fields[0]) if fields[0].strip() else -1
    group_id = to_int(fields[2]) if fields[2].strip() else 0
    if "::" not in info or contact_id is None or group_id is None or not fields[1]:
        return WRONG_FORMAT
    work, home, mobile, fax, mail = fields[3:]
    contact = Contact(contact_id, fields[1], "", group_id, work, home, mobile, fax, mail)
    saved = call.phone.phonebook.save(contact)
    return success(msg=str(saved.id))


def _removecontact(call: DialectRequest) -> Answer:
    contact_id = _optional_id(call, "contactid")
    if contact_id is None:  # no id: every contact goes
        call.phone.phonebook.clear()
    elif isinstance(contact_id, str):
        return WRONG_FORMAT
    elif not call.phone.phonebook.remove(contact_id):
        return error("remove contact failed")
    return success()


def _cleargroup(call: DialectRequest) -> Answer:
    group_id = _optional_id(call, "groupid")
    if group_id is None:
        return error("ID is empty")
    # The default group (0) cannot be cleared.
    if isinstance(group_id, str) or not group_id or call.phone.phonebook.group(group_id) is None:
        return error("clear group failed")
    call.phone.phonebook.clear_group(group_id)
    return success()


def _removegroup(call: DialectRequest) -> Answer:
    book = call.phone.phonebook
    group_id = _optional_id(call, "groupid")
    if group_id is None:  # no id: every group but the default goes
        for group in list(book.groups):
            book.remove_group(group.id)
    elif isinstance(group_id, str):
        return WRONG_FORMAT
    elif not book.remove_group(group_id):
        return error("remove group failed")
    return success()


def _line_status(call: DialectRequest) -> Answer:
    if not call.get("line").strip():
        return error("line can't be null")
    line = call.number("line")
    # Lines are counted from 0 here: line=0 is line 1.
    if line is None or not 0 <= line < len(call.phone.lines):
        return error("line invalid")
    return LINE_CODES[call.phone.line(line + 1).state]


def _process(call: DialectRequest) -> tuple[str, int] | dict[str, Json]:
    name = call.get("funcname").strip()
    if not name:
        return error("funcname can't be null")
    return PROCESSES.get(name.lower()) or error("can't get phone status")


def _phone_status(call: DialectRequest) -> Answer:
    process = _process(call)
    return process if isinstance(process, dict) else process[0]


def _phone_mem(call: DialectRequest) -> Answer:
    process = _process(call)
    return process if isinstance(process, dict) else f"{process[1]} kB"


def _get(call: DialectRequest) -> Answer:
    # getParameter: var-0000, var-0001... name P-values by number; 68 is the firmware.
    numbers = [value for name, value in sorted(call.params.items()) if name.startswith("var-")]
    if not numbers:
        return error("new memory failed or no value")
    values = {"68": call.phone.firmware} | call.phone.config
    return success(**{number: values.get(number, "") for number in numbers})


def _setnewmessage(call: DialectRequest) -> Answer:
    number, content = call.get("number"), call.get("content")
    if not number or not content or call.get("flag") not in ("0", "1"):
        return error("set new message failed")
    own = {account.sip_id for account in call.phone.accounts if account.sip_id}
    # flag 1 sends; a message sent to the phone's own number arrives on its screen.
    if call.get("flag") == "1" and number in own:
        call.phone.screen.append(content)
    return success()


def _gmi_version(_: DialectRequest) -> Answer:
    return GMI_VERSION


# Action names are matched without regard to case.
ACTIONS: Final[dict[str, Action]] = {
    "uptime": _uptime,
    "pn": _pn,
    "hardware": _hardware,
    "vendor": _vendor,
    "product": _product,
    "productinfo": _productinfo,
    "originatecall": _originatecall,
    "network": _network,
    "accountstatus": _account_status,
    "status": _account_status,  # the guide's accountStatus example URL says action=status
    "getgroup": _getgroup,
    "getcontact": _getcontact,
    "setgroup": _setgroup,
    "setcontact": _setcontact,
    "removecontact": _removecontact,
    "cleargroup": _cleargroup,
    "removegroup": _removegroup,
    "linestatus": _line_status,
    "phonestatus": _phone_status,
    "phonemem": _phone_mem,
    "gmiversion": _gmi_version,
    "get": _get,
    "setnewmessage": _setnewmessage,
}


def render(answer: Answer, callback: str) -> web.Response:
    """Write JSON, a bare number or bare text; wrapped as `callback(...)` given a jsoncallback."""
    if isinstance(answer, dict):
        body = json.dumps(answer)
    elif isinstance(answer, int):
        body = str(answer)
    else:
        body = json.dumps(answer) if callback else answer
    return text(f"{callback}({body})" if callback else body, GRANDSTREAM_JSON_TYPE)


def _answer(call: DialectRequest, client: str) -> Answer:
    name = call.get("action").lower()
    auth = call.phone.auth
    if name == "login":
        outcome = auth.check_password(call.get("username"), call.get("secret"))
        if not outcome.ok:
            return error("authentication failed")
        auth.open_session(call.get("username"), outcome.role, key=client)
        return success(msg="authentication accepted")
    action = ACTIONS.get(name)
    if action is None:
        return error("command not found")
    if name not in PUBLIC and auth.session(client) is None:
        return error("authentication required")
    return action(call)


async def _manager(request: web.Request) -> web.Response:
    call = DialectRequest(phone_of(request), await read_params(request))
    return render(_answer(call, request.remote or "unknown"), call.get("jsoncallback"))


def add_routes(app: web.Application) -> None:
    """Answer `/manager`."""
    app.router.add_route("*", "/manager", _manager)
