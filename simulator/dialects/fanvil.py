"""Fanvil / OpenVox HTTP API (its HTTP API User Guide): XML posted to `/xmlService`.

`FanvilConfiguration` gets, sets and deletes keys of the phone's configuration tree (including
the read-only `info.*` keys); `FanvilPhoneExecute` dials, reboots and resets. With "Enable Push
XML Auth" on (`fanvil_auth`), only the web administrator may post, with HTTP Basic authentication.
"""

import base64
import binascii
from collections.abc import Iterable
import re
from typing import Final
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape

from aiohttp import web

from simulator.answers import phone_of, text, xml
from simulator.auth import ADMIN
from simulator.defaults import FANVIL_VENDOR
from simulator.dialects.grandstream import split_uptime
from simulator.model import SimulatedPhone
from simulator.push import mac_variable
from simulator.xmlsafe import ParseError, UnsafeXMLError, parse

# RetCode 0 is success; the guide's appendix with the others is missing, so these are ours.
OK: Final = 0
BAD_REQUEST: Final = 1
BAD_PARAMETER: Final = 2
NOT_DONE: Final = 3

LINE_KEY: Final = re.compile(r"sip\.line\.(\d+)\.(\w+)", re.IGNORECASE)
_TAG: Final = re.compile(r"<[^<>]*>")
_TAG_PARTS: Final = re.compile(r"<\s*(/?)\s*([?\w:.-]+)(.*?)\s*(/?\??)\s*>", re.DOTALL)
_ATTRIBUTE: Final = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
_CURLY_QUOTES: Final = str.maketrans({"“": '"', "”": '"', "″": '"'})
_URI: Final = re.compile(r"""URI\s*=\s*["'“”]?(.*?)["'“”]?\s*$""", re.IGNORECASE | re.DOTALL)

# Lists that DEL may clear (section 3.1 "Supported dynamic List type").
LISTS: Final = ("dialplan.", "mmifilter.", "accesslist.", "inaccess.", "outaccess.")


def tidy(document: str) -> str:
    """Mend what copying the guide's examples brings along: curly quotes and odd spacing in tags."""

    def mend(tag: re.Match[str]) -> str:
        straight = tag[0].translate(_CURLY_QUOTES)
        parts = _TAG_PARTS.fullmatch(straight)
        if parts is None:  # comments, CDATA: left alone
            return straight
        closing, name, rest, end = parts.groups()
        attributes = "".join(f' {key}="{value}"' for key, value in _ATTRIBUTE.findall(rest))
        return f"<{closing}{name}{attributes}{end}>"

    return _TAG.sub(mend, document)


def uptime_text(seconds: float) -> str:
    """Write an uptime as "1d 02:03:04"."""
    days, hours, minutes, secs = split_uptime(seconds)
    return f"{days}d {hours:02}:{minutes:02}:{secs:02}"


def config_tree(phone: SimulatedPhone) -> dict[str, str]:
    """Return every key the phone answers, in its canonical spelling, with its value."""
    tree = {
        "info.dev.Model": phone.model,
        "info.dev.Vendor": FANVIL_VENDOR,
        "info.dev.Mac": mac_variable(phone.mac),
        "info.dev.SN": "FV" + mac_variable(phone.mac)[-6:].upper(),
        "info.sys.MemFree": "1.6M",
        "info.sys.FlashFree": "12.3M",
        "info.sys.UpTime": uptime_text(phone.uptime),
        "info.sys.FwVersion": phone.firmware,
        "info.sys.HwVersion": phone.hardware,
    }
    for account in phone.accounts:
        line = f"sip.line.{account.index}."
        # Undocumented code: 200 (the SIP answer to REGISTER) when registered, else 0.
        tree[f"info.{line}registerCode"] = "200" if account.registered else "0"
        tree[line + "EnableReg"] = str(int(account.active))
        tree[line + "PhoneNumber"] = account.sip_id
        tree[line + "DisplayName"] = account.name
        tree[line + "RegisterAddr"] = account.sip_server
        tree[line + "RegisterPort"] = "5060"
        tree[line + "RegisterUser"] = account.sip_id
        tree[line + "RegisterPswd"] = ""
    tree |= {
        "sip.PNPIP": "224.0.1.75",
        "tr069.Enabled": "0",
        "tr069.ACSURL": "",
        "call.port.1.EnableDND": "0",
        "pushxml.AuthEnable": str(int(phone.fanvil_auth)),
    }
    return tree | phone.config


def canonical(tree: Iterable[str], key: str) -> str | None:
    """Return the canonical spelling of `key` (keys match without regard to case)."""
    lowered = key.lower()
    return next((name for name in tree if name.lower() == lowered), None)


def items(root: Element) -> list[str]:
    """Return the Item texts, without the spaces the guide's examples put around them."""
    return [(item.text or "").strip() for item in root if item.tag.lower() == "item"]


def clean_key(raw: str) -> str:
    """Drop every space from a key name ("info. dev.Model" in the guide is "info.dev.Model")."""
    return re.sub(r"\s+", "", raw)


def answer(root: str, cmd: str | None, code: int, info: list[str] | None = None) -> web.Response:
    """Answer with a RetCode and, for GET, the info items."""
    attribute = f' cmd="{cmd}"' if cmd else ""
    lines = [
        '<?xml version="1.0" encoding="UTF-8" ?>',
        f"<{root}{attribute}>",
        f"<RetCode>{code}</RetCode>",
    ]
    if info is not None:
        lines += ["<info>", *(f"<Item>{escape(entry)}</Item>" for entry in info), "</info>"]
    lines.append(f"</{root}>")
    return xml("\n".join(lines) + "\n")


# Configuration -------------------------------------------------------------------------------
def get(phone: SimulatedPhone, keys: list[str]) -> list[str]:
    """Read keys and nodes ("sip.line.1.", "." for all) as `key = value` items."""
    tree = config_tree(phone)
    found: list[str] = []
    for raw in keys:
        key = clean_key(raw)
        if key.endswith("."):  # a node: every key under it; "." is the whole tree
            prefix = "" if key == "." else key.lower()
            found += [
                f"{name} = {value}"
                for name, value in tree.items()
                if name.lower().startswith(prefix)
            ]
        else:
            # An unknown key comes back emptied, the others unchanged.
            name = canonical(tree, key)
            found.append(f"{name} = {tree[name]}" if name else f"{key} = ")
    return found


def set_(phone: SimulatedPhone, entries: list[str]) -> int:
    """Apply `key = value` entries in order; the first bad one stops the rest."""
    for entry in entries:
        raw_key, equals, value = entry.partition("=")
        key, value = clean_key(raw_key), value.strip()
        if not equals or not key or key.lower().startswith("info."):
            return BAD_PARAMETER
        if key.lower() in phone.read_only_config:
            return BAD_PARAMETER
        if key.lower() in phone.ignored_config:
            continue  # lenient firmware: "success", and nothing stored
        if not _set_account(phone, key, value):
            phone.config[canonical(config_tree(phone), key) or key] = value
    return OK


def _set_account(phone: SimulatedPhone, key: str, value: str) -> bool:
    match = LINE_KEY.fullmatch(key)
    if match is None or not 1 <= int(match[1]) <= len(phone.accounts):
        return False
    index, field = int(match[1]), match[2].lower()
    account = phone.account(index)
    if field == "enablereg":
        account.active = value == "1"
        phone.set_registered(index, account.active and bool(account.sip_server))
    elif field == "registeraddr":
        account.sip_server = value
    elif field in ("registeruser", "phonenumber"):
        account.sip_id = value
    elif field == "displayname":
        account.name = value
    else:
        return False
    return True


def delete(phone: SimulatedPhone, keys: list[str]) -> int:
    """Delete list records ("mmifilter.1") or whole lists ("mmifilter.")."""
    for raw in keys:
        key = clean_key(raw).lower()
        if not key.startswith(LISTS):
            return BAD_PARAMETER
        # "mmifilter.1" deletes record 1, "mmifilter." the whole list.
        prefix = key if key.endswith(".") else key + "."
        for name in [name for name in phone.config if name.lower().startswith(prefix)]:
            del phone.config[name]
    return OK


def configuration(phone: SimulatedPhone, root: Element) -> web.Response:
    """Answer a FanvilConfiguration request (cmd get, set or del)."""
    cmd = next((value.lower() for name, value in root.attrib.items() if name.lower() == "cmd"), "")
    entries = items(root)
    if cmd == "get":
        return answer("FanvilConfiguration", cmd, OK, get(phone, entries))
    if cmd == "set":
        return answer("FanvilConfiguration", cmd, set_(phone, entries))
    if cmd == "del":
        return answer("FanvilConfiguration", cmd, delete(phone, entries))
    return answer("FanvilConfiguration", cmd or None, BAD_REQUEST)


# Execute -------------------------------------------------------------------------------------
def execute_uri(item: Element) -> str:
    """Return an ExecuteItem's URI: from its attribute, or from `URI="..."` as its text."""
    for name, value in item.attrib.items():
        if name.lower() == "uri":
            return value.strip()
    content = (item.text or "").strip()
    match = _URI.match(content)
    return match[1].strip() if match else content


def run(phone: SimulatedPhone, uri: str) -> int:
    """Carry out one "Type:Param" URI and return its RetCode."""
    kind, _, argument = uri.partition(":")
    kind = kind.strip().lower()
    if kind == "dial" and argument:
        try:
            phone.dial(argument)
        except ValueError:
            return NOT_DONE
        return OK
    if kind == "cmd" and argument.strip().lower() in ("reboot", "reset"):
        if argument.strip().lower() == "reboot":
            phone.reboot()
        else:
            phone.factory_reset()
        return OK
    if kind == "key" and argument.strip():
        phone.press_keys([argument.strip().upper()])
        return OK
    if kind == "led":
        return OK
    return NOT_DONE  # Shell is not for a simulator; anything else is unknown


def execute(phone: SimulatedPhone, root: Element) -> web.Response:
    """Answer a FanvilPhoneExecute request; the first failing item stops the rest."""
    uris = [execute_uri(item) for item in root if item.tag.lower() == "executeitem"]
    code = OK if uris else BAD_REQUEST
    for uri in uris:
        if (code := run(phone, uri)) != OK:
            break
    return answer("FanvilPhoneExecute", None, code)


# TextScreen ----------------------------------------------------------------------------------
def text_screen(phone: SimulatedPhone, root: Element) -> web.Response:
    """Show a pushed text (the guide's TextScreen type): its Title and Text, in `phone.screen`."""
    parts = {child.tag.lower(): (child.text or "").strip() for child in root}
    if not parts.get("text"):
        return answer(root.tag, None, BAD_PARAMETER)
    title = parts.get("title", "")
    phone.screen.append(f"{title}: {parts['text']}" if title else parts["text"])
    return answer(root.tag, None, OK)


# HTTP ----------------------------------------------------------------------------------------
def authorized(phone: SimulatedPhone, request: web.Request) -> bool:
    """Tell whether the request carries the web administrator's Basic credentials."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except binascii.Error, UnicodeDecodeError:
        return False
    outcome = phone.auth.check_password(username, password)
    return outcome.ok and outcome.role == ADMIN


async def _xml_service(request: web.Request) -> web.Response:
    phone = phone_of(request)
    if phone.fanvil_auth and not authorized(phone, request):
        response = text("401 Unauthorized", status=401)
        response.headers["WWW-Authenticate"] = 'Basic realm="Fanvil"'
        return response
    try:
        root = parse(tidy((await request.read()).decode("utf-8", "replace")).encode())
    except ParseError, UnsafeXMLError:
        return answer("FanvilConfiguration", None, BAD_REQUEST)
    kind = root.tag.lower()
    if kind == "fanvilconfiguration":
        return configuration(phone, root)
    if kind == "fanvilphoneexecute":
        return execute(phone, root)
    if kind == "fanvilipphonetext":
        return text_screen(phone, root)
    return answer(root.tag, None, BAD_REQUEST)


def add_routes(app: web.Application) -> None:
    """Answer `POST /xmlService`."""
    app.router.add_post("/xmlService", _xml_service)
