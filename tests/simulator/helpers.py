"""Small helpers shared by the simulator tests."""

import hashlib
import json
from typing import Any

import aiohttp

from simulator import SimulatorServer


async def get_json(http: aiohttp.ClientSession, url: str, **params: str) -> Any:
    """GET and parse JSON whatever the Content-Type says (Grandstream says text/plain)."""
    async with http.get(url, params=params or None) as response:
        return json.loads(await response.text())


async def webapi_login(
    http: aiohttp.ClientSession,
    server: SimulatorServer,
    username: str = "gmiadmin",
    password: str = "admin",  # noqa: S107 - the factory password
) -> dict[str, Any]:
    """Log in to the Web API: a random from loginrealm, then MD5(user.random.password)."""
    async with http.get(f"{server.url}/cgi-bin/loginrealm") as response:
        random = await response.text()
    secret = hashlib.md5(f"{username}.{random}.{password}".encode()).hexdigest()  # noqa: S324
    return await get_json(http, f"{server.url}/cgi-bin/login", Username=username, Secret=secret)


async def post_xml(
    http: aiohttp.ClientSession, server: SimulatorServer, body: str, **kwargs: Any
) -> str:
    """POST a Fanvil XML request and return the answer's text."""
    async with http.post(f"{server.url}/xmlService", data=body.encode(), **kwargs) as response:
        return await response.text()


def page_headers(server: SimulatorServer) -> dict[str, str]:
    """Return the headers of the web interface's requests (the phone answers 403 without)."""
    return {"X-Requested-With": "XMLHttpRequest", "Referer": f"{server.url}/"}


async def post_json(
    http: aiohttp.ClientSession,
    server: SimulatorServer,
    path: str,
    cookies: dict[str, str] | None = None,
    **data: str,
) -> Any:
    """POST a form as the web interface does and parse the JSON answer."""
    headers = page_headers(server)
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    async with http.post(f"{server.url}{path}", data=data, headers=headers) as response:
        return json.loads(await response.text())


async def forms_login(
    http: aiohttp.ClientSession,
    server: SimulatorServer,
    username: str = "admin",
    password: str = "admin",  # noqa: S107 - the factory password
) -> dict[str, Any]:
    """Log in as the web interface: a nonce for sha256(user), then sha256(password + nonce)."""
    user_hash = hashlib.sha256(username.encode()).hexdigest()
    nonce = (await post_json(http, server, "/cgi-bin/access", access=user_hash))["body"]
    hashed = hashlib.sha256(f"{password}{nonce}".encode()).hexdigest()
    return await post_json(http, server, "/cgi-bin/dologin", username=username, password=hashed)
