"""Ending a connection without an answer, as a phone that is going away does."""

import asyncio
from typing import NoReturn

from aiohttp import web


def drop(request: web.Request) -> NoReturn:
    """Close the connection without a word, as a phone that is going away does."""
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError  # nothing may be written now; aiohttp ends the handler quietly
