"""The pure parsers, fed the documents' own examples and what real firmware sends."""

import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.ip_phone.api import (
    LineState,
    PhoneAuthenticationError,
    PhoneCommandError,
    PhoneResponseError,
    PhoneState,
    PhoneUnsupportedError,
    cgi,
    fanvil,
    gmi,
    grandstream,
    webapi,
)
from custom_components.ip_phone.api.login import SessionExpiredError
from custom_components.ip_phone.api.parsing import (
    as_bool,
    as_int,
    as_list,
    as_str,
    normalise_mac,
    parse_json,
    parse_loose,
)
from custom_components.ip_phone.api.transport import HttpResponse
from custom_components.ip_phone.api.xmlsafe import MAX_DEPTH, parse_xml

from .samples import CTI_LINES, FANVIL_INFO, GMI_ACCOUNTS, WEBAPI_ACCOUNTS, WEBAPI_LINES


def test_webapi_guide_examples(snapshot: SnapshotAssertion) -> None:
    lines = grandstream.parse_lines(
        grandstream.parse_envelope(WEBAPI_LINES).body, account_from_wire=cgi.account_from_wire
    )
    accounts = grandstream.parse_accounts(grandstream.parse_envelope(WEBAPI_ACCOUNTS).body)
    assert [line.state for line in lines] == [
        LineState.RINGING,
        LineState.CALLING,
        LineState.CALLING,
        LineState.FAILED,
    ]
    assert accounts[3].registered is False
    assert (lines, accounts) == snapshot


def test_cti_guide_example(snapshot: SnapshotAssertion) -> None:
    lines = grandstream.parse_lines(
        grandstream.parse_envelope(CTI_LINES).body, account_from_wire=cgi.account_from_wire
    )
    assert {line.state for line in lines} == {LineState.IDLE}
    assert lines == snapshot


def test_gmi_guide_example(snapshot: SnapshotAssertion) -> None:
    accounts = gmi.parse_accounts(gmi.parse_answer(GMI_ACCOUNTS))
    assert [account.index for account in accounts] == [1, 2, 3]
    assert accounts[0].sip_id == "8118263"
    assert accounts == snapshot


def test_fanvil_guide_example(snapshot: SnapshotAssertion) -> None:
    info = fanvil.parse_device_info(fanvil.parse_reply(FANVIL_INFO))
    assert info.model == "X6"
    assert info.mac == "00:a8:59:c6:01:02"
    assert info == snapshot


@pytest.mark.parametrize(
    ("code", "state"),
    [
        ("-1", LineState.FAILED),
        ("0", LineState.IDLE),
        ("1", LineState.DIALING),
        (2, LineState.RINGING),
        ("4", LineState.CONNECTED),
        ("5", LineState.ON_HOLD),
        ("6", LineState.TRANSFERRED),
        ("7", LineState.ENDING),
        ("9", LineState.TRANSFERRING),
        ("10", LineState.CONFERENCE),
        ("11", LineState.PAGING),
        ("12", LineState.RINGBACK),
        ("13", LineState.IP_CALL),
        ("14", LineState.UNKNOWN),
        ("In Call", LineState.CONNECTED),
        ("onhold", LineState.ON_HOLD),
        ("teleporting", LineState.UNKNOWN),
        (None, LineState.UNKNOWN),
    ],
)
def test_line_states(code: str | int | None, state: LineState) -> None:
    assert grandstream.line_state(code) is state


@pytest.mark.parametrize(
    "body",
    [
        b"callback(2)",
        b"jQuery123_456(2);",
        b"2",
        b' "2" ',
        b'{"res": "success", "status": "2"}',
    ],
)
def test_gmi_line_status_in_every_wrapping(body: bytes) -> None:
    line = gmi.parse_line_status(gmi.parse_answer(body), 3)
    assert (line.index, line.state) == (3, LineState.RINGING)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b'{"res": "error", "msg": "authentication required"}', SessionExpiredError),
        (b'cb({"res": "error", "msg": "authentication failed"})', PhoneAuthenticationError),
        (b'{"res": "error", "msg": "command not found"}', PhoneUnsupportedError),
        (b'{"res": "error", "msg": "timeout"}', PhoneCommandError),
        (b'{"res": "error", "msg": {"odd": 1}}', PhoneCommandError),
    ],
)
def test_gmi_errors(body: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        gmi.parse_answer(body)


def test_gmi_without_line_status_derives_state_from_accounts() -> None:
    ringing = (
        b'{"Response":"Success","Data":[{"Index":"0","Status":"4"},{"Index":"1","Status":"6"}]}'
    )
    talking = b'{"Response":"Success","Data":[{"Index":"0","Status":"6"}]}'
    idle = b'{"Response":"Success","Data":[{"Index":"0","Status":"1"}]}'
    assert gmi.state_from_accounts(gmi.parse_answer(ringing)) is PhoneState.RINGING
    assert gmi.state_from_accounts(gmi.parse_answer(talking)) is PhoneState.BUSY
    assert gmi.state_from_accounts(gmi.parse_answer(idle)) is PhoneState.AVAILABLE
    assert gmi.state_from_accounts(gmi.parse_answer(b'{"Response":"Success","Data":[]}')) is (
        PhoneState.UNKNOWN
    )


def test_gmi_product_info_and_friends() -> None:
    assert gmi.parse_product_info(
        gmi.parse_answer(b'{"res": "success", "product": "GXP2200","vendor": "GS"}')
    ) == ("GS", "GXP2200")
    assert gmi.parse_network({"res": "success", "mac": "00-0b-82-29-5c-a7"}) == "00:0b:82:29:5c:a7"
    assert gmi.parse_hardware({"res": "success", "hardware": "V2.0A"}) == "V2.0A"
    with pytest.raises(PhoneResponseError):
        gmi.parse_hardware({"res": "failure"})


def test_sip_ids_stay_strings() -> None:
    body = (
        b'{"response":"success","body":[{"id":"1","sip_id":"0010","reg":"1"},{"id":2,"sip_id":10}]}'
    )
    accounts = grandstream.parse_accounts(grandstream.parse_envelope(body).body)
    assert [a.sip_id for a in accounts] == ["0010", "10"]
    assert accounts[0].registered is True


def test_indexes_counted_from_zero_or_missing() -> None:
    zero_based = b'{"response":"success","body":[{"line":0,"state":0},{"line":1,"state":4}]}'
    lines = grandstream.parse_lines(
        grandstream.parse_envelope(zero_based).body, account_from_wire=cgi.account_from_wire
    )
    assert [line.index for line in lines] == [1, 2]
    missing = b'{"response":"success","body":[{"state":0},{"line":"x","state":4}, 7]}'
    lines = grandstream.parse_lines(
        grandstream.parse_envelope(missing).body, account_from_wire=cgi.account_from_wire
    )
    assert [line.index for line in lines] == [1, 2]


def test_one_line_as_an_object() -> None:
    body = b'{"response":"success","body":{"line":2,"state":"4","acct":"1","active":"1"}}'
    (line,) = grandstream.parse_lines(
        grandstream.parse_envelope(body).body, account_from_wire=cgi.account_from_wire
    )
    # acct counts from 0 (as api-make_call's account does): "1" is the second account.
    assert (line.index, line.state, line.account, line.active) == (2, LineState.CONNECTED, 2, True)


def test_acct_counts_from_0_and_an_idle_line_has_no_account() -> None:
    """As a WP826 whose only account is account 1 answers: `"acct": 0`, idle or in a call."""
    body = b"""{"response":"success","body":[
        {"line":1,"state":"4","acct":0,"name":"","number":"201","active":1},
        {"line":2,"state":"0","acct":0,"name":"","number":"","active":0}]}"""
    busy, idle = grandstream.parse_lines(
        grandstream.parse_envelope(body).body, account_from_wire=cgi.account_from_wire
    )
    assert (busy.account, idle.account) == (1, None)


@pytest.mark.parametrize(
    ("body", "refused"),
    [
        ({"response": "success", "body": "true"}, False),
        ({"response": "success", "body": True}, False),
        ({"response": "success", "body": "complete"}, False),
        ({"response": "success", "body": ""}, False),
        ({"response": "success", "body": "false"}, True),
        ({"response": "success", "body": False}, True),
        ({"response": "error", "body": "failed"}, True),
        ({"response": "error", "body": {"status": "wrong"}}, True),
    ],
)
def test_command_results(body: dict[str, object], *, refused: bool) -> None:
    envelope = grandstream.parse_envelope(
        str(body).replace("'", '"').replace("True", "true").replace("False", "false")
    )
    if refused:
        with pytest.raises(PhoneCommandError):
            grandstream.check_command(envelope, "it")
    else:
        grandstream.check_command(envelope, "it")


@pytest.mark.parametrize("body", [b"", b"null", b"[]", b'{"body": 1}', b"<html>", b"\xff\xfe"])
def test_envelope_refuses_what_is_not_one(body: bytes) -> None:
    with pytest.raises(PhoneResponseError):
        grandstream.parse_envelope(body)


def test_webapi_login_answers() -> None:
    ok = HttpResponse(200, b'{"response":"success","body":{"sid":"x"}}', {"session": "x"})
    webapi.check_login(ok)
    webapi.check_login(HttpResponse(200, b"success"))
    webapi.check_login(HttpResponse(200, b"", {"sid": "1"}))
    for refused in (
        HttpResponse(401, b""),
        HttpResponse(200, b'{"response":"error","body":"unauthorized"}'),
        HttpResponse(200, b'{"response":"success","body":"unauthorized"}'),
        HttpResponse(200, b"Login failed"),
    ):
        with pytest.raises(PhoneAuthenticationError):
            webapi.check_login(refused)
    for odd in (HttpResponse(500, b""), HttpResponse(200, b"<html></html>")):
        with pytest.raises(PhoneResponseError):
            webapi.check_login(odd)


@pytest.mark.parametrize(
    ("body", "random"),
    [
        (b"1234567890", "1234567890"),
        (b"0123", "0123"),
        (b"1e5", "1e5"),
        (b'{"response":"success","body":"42"}', "42"),
        (b'{"response":"success","body":42}', "42"),
    ],
)
def test_login_realm(body: bytes, random: str) -> None:
    assert webapi.parse_realm(body) == random


@pytest.mark.parametrize("body", [b"", b"a b", b"<html>", b'{"body": [1]}', b"x" * 200])
def test_login_realm_refuses(body: bytes) -> None:
    with pytest.raises(PhoneResponseError):
        webapi.parse_realm(body)


def test_token_secret_is_md5_of_user_random_password() -> None:
    # MD5("gmiadmin.12345.admin"), computed independently.
    assert webapi.token_secret("gmiadmin", "12345", "admin") == (
        __import__("hashlib").md5(b"gmiadmin.12345.admin").hexdigest()
    )


def test_webapi_device_values(snapshot: SnapshotAssertion) -> None:
    body = {
        "vendor_name": "Grandstream",
        "phone_model": "GXV3370",
        "68": "1.0.3.30",
        "hw_rev": "V2.2A",
        "mac": "000B82123456",
        "serial_number": "",
    }
    assert webapi.parse_device_values(body) == snapshot


def test_fanvil_registration_codes() -> None:
    reply = fanvil.parse_reply(
        b"<FanvilConfiguration><RetCode>0</RetCode><info>"
        b"<Item>sip.line.1.RegisterUser = 0010</Item>"
        b"<Item>info.sip.line.1.registerCode = 200</Item>"
        b"<Item>sip.line.2.EnableReg = 1</Item><Item>info.sip.line.2.registerCode = 403</Item>"
        b"<Item>sip.line.3.EnableReg = 1</Item><Item>info.sip.line.3.registerCode = 1</Item>"
        b"<Item>sip.line.4.EnableReg = 0</Item><Item>info.sip.line.4.registerCode = 0</Item>"
        b"<Item>sip.line.5.RegisterUser = </Item><Item>info.sip.line.5.registerCode = </Item>"
        b"</info></FanvilConfiguration>"
    )
    accounts = fanvil.parse_accounts(reply, 6)
    assert [(a.index, a.registered, a.raw_status) for a in accounts] == [
        (1, True, "200"),
        (2, False, "403"),
        (3, None, "1"),
        (4, False, "0"),
    ]
    assert accounts[0].sip_id == "0010"


@pytest.mark.parametrize(
    "body",
    [
        b"<FanvilConfiguration></FanvilConfiguration>",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x><RetCode>0</RetCode></x>",
        b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><x><RetCode>&xxe;</RetCode></x>',
        b"<x><RetCode>&undefined;</RetCode></x>",
        b"not xml",
        b"",
    ],
)
def test_fanvil_refuses(body: bytes) -> None:
    with pytest.raises(PhoneResponseError):
        fanvil.parse_reply(body)


def test_billion_laughs_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<lolz>&lol2;</lolz>"
    )
    with pytest.raises(PhoneResponseError, match="DTD"):
        parse_xml(bomb)


def test_deep_nesting_is_refused() -> None:
    """A hostile or broken device's 140,000 levels are refused, not built into a tree."""
    depth = 140_000
    with pytest.raises(PhoneResponseError, match="deeper"):
        parse_xml("<a>" * depth + "</a>" * depth)
    with pytest.raises(PhoneResponseError, match="deeper"):
        fanvil.parse_reply(b"<FanvilConfiguration>" + b"<x>" * depth)  # never even closed


def test_nesting_up_to_the_limit_is_parsed() -> None:
    root = parse_xml("<a>" * MAX_DEPTH + "</a>" * MAX_DEPTH)
    assert len(list(root.iter())) == MAX_DEPTH


def test_requests_are_escaped_by_the_library() -> None:
    document = fanvil.build_get(["a<b>&c"])
    assert b"a&lt;b&gt;&amp;c" in document
    assert fanvil.parse_reply(document.replace(b"</Fanv", b"<RetCode>0</RetCode></Fanv")).code == 0
    assert b'URI="Dial:123"' in fanvil.build_execute(["Dial:123"])


def test_tolerant_scalars() -> None:
    assert as_int(" 7 ") == 7
    assert as_int("7.0") == 7
    assert as_int(7.5) is None
    assert as_int(float("inf")) is None
    assert as_int("x") is None
    assert as_int(None) is None
    assert as_bool("Yes") is True
    assert as_bool("off") is False
    assert as_bool("2") is True
    assert as_bool("maybe") is None
    assert as_bool(0.0) is False
    assert as_bool([]) is None
    assert as_str(None) == ""
    assert as_str(True) == "1"  # noqa: FBT003
    assert as_int(True) == 1  # noqa: FBT003
    assert as_bool(False) is False  # noqa: FBT003
    assert as_str(10.0) == "10"
    assert as_str(1.5) == "1.5"
    assert as_str([1]) == ""
    assert normalise_mac("00-0B-82-29-5C-A7") == "00:0b:82:29:5c:a7"
    assert normalise_mac("000b82295ca7") == "00:0b:82:29:5c:a7"
    assert normalise_mac("nope") is None
    with pytest.raises(PhoneResponseError):
        as_list(1)


def test_json_decoding_quirks() -> None:
    assert parse_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}
    assert parse_json(b'"{\\"a\\": 1}"') == '{"a": 1}'
    assert parse_json(b'"{"a": 1}"') == {"a": 1}
    assert parse_loose(b"3176 kB") == "3176 kB"
    assert parse_loose("caf\xe9".encode("latin-1")) == "caf\xe9"
    for bad in (b"NaN", b"[Infinity]", b"[" * 100_000, b"1" * 5000):
        with pytest.raises(PhoneResponseError):
            parse_json(bad)
