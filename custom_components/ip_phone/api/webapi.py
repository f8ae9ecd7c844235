"""Grandstream GXV3370/GXV3380/GXV3350/WP820 Web API: token login, then `/cgi-bin/api-*`.

Login: `GET /cgi-bin/loginrealm` gives a one-time random; `GET /cgi-bin/login?username=U&secret=S`
with S = MD5(U "." random "." password) (the guide's "Password Token Authentication"). The session
then rides on the cookies the login sets; "unauthorized" (or HTTP 401) means it expired.

Cost of status(): 2 requests (api-get_line_status and api-get_accounts, sent together); the phone
state is derived from the lines, so api-get_phone_status is not needed. No login in steady state.
"""

import hashlib
from http import HTTPStatus
import re
from typing import Final, override

from .cgi import SYS_OPERATION
from .client import Capability
from .errors import PhoneAuthenticationError, PhoneResponseError
from .grandstream import Envelope, check_command, is_unauthorized, parse_envelope
from .http import HttpResponse
from .models import DeviceInfo, Dialect
from .parsing import (
    JsonObject,
    as_object,
    as_str,
    decode_text,
    first_present,
    get_ci,
    normalise_mac,
    optional_str,
    parse_loose,
    unwrap,
)
from .phonebook import CGI_PHONEBOOK_CAPABILITIES, CgiPhonebook
from .redaction import quote
from .session import SessionExpiredError

STATUS_REQUESTS: Final = 1  # line status; the accounts every few minutes
TOKEN_SEPARATOR: Final = "."  # noqa: S105 (not a password: what joins the MD5 input)
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


def token_secret(username: str, random: str, password: str) -> str:
    """MD5(username "." random "." password), lower-case hex."""
    text = TOKEN_SEPARATOR.join((username, random, password))
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
    """Raise PhoneAuthenticationError if the login was refused, PhoneResponseError if unreadable."""
    if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
        raise PhoneAuthenticationError(f"Login refused (HTTP {response.status})")
    if not HTTPStatus.OK <= response.status < HTTPStatus.MULTIPLE_CHOICES:
        raise PhoneResponseError(f"Login answered HTTP {response.status}")
    value = parse_loose(response.body)
    if isinstance(value, dict) and get_ci(value, "response", "res") is not None:
        envelope = parse_envelope(response.body)
        if envelope.success and not is_unauthorized(envelope):
            return
        raise PhoneAuthenticationError("Login refused: wrong user name or password")
    text = decode_text(response.body).lower()
    if re.search(r"fail|error|unauthori[sz]ed|denied|invalid|locked", text):
        raise PhoneAuthenticationError("Login refused: wrong user name or password")
    if not response.cookies and "success" not in text:
        raise PhoneResponseError("Login answered neither success nor a session")


def parse_device_values(value: JsonObject) -> DeviceInfo:
    """DeviceInfo from an api-values.get body."""

    def pick(*keys: str) -> str | None:
        return first_present([optional_str(get_ci(value, key)) for key in keys])

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
    # PROV is the one admin operation the guide allows with the token login as well as Forms.
    capabilities = CGI_PHONEBOOK_CAPABILITIES | {Capability.PROVISION}
    status_requests = STATUS_REQUESTS
    default_username = "gmiadmin"

    logs_in = True

    @override
    async def _login(self) -> None:
        realm = await self._transport.request("GET", "/cgi-bin/loginrealm")
        self._transport.check_status(realm, "loginrealm")
        random = parse_realm(realm.body)
        username = self._username or ""
        response = await self._transport.request(
            "GET",
            "/cgi-bin/login",
            params={
                "username": username,
                "secret": token_secret(username, random, self._password),
            },
        )
        check_login(response)
        self._cookies = {**realm.cookies, **response.cookies}

    @override
    async def _api(
        self, name: str, params: dict[str, str] | None = None, *, read: bool = False
    ) -> Envelope:
        async def call() -> Envelope:
            response = await self._transport.request(
                "GET", f"/cgi-bin/{name}", params=params, cookies=self._cookies, once=not read
            )
            if response.status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
                raise SessionExpiredError(f"{name}: HTTP {response.status}")
            self._transport.check_status(response, name)
            envelope = parse_envelope(response.body)
            if is_unauthorized(envelope):
                raise SessionExpiredError(f"{name}: unauthorized")
            if read and not envelope.success:
                raise PhoneResponseError(f"{name} failed: {quote(as_str(envelope.body))}")
            return envelope

        return await self._session.run(call)

    async def device_info(self) -> DeviceInfo:
        """One request: api-values.get for the vendor, model, MAC, firmware and hardware names."""
        envelope = await self._api(
            "api-values.get", {"request": ":".join(DEVICE_VALUES)}, read=True
        )
        return parse_device_values(as_object(envelope.body, "api-values.get"))

    @override
    async def _do_provision(self) -> None:
        check_command(await self._api(SYS_OPERATION, {"request": "PROV"}), "provisioning")
