"""One module per phone API; each adds its routes to the phone's aiohttp application."""

from collections.abc import Callable

from aiohttp import web

from simulator.dialects import cti, fanvil, gmi, session, webapi
from simulator.enums import Dialect

ROUTES: dict[Dialect, Callable[[web.Application], None]] = {
    Dialect.GRANDSTREAM_WEBAPI: webapi.add_routes,
    Dialect.GRANDSTREAM_SESSION: session.add_routes,
    Dialect.GRANDSTREAM_GMI: gmi.add_routes,
    Dialect.GRANDSTREAM_CTI: cti.add_routes,
    Dialect.FANVIL: fanvil.add_routes,
}
