"""Grandstream GXV33xx/WP820 Web API (WEB API User Guide, 2021): `/cgi-bin/api-*`, token or forms.

The guide's authentication table is followed: a Password Token session serves only
api-make_call, api-phone_operation, api-sys_operation and api-get_phone_status; every other
endpoint wants Forms Authentication, the web interface's login (`weblogin`, as the WP820's family
does it). A phone built with `lenient_auth` serves everything on a token session, as some
firmware does.
"""

from collections.abc import Callable
import re
from typing import Final

from aiohttp import web

from simulator.answers import (
    DialectRequest,
    Json,
    grandstream_json,
    phone_of,
    read_params,
    text,
    to_int,
    xml,
)
from simulator.auth import ADMIN, TOKEN, Outcome, Verdict
from simulator.dialects import weblogin
from simulator.dialects.grandstream import accounts_body, contact_body, is_truthy, time_body
from simulator.dialects.weblogin import ROLE_COOKIE, SESSION_COOKIE
from simulator.enums import LineState, PushEvent
from simulator.model import IN_CALL, SimulatedPhone
from simulator.state import Contact, Group

type Handler = Callable[[DialectRequest], web.Response]

UNAUTHORIZED: Final = "unauthorized"
WRONG: Final[Json] = {"status": "wrong"}
RIGHT: Final[Json] = {"status": "right"}

# The guide documents only these codes: 0 idle, 2 ringing, 3 calling, 4 in call, 5 hold, 8 failed.
LINE_CODES: Final = {
    LineState.IDLE: "0",
    LineState.DIALING: "3",
    LineState.RINGBACK: "3",
    LineState.RINGING: "2",
    LineState.CONNECTED: "4",
    LineState.HOLD: "5",
    LineState.FAILED: "8",
}
# Values answered without a login ("None (limited return)").
PUBLIC_VALUES: Final = frozenset({"vendor_name", "vendor_fullname", "phone_model"})
# Grandstream P-values of accounts 1-4: active, SIP server, SIP user id, display name.
ACCOUNT_PVALUES: Final = (
    ("271", "47", "35", "3"),
    ("401", "402", "404", "407"),
    ("501", "502", "504", "507"),
    ("601", "602", "604", "607"),
)
ADMIN_PVALUE: Final = "2"
USER_PVALUE: Final = "196"
PVALUE_NAME: Final = re.compile(r"p(\d+)")
CONTACT_FIELDS: Final = {
    "firstname": "first_name",
    "lastname": "last_name",
    "newphone1": "work",
    "newphone2": "home",
    "newphone3": "mobile",
    "newphone4": "fax",
    "email": "email",
}


def success(body: Json) -> web.Response:
    """Answer `{"response": "success", "body": ...}`."""
    return grandstream_json({"response": "success", "body": body})


def error(body: Json) -> web.Response:
    """Answer `{"response": "error", "body": ...}`."""
    return grandstream_json({"response": "error", "body": body})


# Authentication ------------------------------------------------------------------------------
def _loginrealm(call: DialectRequest) -> web.Response:
    return text(call.phone.auth.challenge())


def _login(call: DialectRequest) -> web.Response:
    username = call.get("username")
    return _logged_in(
        call.phone, username, call.phone.auth.check_token(username, call.get("secret"))
    )


def _logged_in(phone: SimulatedPhone, username: str, outcome: Outcome) -> web.Response:
    if outcome.verdict is Verdict.LOCKED:
        return error("locked")
    if not outcome.ok:
        return error(UNAUTHORIZED)
    session = phone.auth.open_session(username, outcome.role, kind=TOKEN)
    response = success({"sid": session.key, "role": session.role})
    response.set_cookie(SESSION_COOKIE, session.key, path="/")
    response.set_cookie(ROLE_COOKIE, session.role, path="/")
    return response


# The Action URL P-values of Grandstream's administration guides (GXP16xx, GXP21xx, GRP261x).
ACTION_URL_PVALUES: Final = {
    "8305": PushEvent.REGISTERED,
    "8306": PushEvent.UNREGISTERED,
    "8310": PushEvent.INCOMING,
    "8311": PushEvent.OUTGOING,
    "8312": PushEvent.MISSED,
    "8313": PushEvent.ESTABLISHED,
    "8314": PushEvent.TERMINATED,
}


# Values --------------------------------------------------------------------------------------
def read_value(phone: SimulatedPhone, name: str) -> str:
    """Read one value by name ("vendor_name") or P-value number, with or without its P."""
    key = name[1:] if PVALUE_NAME.fullmatch(name.lower()) else name
    fixed = {
        "vendor_name": "Grandstream",
        "vendor_fullname": "Grandstream Networks, Inc.",
        "phone_model": phone.model,
        "68": phone.firmware,
        "hw_rev": phone.hardware,
        "mac": phone.mac,
        ADMIN_PVALUE: "",  # passwords are write-only
        USER_PVALUE: "",
    }
    if key in fixed:
        return fixed[key]
    if key in ACTION_URL_PVALUES:
        return phone.action_urls.get(ACTION_URL_PVALUES[key], "")
    for account, (active, server, user, display) in zip(
        phone.accounts, ACCOUNT_PVALUES, strict=False
    ):
        values = {
            active: str(int(account.active)),
            server: account.sip_server,
            user: account.sip_id,
            display: account.name,
        }
        if key in values:
            return values[key]
    return phone.config.get(key, "")


def write_value(phone: SimulatedPhone, key: str, value: str) -> None:
    """Store one P-value (by number), in the model where it means something."""
    if key == ADMIN_PVALUE:
        phone.password = value
        return
    if key == USER_PVALUE:
        phone.user_password = value
        return
    if key in ACTION_URL_PVALUES:
        phone.set_action_url(ACTION_URL_PVALUES[key], value)
        return
    for account, names in zip(phone.accounts, ACCOUNT_PVALUES, strict=False):
        if key in names:
            attribute = ("active", "sip_server", "sip_id", "name")[names.index(key)]
            setattr(account, attribute, value == "1" if attribute == "active" else value)
            return
    phone.config[key] = value


def _values_get(call: DialectRequest) -> web.Response:
    names = [name for name in call.get("request").split(":") if name]
    if not names:
        return error("missing request")
    if not call.role:
        names = [name for name in names if name in PUBLIC_VALUES]
    return success({name: read_value(call.phone, name) for name in names})


def _values_post(call: DialectRequest) -> web.Response:
    for name, value in call.params.items():
        if (match := PVALUE_NAME.fullmatch(name)) is None:
            continue  # only P-values; anything else is ignored
        if match[1] in (ADMIN_PVALUE, USER_PVALUE) and call.role != ADMIN:
            return error(WRONG)
        if match[1] in call.phone.ignored_config:
            continue  # lenient firmware: "right", and nothing stored
        write_value(call.phone, match[1], value)
    return success(RIGHT)


def _change_password(call: DialectRequest) -> web.Response:
    phone = call.phone
    # Each new password needs the current one; only an admin may change the admin password.
    if "p2" in call.params and (call.role != ADMIN or call.get("oldadmin") != phone.password):
        return error(WRONG)
    if "p196" in call.params and call.get("olduser") != phone.user_password:
        return error(WRONG)
    if "p2" in call.params:
        phone.password = call.params["p2"]
    if "p196" in call.params:
        phone.user_password = call.params["p196"]
    return success(RIGHT)


# Phonebook -----------------------------------------------------------------------------------
def _get_contacts(call: DialectRequest) -> web.Response:
    found = call.phone.phonebook.find(
        to_int(call.get("contactid")), call.get("contactname"), to_int(call.get("groupid"))
    )
    return grandstream_json({"res": "success", "msg": [contact_body(c) for c in found]})


def _save_edit_contact(call: DialectRequest) -> web.Response:
    book = call.phone.phonebook
    contact_id = call.number("id", -1)
    if contact_id is None:
        return error("invalid id")
    if contact_id < 0:
        if not (call.get("firstname") or call.get("lastname")):
            return error("missing name")
        contact = Contact(-1, "")
    elif (existing := book.contact(contact_id)) is not None:
        contact = existing
    else:
        return error("contact not found")
    for name, attribute in CONTACT_FIELDS.items():
        if name in call.params:
            setattr(contact, attribute, call.params[name])
    if "group" in call.params:
        contact.group = call.number("group") or 0
    book.save(contact)
    return success("")


def _delete_all_contact(call: DialectRequest) -> web.Response:
    call.phone.phonebook.clear()
    return success("")


def _delete_contact(call: DialectRequest) -> web.Response:
    contact_id = call.number("id", -1)
    if contact_id is None or not call.phone.phonebook.remove(contact_id):
        return error("contact not found")
    return success("")


def _add_group(call: DialectRequest) -> web.Response:
    name = call.get("name").strip()
    if not name:
        return error("missing name")
    call.phone.phonebook.save_group(Group(-1, name))
    return success("")


def _get_groups(call: DialectRequest) -> web.Response:
    group_id = call.number("id", -1)
    groups = [g for g in call.phone.groups if group_id in (-1, g.id)]
    return grandstream_json(
        {"res": "success", "msg": [{"groupID": str(g.id), "groupName": g.name} for g in groups]}
    )


def _edit_delete_group(call: DialectRequest) -> web.Response:
    book = call.phone.phonebook
    group_id = call.number("id", -1)
    if group_id is None or (group := book.group(group_id)) is None:
        return error("group not found")
    name = call.get("name").strip()
    if name:
        group.name = name
    elif not book.remove_group(group_id):
        return error("group not found")
    return success("")


def _phonebook_download(call: DialectRequest) -> web.Response:
    return xml(call.phone.phonebook.to_xml())


# Status --------------------------------------------------------------------------------------
def _get_accounts(call: DialectRequest) -> web.Response:
    registered_only = is_truthy(call.get("registered"))
    return success(accounts_body(call.phone, registered_only=registered_only))


def line_body(phone: SimulatedPhone, index: int) -> dict[str, Json]:
    """Show one line as a line status object."""
    line = phone.line(index)
    return {
        "line": line.index,
        "state": LINE_CODES[line.state],
        # The account as api-make_call numbers it, from 0 (as real phones answer); "" when idle.
        "acct": "" if line.account is None else str(line.account - 1),
        "name": line.remote_name,
        "number": line.remote_number,
        "active": int(phone.active_line == line.index),
    }


def _wanted_line(call: DialectRequest) -> int | None:
    # Lines are numbered from 1 as line status shows them; 0 or none means "not one line".
    wanted = call.number("line")
    return wanted if wanted is not None and 0 <= wanted <= len(call.phone.lines) else None


def _get_line_status(call: DialectRequest) -> web.Response:
    wanted = _wanted_line(call)
    if wanted is None:
        return error("invalid line")
    # The guide's example asks line=0 and is answered every line.
    indexes = [wanted] if wanted else [line.index for line in call.phone.lines]
    return success([line_body(call.phone, index) for index in indexes])


def _get_phone_status(call: DialectRequest) -> web.Response:
    return grandstream_json({"response": "success", "body": call.phone.status(), "misc": "0"})


def _get_time(call: DialectRequest) -> web.Response:
    return grandstream_json(time_body(call.phone))


# Commands ------------------------------------------------------------------------------------
def _make_call(call: DialectRequest) -> web.Response:
    number = call.get("phonenumber")
    if not number:
        return error("missing phonenumber")
    # "account" counts from 0 as in the guide's example (account=0 is the first account).
    account = call.number("account")
    if account is None:
        return error("invalid account")
    try:
        call.phone.dial(number, account + 1)
    except ValueError as err:
        return error(str(err))
    return success("")


OPERATIONS: Final = {
    "endcall": (*IN_CALL, LineState.FAILED),
    "holdcall": (LineState.CONNECTED, LineState.HOLD),
    "acceptcall": (LineState.RINGING,),
    "rejectcall": (LineState.RINGING,),
}


def _phone_operation(call: DialectRequest) -> web.Response:
    phone = call.phone
    cmd = call.get("cmd").lower()
    wanted = _wanted_line(call)
    if cmd not in OPERATIONS or wanted is None:
        return error("invalid cmd" if cmd not in OPERATIONS else "invalid line")
    line = phone.line(wanted) if wanted else phone.line_for(*OPERATIONS[cmd])
    if line is None:
        return success("false")  # nothing to do: the phone says so in the body
    action = {
        "endcall": phone.hang_up,
        "holdcall": phone.toggle_hold,
        "acceptcall": phone.answer,
        "rejectcall": phone.reject,
    }[cmd]
    return success("true" if action(line.index) else "false")


def _sys_operation(call: DialectRequest) -> web.Response:
    request = call.get("request").upper()
    if request in ("RESET", "PROV") and call.role != ADMIN:
        return error(UNAUTHORIZED)
    if request == "REBOOT":
        call.phone.reboot()
        return success("reset")  # the guide's REBOOT example answers "reset"
    if request == "RESET":
        call.phone.factory_reset()
        return success("reset")
    if request == "PROV":
        return success("prov")
    return error("invalid request")


# Routing -------------------------------------------------------------------------------------
LOGIN: Final[dict[str, Handler]] = {
    "loginrealm": _loginrealm,
    "login": _login,
}
# The web interface's login: Forms Authentication, with the web server's own request checks.
FORMS_LOGIN: Final[dict[str, Handler]] = {
    "access": weblogin.access,
    "dologin": weblogin.dologin,
}
# Answered without a session, though a stale one is refused.
OPEN: Final[dict[str, Handler]] = {
    "api-values.get": _values_get,
    "api-get_phone_status": _get_phone_status,
}
# What the web-session phones share with this dialect (the same firmware family).
SHARED: Final[dict[str, Handler]] = {
    "api-get_accounts": _get_accounts,
    "api-get_phone_status": _get_phone_status,
    "api-make_call": _make_call,
    "api-phone_operation": _phone_operation,
    "api-sys_operation": _sys_operation,
}
# The endpoints the guide opens to a Password Token session; the others want Forms.
TOKEN_SERVED: Final = frozenset(
    {"api-make_call", "api-phone_operation", "api-sys_operation", "api-get_phone_status"}
)
GUARDED: Final[dict[str, Handler]] = {
    "api-values.post": _values_post,
    "api-change_password": _change_password,
    "api-get_contacts": _get_contacts,
    "api-save_edit_contact": _save_edit_contact,
    "api-delete_all_contact": _delete_all_contact,
    "api-delete_contact": _delete_contact,
    "api-add_group": _add_group,
    "api-get_groups": _get_groups,
    "api-edit_delete_group": _edit_delete_group,
    "api-get_accounts": _get_accounts,
    "api-get_line_status": _get_line_status,
    "api-get_time": _get_time,
    "api-make_call": _make_call,
    "api-phone_operation": _phone_operation,
    "api-sys_operation": _sys_operation,
    "phonebook_download": _phonebook_download,
}


async def _dispatch(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    phone = phone_of(request)
    params = await read_params(request)
    if name in LOGIN:
        return LOGIN[name](DialectRequest(phone, params))
    if name in FORMS_LOGIN:
        refused = weblogin.refuse_request(request)
        return refused or FORMS_LOGIN[name](DialectRequest(phone, params))
    handler = OPEN.get(name) or GUARDED.get(name)
    if handler is None:
        raise web.HTTPNotFound
    key = params.get("sid") or request.cookies.get(SESSION_COOKIE) or request.cookies.get("sid")
    session = phone.auth.session(key)
    if session is None and (key or name in GUARDED):
        return error(UNAUTHORIZED)
    if session and session.kind == TOKEN and name not in TOKEN_SERVED and not phone.lenient_auth:
        return error(UNAUTHORIZED)  # the guide: Forms Authentication only
    return handler(DialectRequest(phone, params, session.role if session else ""))


def add_routes(app: web.Application) -> None:
    """Answer `/cgi-bin/<endpoint>`."""
    app.router.add_route("*", "/cgi-bin/{name}", _dispatch)
