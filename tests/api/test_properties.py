"""Whatever a phone sends, the parsers raise PhoneError or return models: nothing else escapes."""

from collections.abc import Callable
import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.ip_phone.api import PhoneError, cgi, fanvil, gmi, grandstream, webapi
from custom_components.ip_phone.api.parsing import as_object, parse_json, parse_loose
from custom_components.ip_phone.api.transport import HttpResponse
from custom_components.ip_phone.api.xmlsafe import parse_xml

from .samples import CTI_LINES, FANVIL_INFO, GMI_ACCOUNTS, WEBAPI_ACCOUNTS, WEBAPI_LINES


def webapi_lines(body: bytes) -> object:
    return grandstream.parse_lines(
        grandstream.parse_envelope(body).body, account_from_wire=cgi.account_from_wire
    )


def webapi_accounts(body: bytes) -> object:
    return grandstream.parse_accounts(grandstream.parse_envelope(body).body)


def webapi_values(body: bytes) -> object:
    envelope = grandstream.parse_envelope(body)
    return webapi.parse_device_values(as_object(envelope.body))


def command(body: bytes) -> object:
    envelope = grandstream.parse_envelope(body)
    grandstream.check_command(envelope, "x")
    return grandstream.is_unauthorized(envelope)


def login(body: bytes) -> object:
    webapi.check_login(HttpResponse(200, body, {}))
    return webapi.parse_realm(body)


def gmi_accounts(body: bytes) -> object:
    answer = gmi.parse_answer(body)
    return gmi.parse_accounts(answer), gmi.state_from_accounts(answer)


def gmi_line(body: bytes) -> object:
    return gmi.parse_line_status(gmi.parse_answer(body), 1)


def gmi_info(body: bytes) -> object:
    answer = gmi.parse_answer(body)
    return gmi.parse_product_info(answer), gmi.parse_hardware(answer), gmi.parse_network(answer)


def fanvil_status(body: bytes) -> object:
    reply = fanvil.parse_reply(body)
    return fanvil.parse_accounts(reply, 4), fanvil.parse_device_info(reply)


PARSERS: list[Callable[[bytes], object]] = [
    parse_json,
    parse_loose,
    webapi_lines,
    webapi_accounts,
    webapi_values,
    command,
    login,
    gmi_accounts,
    gmi_line,
    gmi_info,
    fanvil_status,
    lambda body: parse_xml(body.decode("utf-8", "replace")),
]
SAMPLES = [WEBAPI_LINES, WEBAPI_ACCOUNTS, CTI_LINES, GMI_ACCOUNTS, FANVIL_INFO, b"cb(4)"]

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["success", "error", "0010", "4", "unauthorized", "authentication required"]),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                [
                    "response",
                    "body",
                    "res",
                    "msg",
                    "line",
                    "state",
                    "acct",
                    "id",
                    "reg",
                    "sip_id",
                    "Data",
                    "Index",
                    "Status",
                    "Response",
                    "product",
                    "vendor",
                    "mac",
                    "hardware",
                    "status",
                    "name",
                    "number",
                    "active",
                    "x",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=20,
)


def only_phone_errors(parse: Callable[[bytes], object], body: bytes) -> None:
    with contextlib.suppress(PhoneError):
        parse(body)


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=300))
def test_arbitrary_bytes(body: bytes) -> None:
    for parse in PARSERS:
        only_phone_errors(parse, body)


@FAST
@given(json_values, st.sampled_from(["{}", "cb({})", '"{}"', " {} ;"]))
def test_arbitrary_json(value: Any, wrapping: str) -> None:
    body = wrapping.replace("{}", json.dumps(value)).encode()
    for parse in PARSERS:
        only_phone_errors(parse, body)


@FAST
@given(
    st.sampled_from(SAMPLES),
    st.lists(
        st.tuples(st.integers(0, 2000), st.integers(0, 20), st.binary(max_size=8)), max_size=4
    ),
)
def test_mutated_answers(sample: bytes, edits: list[tuple[int, int, bytes]]) -> None:
    body = sample
    for offset, length, insert in edits:
        start = offset % (len(body) + 1)
        body = body[:start] + insert + body[start + length :]
    for parse in PARSERS:
        only_phone_errors(parse, body)


xml_names = st.sampled_from(["FanvilConfiguration", "RetCode", "info", "Item", "x", "Info"])


@st.composite
def xml_documents(draw: st.DrawFn) -> bytes:
    def element(depth: int) -> str:
        name = draw(xml_names)
        text = draw(st.text(alphabet=st.characters(codec="utf-8"), max_size=15))
        escaped = text.replace("&", "&amp;").replace("<", "&lt;")
        children = "".join(element(depth + 1) for _ in range(draw(st.integers(0, 3 - depth))))
        return f"<{name}>{escaped}{children}</{name}>"

    return element(0).encode()


@FAST
@given(xml_documents())
def test_arbitrary_xml(body: bytes) -> None:
    only_phone_errors(fanvil_status, body)


@FAST
@given(
    st.lists(
        st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=30), max_size=5
    )
)
def test_request_building_round_trips(keys: list[str]) -> None:
    document = fanvil.build_get(keys)
    root = parse_xml(document.decode())
    assert len(list(root)) == len(keys)
