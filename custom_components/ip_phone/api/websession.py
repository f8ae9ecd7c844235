"""Grandstream phones that log in like their web interface (GXP21xx, GXP17xx, GRP26xx, WP8x6).

Login: `weblogin.log_in` (access + dologin; plain dologin on older GXP16xx firmware). The session
then rides on `Cookie: sid=..` and `sid=` in the form of every `/cgi-bin/api-*` POST. An expired
session answers HTTP 401 on `api-*`; the client logs in once more and retries once. Firmware
1.0.3.35 allows one session per account, so a person in the web interface as the same user and
this client evict each other.

Cost of status(): 1 request (api-get_line_status with line=-1); api-get_accounts with it, together,
when the accounts are due (as on the Web API). The phone state comes from the lines. Device
information costs one request (`/json/configs/model.define.js`, served without a login); firmware
and MAC come with the login's answer.
"""

from http import HTTPStatus
import re
from typing import Final, override

from .cgi import CGI_CAPABILITIES, CgiClient
from .errors import PhoneResponseError, PhoneUnsupportedError
from .grandstream import Envelope, is_unauthorized, parse_envelope
from .login import SessionExpiredError
from .models import DeviceInfo, Dialect
from .parsing import JsonObject, as_object, as_str, decode_text, get_ci
from .redaction import quote
from .webapi import parse_device_values
from .weblogin import WebSession, log_in, page_headers, post_form

STATUS_REQUESTS: Final = 1  # line status; the accounts every few minutes
MODEL_DEFINE: Final = "/json/configs/model.define.js"
ALL_LINES: Final = "-1"  # what the web interface asks api-get_line_status for every line
VENDOR: Final = "Grandstream"
# Older firmware reads values through api.values.get (dots), with the Web API's value names.
OLD_VALUES: Final = "api.values.get"
OLD_VALUE_NAMES: Final = ("vendor_name", "phone_model", "68", "hw_rev", "mac")
_MODEL: Final = re.compile(r"""["']?model["']?\s*[:=]\s*["']([^"']{1,40})["']""", re.IGNORECASE)


def parse_model_define(text: str) -> str | None:
    """Read the model named in the web interface's model definition script, if any."""
    match = _MODEL.search(text)
    return match[1].strip() if match else None


def is_expired(envelope: Envelope) -> bool:
    """Tell the JSON way of saying the session expired (`{"status": "session-expired"}`)."""
    body = envelope.body
    if isinstance(body, dict):
        return "expired" in as_str(get_ci(body, "status")).lower()
    return is_unauthorized(envelope) or "expired" in as_str(body).lower()


class WebSessionClient(CgiClient):
    """A Grandstream phone driven through its web interface's session."""

    dialect = Dialect.GRANDSTREAM_SESSION
    capabilities = CGI_CAPABILITIES
    status_requests = STATUS_REQUESTS
    default_username = "admin"

    logs_in = True
    line_status_params = {"line": ALL_LINES}  # noqa: RUF012 - read only
    _web: WebSession | None = None

    @override
    async def _login(self) -> None:
        self._web = None
        self._web = await log_in(self._transport, self._username or "", self._password)

    @override
    async def _api(
        self, name: str, params: dict[str, str] | None = None, *, read: bool = False
    ) -> Envelope:
        async def call() -> Envelope:
            web = self._web or WebSession(sid=None)
            response = await post_form(
                self._transport,
                f"/cgi-bin/{name}",
                web.params(params),
                web.request_cookies(),
                once=not read,
            )
            if response.status == HTTPStatus.UNAUTHORIZED:
                raise SessionExpiredError(f"{name}: HTTP 401")
            self._transport.check_status(response, name)
            envelope = parse_envelope(response.body)
            if not envelope.success and is_expired(envelope):
                raise SessionExpiredError(f"{name}: session expired")
            if read and not envelope.success:
                raise PhoneResponseError(f"{name} failed: {quote(as_str(envelope.body))}")
            return envelope

        return await self._guard.run(call)

    async def _model(self) -> str | None:
        response = await self._transport.request(
            "GET", MODEL_DEFINE, headers=page_headers(self._transport)
        )
        try:
            self._transport.check_status(response, "the model definition")
        except PhoneUnsupportedError:
            return None  # older firmware: the values tell the model
        return parse_model_define(decode_text(response.body))

    async def device_info(self) -> DeviceInfo:
        """Read the model (a file served without a login); firmware and MAC came with the login.

        Older firmware, whose login tells neither, adds one `api.values.get`.
        """
        await self._guard.run(self._noop)  # logged in, or refused without a word sent
        model = await self._model()
        web = self._web
        if web is not None and (web.firmware or web.mac):
            return DeviceInfo(vendor=VENDOR, model=model, mac=web.mac, firmware=web.firmware)
        envelope = await self._api(OLD_VALUES, {"request": ":".join(OLD_VALUE_NAMES)}, read=True)
        values: JsonObject = as_object(envelope.body, OLD_VALUES)
        info = parse_device_values(values)
        return DeviceInfo(
            vendor=info.vendor or VENDOR,
            model=model or info.model,
            mac=info.mac,
            firmware=info.firmware,
            hardware=info.hardware,
        )

    async def _noop(self) -> None:
        """Nothing: run under the session only to be logged in."""
