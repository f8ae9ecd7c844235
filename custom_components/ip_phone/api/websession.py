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

Configuration values, as the web interface itself reads and writes them (issue 9's capture of
`config_get?pvalues=1413,22234`; the writer and both answers as public WP826 clients quote firmware
1.0.3.35, read from the phone's own web interface):
- `GET /cgi-bin/config_get?pvalues=1413,22234` -> `{"configs": [{"pvalue": "1413", "value": ..}]}`;
  an expired session: HTTP 200 `{"response": "error", "body": {"status": "session-expired"}}`;
- `PUT /cgi-bin/config_update` with JSON `{"alias": {}, "pvalue": {"1413": ".."}}` ->
  `{"response": "success", "body": {"status": "right"}}`; a setting the role may not change is
  left alone under that same answer, so every write is read back.
Older firmware has neither: it reads through `api.values.get` and writes nothing here.
"""

from collections.abc import Mapping
from http import HTTPStatus
import json
import re
from typing import Final, override

from .cgi import CGI_CAPABILITIES, CgiClient
from .client import Capability
from .config import GRANDSTREAM_NAMES, p_value_key
from .errors import PhoneResponseError, PhoneUnsupportedError
from .grandstream import (
    ACTION_URL_P_VALUES,
    Envelope,
    check_values_written,
    is_unauthorized,
    parse_envelope,
)
from .login import SessionExpiredError
from .models import DeviceInfo, Dialect
from .parsing import (
    JsonObject,
    as_list,
    as_object,
    as_str,
    decode_text,
    get_ci,
    parse_json,
)
from .redaction import quote
from .transport import HttpResponse
from .webapi import parse_device_values
from .weblogin import WebSession, log_in, page_headers, post_form

STATUS_REQUESTS: Final = 1  # line status; the accounts every few minutes
MODEL_DEFINE: Final = "/json/configs/model.define.js"
ALL_LINES: Final = "-1"  # what the web interface asks api-get_line_status for every line
VENDOR: Final = "Grandstream"
# Older firmware reads values through api.values.get (dots), with the Web API's value names.
OLD_VALUES: Final = "api.values.get"
OLD_VALUE_NAMES: Final = ("vendor_name", "phone_model", "68", "hw_rev", "mac")
CONFIG_GET: Final = "config_get"
CONFIG_UPDATE: Final = "config_update"
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


def parse_configs(raw: bytes) -> dict[str, str]:
    """Values by P-number from a `config_get` answer; SessionExpiredError, PhoneResponseError."""
    answer = as_object(parse_json(raw), CONFIG_GET)
    configs = get_ci(answer, "configs")
    if configs is None:
        envelope = parse_envelope(raw)
        if not envelope.success and is_expired(envelope):
            raise SessionExpiredError(f"{CONFIG_GET}: session expired")
        raise PhoneResponseError(f"{CONFIG_GET} answered no values: {quote(as_str(envelope.body))}")
    items = [item for item in as_list(configs, CONFIG_GET) if isinstance(item, dict)]
    return {as_str(get_ci(item, "pvalue")): as_str(get_ci(item, "value")) for item in items}


class WebSessionClient(CgiClient):
    """A Grandstream phone driven through its web interface's session."""

    dialect = Dialect.GRANDSTREAM_SESSION
    capabilities = CGI_CAPABILITIES | {
        Capability.GET_CONFIG,
        Capability.SET_CONFIG,
        Capability.PUSH_SETUP,
    }
    # These phones are the families whose administration guides give the Action URL P-values
    # (GXP16xx, GXP21xx, GRP261x); set_up_push reads them back all the same.
    action_url_names = ACTION_URL_P_VALUES
    config_names = GRANDSTREAM_NAMES
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
            envelope = self._envelope(response, name)
            if read and not envelope.success:
                raise PhoneResponseError(f"{name} failed: {quote(as_str(envelope.body))}")
            return envelope

        return await self._guard.run(call)

    def _checked(self, response: HttpResponse, name: str) -> HttpResponse:
        """Raise SessionExpiredError on HTTP 401, the transport's error on any other failure."""
        if response.status == HTTPStatus.UNAUTHORIZED:
            raise SessionExpiredError(f"{name}: HTTP 401")
        self._transport.check_status(response, name)
        return response

    def _envelope(self, response: HttpResponse, name: str) -> Envelope:
        """Return the answer's envelope; SessionExpiredError however the phone says it expired."""
        envelope = parse_envelope(self._checked(response, name).body)
        if not envelope.success and is_expired(envelope):
            raise SessionExpiredError(f"{name}: session expired")
        return envelope

    def _older_firmware(self) -> bool:
        """Tell older firmware (plain login, cookies only): no config_get, no config_update."""
        return self._web is not None and self._web.sid is None

    def _web_session(self) -> WebSession:
        return self._web or WebSession(sid=None)

    @override
    async def _do_get_config(self, names: tuple[str, ...]) -> dict[str, str]:
        keys = [p_value_key(name) for name in names]
        await self._guard.run(self._noop)  # logged in: the login tells which firmware this is
        if self._older_firmware():
            envelope = await self._api(OLD_VALUES, {"request": ":".join(keys)}, read=True)
            values = {k: as_str(v) for k, v in as_object(envelope.body, OLD_VALUES).items()}
        else:

            async def call() -> dict[str, str]:
                web = self._web_session()
                response = await self._transport.request(
                    "GET",
                    f"/cgi-bin/{CONFIG_GET}",
                    params=web.params({"pvalues": ",".join(keys)}),
                    headers=page_headers(self._transport),
                    cookies=web.request_cookies(),
                )
                return parse_configs(self._checked(response, CONFIG_GET).body)

            values = await self._guard.run(call)
        return {name: values.get(key, "") for name, key in zip(names, keys, strict=True)}

    @override
    async def _do_set_config(self, values: Mapping[str, str]) -> None:
        body = json.dumps({"alias": {}, "pvalue": {p_value_key(k): v for k, v in values.items()}})

        async def call() -> None:
            if self._older_firmware():
                raise PhoneUnsupportedError("This firmware has no config_update: read only")
            web = self._web_session()
            response = await self._transport.request(
                "PUT",
                f"/cgi-bin/{CONFIG_UPDATE}",
                params=web.params(None),
                data=body.encode(),
                headers={
                    **page_headers(self._transport),
                    "Content-Type": "application/json;charset=UTF-8",
                },
                cookies=web.request_cookies(),
                once=True,
            )
            check_values_written(self._envelope(response, CONFIG_UPDATE))

        await self._guard.run(call)

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
