"""No credential in any error, whatever a phone echoes; redaction comes before any cut."""

import base64
from collections.abc import Callable, Mapping
from urllib.parse import quote, quote_plus

import aiohttp
import pytest

from custom_components.ip_phone.api import (
    PhoneAuthenticationError,
    PhoneClient,
    PhoneError,
    PhoneResponseError,
    create_client,
)
from custom_components.ip_phone.api.redaction import MAX_MESSAGE, REDACTED, Redactor
from simulator import Faults, SimulatorServer
from tests.helpers import PASSWORD

from .fakes import fake_phone, gmi_phone

SECRET = "Zq7&Dr1l ü/x"
MIN_PART = 4  # a part of a secret this long already tells too much


def forms(secret: str) -> list[str]:
    """List the forms a secret travels in: plain, URL-encoded either way, hex in either case."""
    encoded = quote(secret, safe="")
    return [secret, encoded, encoded.lower(), quote_plus(secret, safe="")]


def leaked_part(text: str, secret: str = PASSWORD) -> str | None:
    """Return a part of `secret` (MIN_PART characters or more) that `text` shows, in any form."""
    for form in forms(secret):
        for end in range(len(form), MIN_PART - 1, -1):
            if form[:end] in text:
                return form[:end]
    return None


@pytest.mark.parametrize(
    "shown",
    [
        SECRET,
        quote(SECRET, safe=""),
        quote(SECRET, safe="").lower(),
        quote_plus(SECRET, safe=""),
        "Zq7&amp;Dr1l ü/x",
        "Zq7&Dr1l \\u00fc\\/x",
        "Zq7%26Dr1l+%C3%BC/x",  # as a query string carries it, "/" left alone
    ],
    ids=["plain", "percent", "percent-lower", "plus", "xml", "json", "query"],
)
def test_every_form_is_redacted(shown: str) -> None:
    redact = Redactor()
    redact.add(SECRET)
    assert redact(f"GET /x?passcode={shown}&line=1") == f"GET /x?passcode={REDACTED}&line=1"


def test_basic_credentials_are_a_secret(http: aiohttp.ClientSession) -> None:
    """Fanvil's Authorization header carries the password base64-encoded: that is redacted too."""
    client = create_client("fanvil", session=http, host="127.0.0.1", password=SECRET)
    header = base64.b64encode(f"admin:{SECRET}".encode()).decode()
    assert client.redact(f"Authorization: Basic {header}") == f"Authorization: Basic {REDACTED}"


def test_redaction_comes_before_the_cut() -> None:
    """A secret across the cut is redacted whole first: no part of it survives the cut."""
    redact = Redactor()
    redact.add(SECRET)
    err = PhoneResponseError("x" * (MAX_MESSAGE - 5) + quote(SECRET, safe="") + "y" * 500)
    redact.scrub(err)
    assert leaked_part(str(err), SECRET) is None
    assert str(err).endswith("...")
    assert len(str(err)) <= MAX_MESSAGE + 3


async def test_echoed_request_shows_no_part_of_the_password(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """A phone that quotes the request (passcode and all) back in an answer that is not JSON."""
    client = make_client(server)
    await client.status()
    server.phone.faults = Faults(echo=True)
    with pytest.raises(PhoneError) as info:
        await client.status()
    err = info.value
    assert leaked_part(f"{err} {err!r} {err.__cause__} {err.__context__}") is None


async def test_echo_during_the_first_request(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """The login, or CTI's passcode check, quoted back: still nothing of the password."""
    client = make_client(server)
    server.phone.faults = Faults(echo=True)
    with pytest.raises(PhoneError) as info:
        await client.status()
    assert leaked_part(str(info.value)) is None


async def test_gmi_login_refusal_quoting_the_password(http: aiohttp.ClientSession) -> None:
    """GMI's refusal message quotes the phone, which quotes the password: the error does not."""

    def login(query: Mapping[str, str]) -> object:
        return {"res": "error", "msg": f"authentication failed for secret={query['secret']}"}

    async with fake_phone(gmi_phone({"login": login}), "/manager") as server:
        client = create_client(
            "grandstream_gmi", session=http, host="127.0.0.1", port=server.port, password=PASSWORD
        )
        for _ in range(2):  # the refusal, then the latch that remembers it
            with pytest.raises(PhoneAuthenticationError) as info:
                await client.status()
            assert "authentication failed for secret=" in str(info.value)
            assert leaked_part(str(info.value)) is None
