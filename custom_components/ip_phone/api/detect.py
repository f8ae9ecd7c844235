"""Which dialect a phone speaks, without ever sending a credential.

Probes, in order (the first that matches wins):
1. Web API: `GET /cgi-bin/loginrealm` answers a one-time random (that is not a login attempt),
   then `api-values.get?request=vendor_name:phone_model` answers the public values.
2. Web login (GXP21xx, GXP17xx, GRP26xx, WP8x6): `GET /json/configs/model.define.js`, the web
   interface's model definition, answers without a login and names the model.
3. GMI: `GET /manager?action=productinfo` (the guide: "login is not required").
4. Fanvil: `POST /xmlService` getting `info.dev.Vendor` and `info.dev.Model` (HTTP 401 when Push XML
   authentication is on: still Fanvil, without vendor and model).
5. CTI: every CTI request carries the passcode and a missing one counts as a wrong one, so CTI is
   never probed: a host that answers HTTP but none of the above is reported as CTI, `assumed`.
"""

from http import HTTPStatus

import aiohttp

from .errors import PhoneConnectionError, PhoneError
from .fanvil import PATH as FANVIL_PATH, build_get, parse_reply
from .gmi import PATH as GMI_PATH, parse_answer, parse_product_info
from .grandstream import parse_envelope
from .models import DetectedPhone, Dialect
from .parsing import as_object, decode_text, get_ci, optional_str
from .transport import DEFAULT_TIMEOUT, Transport
from .webapi import parse_realm
from .weblogin import page_headers
from .websession import MODEL_DEFINE, VENDOR, parse_model_define

PUBLIC_VALUES = ("vendor_name", "phone_model")


async def _webapi(transport: Transport) -> DetectedPhone | None:
    realm = await transport.request("GET", "/cgi-bin/loginrealm")
    if realm.status != HTTPStatus.OK:
        return None
    try:
        parse_realm(realm.body)
    except PhoneError:
        return None
    vendor = model = None
    try:
        values = await transport.request(
            "GET", "/cgi-bin/api-values.get", params={"request": ":".join(PUBLIC_VALUES)}
        )
        envelope = parse_envelope(values.body)
        if envelope.success and isinstance(envelope.body, dict):
            body = as_object(envelope.body)
            vendor = optional_str(get_ci(body, "vendor_name"))
            model = optional_str(get_ci(body, "phone_model"))
    except PhoneError:
        pass  # the dialect is certain; the names are a bonus
    return DetectedPhone(dialect=Dialect.GRANDSTREAM_WEBAPI, vendor=vendor, model=model)


async def _web_session(transport: Transport) -> DetectedPhone | None:
    response = await transport.request("GET", MODEL_DEFINE, headers=page_headers(transport))
    if response.status != HTTPStatus.OK:
        return None
    model = parse_model_define(decode_text(response.body))
    if model is None:
        return None
    return DetectedPhone(dialect=Dialect.GRANDSTREAM_SESSION, vendor=VENDOR, model=model)


async def _gmi(transport: Transport) -> DetectedPhone | None:
    response = await transport.request(
        "GET", GMI_PATH, params={"action": "productinfo", "format": "json"}
    )
    if response.status != HTTPStatus.OK:
        return None
    try:
        vendor, model = parse_product_info(parse_answer(response.body))
    except PhoneError:
        return None
    return DetectedPhone(dialect=Dialect.GRANDSTREAM_GMI, vendor=vendor, model=model)


async def _fanvil(transport: Transport) -> DetectedPhone | None:
    response = await transport.request(
        "POST",
        FANVIL_PATH,
        data=build_get(("info.dev.Vendor", "info.dev.Model")),
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    if response.status == HTTPStatus.UNAUTHORIZED:
        return DetectedPhone(dialect=Dialect.FANVIL)
    if response.status != HTTPStatus.OK:
        return None
    try:
        reply = parse_reply(response.body)
    except PhoneError:
        return None
    return DetectedPhone(
        dialect=Dialect.FANVIL,
        vendor=reply.get("info.dev.Vendor") or None,
        model=reply.get("info.dev.Model") or None,
    )


async def detect(
    session: aiohttp.ClientSession | None,
    host: str,
    *,
    port: int | None = None,
    https: bool = False,
    verify_ssl: bool = True,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 (per request, passed to the transport)
) -> DetectedPhone:
    """Find the dialect `host` speaks; never sends a user name, password or passcode.

    Args:
        session: used as is and never closed; None for a session of its own, closed at the end.
        host: the phone's host name or IP address, no URL.
        port: the web interface's port; None for the scheme's usual one.
        https: talk HTTPS instead of HTTP.
        verify_ssl: check the phone's certificate.
        timeout: seconds each probe may take.

    Returns:
        The dialect, with vendor and model where the phone tells them without a login; a phone
        that answers HTTP but no probe is reported as CTI with `assumed=True` (CTI cannot be
        probed without its passcode).

    Raises:
        PhoneConnectionError: the host does not answer HTTP at all.
        ValueError: a host or port that is not one.
    """
    async with Transport(
        host=host,
        port=port,
        https=https,
        verify_ssl=verify_ssl,
        session=session,
        timeout=timeout,
    ) as transport:
        answered = False
        last_error: PhoneConnectionError | None = None
        for probe in (_webapi, _web_session, _gmi, _fanvil):
            try:
                found = await probe(transport)
            except PhoneConnectionError as err:
                if not answered:
                    raise  # nothing listens there: no point trying the other probes
                last_error = err
                continue
            except PhoneError:
                found = None  # answered, but not in this dialect
            answered = True
            if found is not None:
                return found
        if last_error is not None:
            raise last_error
        return DetectedPhone(dialect=Dialect.GRANDSTREAM_CTI, assumed=True)
