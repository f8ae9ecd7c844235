"""Grandstream GXV3370/GXV3380/GXV3350/WP820 Web API: token login, then `/cgi-bin/api-*`.

Login: `GET /cgi-bin/loginrealm` gives a one-time random; `GET /cgi-bin/login?username=U&secret=S`
with S = MD5(U "." random "." password) (the guide's "Password Token Authentication"; the 2022 and
2024 online guides write ":" instead, see `token_separator`). The session then rides on the cookies
the login sets; "unauthorized" (or HTTP 401) means it expired.

The guide opens only api-make_call, api-phone_operation, api-sys_operation and
api-get_phone_status to a token session; line status, accounts, values and time want Forms
Authentication, the web interface's login (`weblogin`). The token login always comes first: it
proves the password, so the forms login never spends a wrong attempt. A phone that serves
everything on the token session (lenient firmware) never sees a forms login; one that refuses the
token session there gets one, once, and every later request rides on it.

Cost of status(): 2 requests (api-get_line_status and api-get_accounts, sent together); the phone
state is derived from the lines, so api-get_phone_status is not needed. No login in steady state.
"""

import asyncio
from collections.abc import Callable, Mapping
import hashlib
from http import HTTPStatus
import re
from typing import Final, override

from .cgi import SYS_OPERATION
from .client import Capability
from .config import GRANDSTREAM_NAMES, p_value_key, parse_uptime
from .errors import (
    PhoneAuthenticationError,
    PhoneLockedError,
    PhoneResponseError,
)
from .grandstream import (
    ACTION_URL_P_VALUES,
    Envelope,
    check_command,
    check_values_written,
    is_unauthorized,
    parse_envelope,
)
from .login import SessionExpiredError
from .models import DeviceInfo, Dialect
from .parsing import (
    JsonObject,
    as_object,
    as_str,
    decode_text,
    get_ci,
    normalise_mac,
    optional_str,
    parse_json,
    parse_loose,
    unwrap,
)
from .phonebook import CGI_PHONEBOOK_CAPABILITIES, CgiPhonebook
from .redaction import quote
from .transport import HttpResponse, Transport
from .weblogin import WebSession, log_in, page_headers

VALUES_GET: Final = "api-values.get"
VALUES_POST: Final = "api-values.post"
GET_TIME: Final = "api-get_time"
STATUS_REQUESTS: Final = 1  # line status; the accounts every few minutes
# What joins the token's MD5 input: "." in the 2021 guide, ":" in the 2022 and 2024 online guides.
TOKEN_SEPARATOR: Final = "."  # noqa: S105 (not a password: what joins the MD5 input)
TOKEN_SEPARATORS: Final = (TOKEN_SEPARATOR, ":")
# The endpoints the guide opens to a Password Token session; the others want Forms.
TOKEN_SERVED: Final = frozenset(
    {"api-make_call", "api-phone_operation", "api-sys_operation", "api-get_phone_status"}
)
# Documented names first (vendor_name, vendor_fullname, hw_rev); the rest are common spellings
# of model, firmware, MAC and serial that firmware answers to. Unknown names are simply left out.
DEVICE_VALUES: Final = (
    "vendor_name",
    "vendor_fullname",
    "phone_model",
    "product_model",
    "prog_version",
    "firmware_version",
    "68",
    "hw_rev",
    "mac",
    "serial_number",
    "sn",
)
_RANDOM: Final = re.compile(r"[0-9A-Za-z+/=_.-]{1,128}")

# Reads an answer: what it tells, or None when it says the session was refused.
type Parser[T] = Callable[[bytes], T | None]


class TokenRefusedError(PhoneAuthenticationError):
    """The token login was refused: wrong password, or the other separator (`TOKEN_SEPARATORS`)."""


def token_secret(
    username: str, random: str, password: str, separator: str = TOKEN_SEPARATOR
) -> str:
    """MD5(username separator random separator password), lower-case hex."""
    text = separator.join((username, random, password))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def parse_realm(body: bytes | str) -> str:
    """Read the one-time random of `loginrealm`: bare text or number, or an envelope's body."""
    value = parse_loose(body)
    if isinstance(value, dict):
        value = get_ci(value, "body", "realm", "random")
        text = as_str(value) if not isinstance(value, (dict, list)) else ""
    else:
        text = unwrap(decode_text(body)).strip('"')
    if not _RANDOM.fullmatch(text):
        raise PhoneResponseError("loginrealm did not answer a random number")
    return text


def check_login(response: HttpResponse) -> None:
    """Raise TokenRefusedError if the login was refused, PhoneResponseError if unreadable."""
    if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        raise TokenRefusedError(f"Login refused (HTTP {response.status})")
    if not HTTPStatus.OK <= response.status < HTTPStatus.MULTIPLE_CHOICES:
        raise PhoneResponseError(f"Login answered HTTP {response.status}")
    value = parse_loose(response.body)
    if isinstance(value, dict) and get_ci(value, "response", "res") is not None:
        envelope = parse_envelope(response.body)
        if envelope.success and not is_unauthorized(envelope):
            return
        if as_str(envelope.body).lower() == "locked":
            raise PhoneLockedError("The phone locked its web account after wrong passwords")
        raise TokenRefusedError("Login refused: wrong user name or password")
    text = decode_text(response.body).lower()
    if re.search(r"fail|error|unauthori[sz]ed|denied|invalid|locked", text):
        raise TokenRefusedError("Login refused: wrong user name or password")
    if not response.cookies and "success" not in text:
        raise PhoneResponseError("Login answered neither success nor a session")


def authorized_envelope(body: bytes) -> Envelope | None:
    """Return the answer's envelope; None when it says the session or credential is not valid."""
    envelope = parse_envelope(body)
    return None if is_unauthorized(envelope) else envelope


def parse_time(body: bytes) -> int | None:
    """Seconds of uptime from api-get_time; None when the session was refused.

    The guide's answer is `{"date", "time", "uptime"}` with no envelope around it (uptime as
    " 21 days, 1 hour, 50 minutes, 23seconds"); a refusal is the envelope every endpoint uses.
    """
    value = as_object(parse_json(body), GET_TIME)
    if get_ci(value, "response", "res") is not None:
        envelope = authorized_envelope(body)
        if envelope is None:
            return None
        raise PhoneResponseError(f"{GET_TIME} failed: {quote(as_str(envelope.body))}")
    text = as_str(get_ci(value, "uptime"))
    seconds = parse_uptime(text)
    if seconds is None:
        raise PhoneResponseError(f"{GET_TIME} tells no uptime: {quote(text)}")
    return seconds


def parse_device_values(value: JsonObject) -> DeviceInfo:
    """DeviceInfo from an api-values.get body."""

    def pick(*keys: str) -> str | None:
        return next(filter(None, (optional_str(get_ci(value, key)) for key in keys)), None)

    return DeviceInfo(
        vendor=pick("vendor_name", "vendor_fullname"),
        model=pick("phone_model", "product_model", "model"),
        mac=normalise_mac(pick("mac", "mac_address")),
        firmware=pick("prog_version", "firmware_version", "68"),
        hardware=pick("hw_rev", "hardware"),
        serial=pick("serial_number", "sn"),
    )


class WebApiClient(CgiPhonebook):
    """A Grandstream phone speaking the GXV33xx/WP820 Web API, its phonebook included."""

    dialect = Dialect.GRANDSTREAM_WEBAPI
    # PROV is the one admin operation the guide allows with the token login as well as Forms;
    # values (api-values.get beyond the public names, api-values.post) use the Forms session.
    capabilities = CGI_PHONEBOOK_CAPABILITIES | {
        Capability.PROVISION,
        Capability.GET_CONFIG,
        Capability.SET_CONFIG,
        Capability.PUSH_SETUP,
        Capability.UPTIME,
    }
    # The Action URL P-values of Grandstream's administration guides (GXP16xx, GXP21xx, GRP261x:
    # "Action URL Parameters P-values"); a GXV that keeps them elsewhere shows in the read-back.
    action_url_names = ACTION_URL_P_VALUES
    config_names = GRANDSTREAM_NAMES
    status_requests = STATUS_REQUESTS
    default_username = "gmiadmin"

    logs_in = True
    # What joins the token's MD5 input on this phone (see TOKEN_SEPARATORS); the integration
    # stores the one that worked.
    token_separator: str = TOKEN_SEPARATOR
    # Whether the phone wants a forms session where the guide says so: None until it shows.
    forms_needed: bool | None = None

    def __init__(
        self,
        transport: Transport,
        *,
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        """Wrap `transport`; prefer `create_client`, which builds it."""
        super().__init__(transport, username=username, password=password)
        self._forms: WebSession | None = None
        self._forms_lock = asyncio.Lock()  # one forms login for requests refused together

    @override
    async def _login(self) -> None:
        self._forms = None
        realm = await self._transport.request("GET", "/cgi-bin/loginrealm")
        self._transport.check_status(realm, "loginrealm")
        random = parse_realm(realm.body)
        username = self._username or ""
        response = await self._transport.request(
            "GET",
            "/cgi-bin/login",
            params={
                "username": username,
                "secret": token_secret(username, random, self._password, self.token_separator),
            },
        )
        check_login(response)
        self._cookies = {**realm.cookies, **response.cookies}
        if self.forms_needed:
            self._forms = await log_in(self._transport, username, self._password)

    async def _forms_login(self, seen: WebSession | None) -> None:
        """Open the forms session after the token session was refused where the guide says."""
        async with self._forms_lock:
            if self._forms is seen:  # not already opened by a concurrent request
                self.forms_needed = True
                self._forms = await log_in(self._transport, self._username or "", self._password)

    async def _send(self, name: str, params: dict[str, str] | None, *, once: bool) -> HttpResponse:
        forms = self._forms
        if forms is None:
            return await self._transport.request(
                "GET", f"/cgi-bin/{name}", params=params, cookies=self._cookies, once=once
            )
        return await self._transport.request(
            "GET",
            f"/cgi-bin/{name}",
            params=forms.params(params),
            cookies={**self._cookies, **forms.request_cookies()},
            headers=page_headers(self._transport),
            once=once,
        )

    async def _answer[T](
        self, name: str, params: dict[str, str] | None, parse: Parser[T], *, once: bool
    ) -> T | None:
        """Send the request; what `parse` reads of it, or None when the session was refused."""
        response = await self._send(name, params, once=once)
        if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            return None
        self._transport.check_status(response, name)
        return parse(response.body)

    async def _authorized[T](
        self, name: str, params: dict[str, str] | None, parse: Parser[T], *, once: bool
    ) -> T:
        """Send on the session the guide's table wants: the forms one is opened once if needed."""
        forms = self._forms
        answer = await self._answer(name, params, parse, once=once)
        if answer is None and forms is None and name not in TOKEN_SERVED:
            if self.forms_needed is False:
                raise SessionExpiredError(f"{name}: unauthorized")
            # The guide's table: this endpoint wants Forms Authentication.
            await self._forms_login(forms)
            answer = await self._answer(name, params, parse, once=once)
        elif answer is not None and forms is None and name not in TOKEN_SERVED:
            self.forms_needed = False  # lenient firmware: the token session serves it all
        if answer is None:
            raise SessionExpiredError(f"{name}: unauthorized")
        return answer

    @override
    async def _api(
        self, name: str, params: dict[str, str] | None = None, *, read: bool = False
    ) -> Envelope:
        async def call() -> Envelope:
            envelope = await self._authorized(name, params, authorized_envelope, once=not read)
            if read and not envelope.success:
                raise PhoneResponseError(f"{name} failed: {quote(as_str(envelope.body))}")
            return envelope

        return await self._guard.run(call)

    async def device_info(self) -> DeviceInfo:
        """One request: api-values.get for the vendor, model, MAC, firmware and hardware names."""
        envelope = await self._api(
            "api-values.get", {"request": ":".join(DEVICE_VALUES)}, read=True
        )
        return parse_device_values(as_object(envelope.body, "api-values.get"))

    @override
    async def _do_uptime(self) -> int:
        return await self._guard.run(
            lambda: self._authorized(GET_TIME, None, parse_time, once=False)
        )

    @override
    async def _do_provision(self) -> None:
        check_command(await self._api(SYS_OPERATION, {"request": "PROV"}), "provisioning")

    @override
    async def _do_get_config(self, names: tuple[str, ...]) -> dict[str, str]:
        keys = [p_value_key(name) for name in names]
        envelope = await self._api(VALUES_GET, {"request": ":".join(keys)}, read=True)
        values = as_object(envelope.body, VALUES_GET)
        return {name: as_str(get_ci(values, key)) for name, key in zip(names, keys, strict=True)}

    @override
    async def _do_set_config(self, values: Mapping[str, str]) -> None:
        # The guide: "name must start with P"; the answer's body is {"status": "right"}.
        envelope = await self._api(VALUES_POST, {name.upper(): v for name, v in values.items()})
        check_values_written(envelope)
