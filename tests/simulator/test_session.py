"""The web-session dialect answers as a WP826 was captured answering (issue 9), and no more."""

import asyncio
import hashlib
import json
import re
from typing import Any

import aiohttp
import pytest

from simulator import Dialect, SimulatedPhone, SimulatorServer, Timings

from .helpers import forms_login, page_headers, post_json

ADMIN_HASH = hashlib.sha256(b"admin").hexdigest()


@pytest.fixture
def phone() -> SimulatedPhone:
    return SimulatedPhone(Dialect.GRANDSTREAM_SESSION, timings=Timings.instant())


@pytest.fixture
async def sid(http: aiohttp.ClientSession, server: SimulatorServer) -> str:
    return (await forms_login(http, server))["body"]["sid"]


@pytest.fixture
def api(http: aiohttp.ClientSession, server: SimulatorServer, sid: str) -> Any:
    async def call(endpoint: str, **params: str) -> Any:
        return await post_json(
            http, server, f"/cgi-bin/{endpoint}", {"sid": sid}, sid=sid, **params
        )

    return call


async def status_of(http: aiohttp.ClientSession, url: str, **kwargs: Any) -> tuple[int, str]:
    async with http.post(url, **kwargs) as response:
        return response.status, await response.text()


# Detection and login ------------------------------------------------------------------------
async def test_model_definition_needs_no_login(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    async with http.get(f"{server.url}/json/configs/model.define.js") as response:
        assert response.status == 200
        assert '"model": "WP826"' in await response.text()


async def test_login_answers_sid_role_hash_firmware_and_mac(
    http: aiohttp.ClientSession, server: SimulatorServer, phone: SimulatedPhone
) -> None:
    answer = await forms_login(http, server)
    body = answer["body"]
    assert answer["response"] == "success"
    assert re.fullmatch(r"[0-9a-f]{64}", body["sid"])
    assert body["role"] == hashlib.sha256(f"admin{body['sid']}".encode()).hexdigest()
    assert (body["ver"], body["mac"]) == ("1.0.3.35", phone.mac)
    assert (body["defaultAuth"], body["defaultLogin"]) == (False, False)


async def test_each_nonce_is_valid_once(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    nonce = (await post_json(http, server, "/cgi-bin/access", access=ADMIN_HASH))["body"]
    hashed = hashlib.sha256(f"admin{nonce}".encode()).hexdigest()
    first = await post_json(http, server, "/cgi-bin/dologin", username="admin", password=hashed)
    again = await post_json(http, server, "/cgi-bin/dologin", username="admin", password=hashed)
    assert first["response"] == "success"
    assert again == {"response": "error", "body": "wrong4"}


async def test_wrong_passwords_count_down_then_lock(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    answers = [(await forms_login(http, server, password="x"))["body"] for _ in range(5)]
    assert answers == ["wrong4", "wrong3", "wrong2", "wrong1", "wrong0"]
    assert await forms_login(http, server) == {
        "response": "error",
        "body": "locked",
        "lockTime": 5,
    }


async def test_no_page_headers_is_a_bare_403_before_any_check(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    url = f"{server.url}/cgi-bin/dologin"
    for headers in ({}, {"X-Requested-With": "XMLHttpRequest"}, {"Referer": f"{server.url}/"}):
        status, text = await status_of(
            http, url, data={"username": "admin", "password": "x"}, headers=headers
        )
        assert (status, "403" in text) == (403, True)
    elsewhere = {"X-Requested-With": "XMLHttpRequest", "Referer": "http://example.invalid/"}
    assert (await status_of(http, url, data={"username": "a"}, headers=elsewhere))[0] == 403
    # None of them counted as a wrong password.
    assert (await forms_login(http, server))["response"] == "success"


async def test_a_post_without_content_length_gets_411(
    http: aiohttp.ClientSession, server: SimulatorServer
) -> None:
    async def chunks() -> Any:
        yield f"access={ADMIN_HASH}".encode()

    status, _ = await status_of(
        http, f"{server.url}/cgi-bin/access", data=chunks(), headers=page_headers(server)
    )
    assert status == 411


# Sessions -------------------------------------------------------------------------------------
async def test_the_sid_rides_as_cookie_and_parameter(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str
) -> None:
    path = "/cgi-bin/api-get_accounts"
    assert (await post_json(http, server, path, {"sid": sid}, sid=sid))["response"] == "success"
    for cookies, params in (
        ({"sid": sid}, {}),
        ({}, {"sid": sid}),
        ({"sid": "0" * 64}, {"sid": sid}),
    ):
        headers = page_headers(server)
        if cookies:
            headers["Cookie"] = f"sid={cookies['sid']}"
        status, text = await status_of(http, f"{server.url}{path}", data=params, headers=headers)
        assert (status, text.startswith("<html>")) == (401, True)


async def test_config_get_says_session_expired_in_json(
    http: aiohttp.ClientSession, server: SimulatorServer, api: Any, phone: SimulatedPhone
) -> None:
    configs = (await api("config_get", pvalues="68,9999"))["configs"]
    assert configs == [
        {"pvalue": "68", "value": phone.firmware, "alias": ""},
        {"pvalue": "9999", "value": "", "alias": ""},
    ]
    answer = await post_json(http, server, "/cgi-bin/config_get", pvalues="68")
    assert answer == {"response": "error", "body": {"status": "session-expired"}}
    assert (await api("config_get"))["response"] == "error"


async def put_config(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str | None, body: Any
) -> tuple[int, Any]:
    """PUT a config_update as the web interface does: JSON, sid as cookie and parameter."""
    headers = page_headers(server)
    if sid:
        headers["Cookie"] = f"sid={sid}"
    async with http.put(
        f"{server.url}/cgi-bin/config_update",
        params={"sid": sid or ""},
        data=json.dumps(body),
        headers={**headers, "Content-Type": "application/json"},
    ) as response:
        return response.status, await response.json(content_type=None)


async def test_config_update_writes_what_the_role_may_change(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str, phone: SimulatedPhone
) -> None:
    write = {"alias": {}, "pvalue": {"1561": "1"}}
    assert await put_config(http, server, sid, write) == (
        200,
        {"response": "success", "body": {"status": "right"}},
    )
    assert phone.config["1561"] == "1"
    assert await put_config(http, server, None, write) == (
        200,
        {"response": "error", "body": {"status": "session-expired"}},
    )
    for bad in ({"pvalue": {"P1561": "1"}}, {"pvalue": {"1561": 1}}, {"alias": {}}, []):
        assert (await put_config(http, server, sid, bad))[1]["response"] == "error"
    status, _ = await status_of(
        http, f"{server.url}/cgi-bin/config_update", data={"sid": sid}, headers=page_headers(server)
    )
    assert status == 405
    # A user's session: the answer says success, and nothing changes.
    user_sid = (await forms_login(http, server, "user", "123"))["body"]["sid"]
    write = {"alias": {}, "pvalue": {"1561": "0"}}
    assert (await put_config(http, server, user_sid, write))[1]["response"] == "success"
    assert phone.config["1561"] == "1"


async def test_an_idle_session_expires(api: Any, phone: SimulatedPhone) -> None:
    assert (await api("api-get_accounts"))["response"] == "success"
    phone.session_timeout = 0.01
    await asyncio.sleep(0.02)
    with pytest.raises(ValueError, match="Expecting value"):
        await api("api-get_accounts")  # HTTP 401 HTML, not JSON


async def test_one_session_per_account(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str
) -> None:
    user = (await forms_login(http, server, username="user", password="123"))["body"]["sid"]
    second = (await forms_login(http, server))["body"]["sid"]
    path = "/cgi-bin/api-get_accounts"
    assert (await post_json(http, server, path, {"sid": user}, sid=user))["response"] == "success"
    assert (await post_json(http, server, path, {"sid": second}, sid=second))["body"]
    status, _ = await status_of(
        http,
        f"{server.url}{path}",
        data={"sid": sid},
        headers={**page_headers(server), "Cookie": f"sid={sid}"},
    )
    assert status == 401


# Status and commands --------------------------------------------------------------------------
async def test_line_status_counts_acct_from_0_and_idle_lines_show_0(
    api: Any, phone: SimulatedPhone
) -> None:
    phone.ring(2, "5551234", "Reception", account=1)
    lines = (await api("api-get_line_status", line="-1"))["body"]
    assert [(line["line"], line["state"], line["acct"]) for line in lines] == [
        (1, "0", 0),
        (2, "2", 0),
        (3, "0", 0),
    ]
    phone.ring(3, "5550000", account=2)
    assert (await api("api-get_line_status", line="3"))["body"][0]["acct"] == 1
    assert (await api("api-get_line_status", line="0"))["response"] == "error"


async def test_commands_and_accounts(api: Any, phone: SimulatedPhone) -> None:
    accounts = (await api("api-get_accounts"))["body"]
    assert [account["id"] for account in accounts] == [1, 2, 3]
    assert (await api("api-make_call", phonenumber="201", account="0"))["response"] == "success"
    assert phone.calls == ["201"]
    assert (await api("api-phone_operation", cmd="endcall", line="1"))["body"] == "true"
    assert (await api("api-get_phone_status"))["body"] == "available"


async def test_a_reboot_drops_the_connection(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str, phone: SimulatedPhone
) -> None:
    phone.timings.reboot = 0.05
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await post_json(
            http, server, "/cgi-bin/api-sys_operation", {"sid": sid}, sid=sid, request="REBOOT"
        )
    assert phone.rebooting


async def test_unknown_endpoint_is_not_found(
    http: aiohttp.ClientSession, server: SimulatorServer, sid: str
) -> None:
    status, _ = await status_of(
        http, f"{server.url}/cgi-bin/api-nothing", headers=page_headers(server)
    )
    assert status == 404


# Older GXP16xx firmware -----------------------------------------------------------------------
async def test_plain_login_has_no_access_and_reads_values_with_dots(
    server: SimulatorServer, phone: SimulatedPhone
) -> None:
    phone.plain_login = True
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        status, _ = await status_of(
            http,
            f"{server.url}/cgi-bin/access",
            data={"access": ADMIN_HASH},
            headers=page_headers(server),
        )
        assert status == 404
        answer = await post_json(
            http, server, "/cgi-bin/dologin", username="admin", password="admin"
        )
        assert answer == {"response": "success", "body": {"role": "admin"}}
        values = await post_json(http, server, "/cgi-bin/api.values.get", request="68:mac")
        assert values["body"] == {"68": phone.firmware, "mac": phone.mac}
        for path in ("/cgi-bin/config_get", "/cgi-bin/config_update"):
            status, _ = await status_of(http, f"{server.url}{path}", headers=page_headers(server))
            assert status == 404
