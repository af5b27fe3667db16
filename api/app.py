"""The ASGI app: GraphQL (GraphiQL on GET) at /graphql, /healthz, /readyz, /metrics, and the
example storefront page at /storefront/.

/healthz says the process answers (liveness); /readyz says it can serve: the database is
reachable and its schema is at the code's latest migration (readiness).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import structlog
from cross_web import HTTPException
from prometheus_client import Counter, Histogram
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from api import graphiql
from api.authentication import authenticate
from api.body import decode_body
from api.context import Context
from api.edge import edge_middleware, internal_failure, metrics_endpoint, request_error
from api.errors import REQUEST_ID
from api.loaders import Loaders
from api.schema import build_schema
from api.storefront.limits import Limits, StorefrontLimits, rate_limiter
from domain.core.db import create_engine, session_factory
from domain.core.migrations import schema_state
from domain.core.settings import Settings, get_settings
from domain.wiring import load_handlers

REQUESTS = Counter("erp_graphql_requests_total", "GraphQL HTTP requests.", ["status"])
LATENCY = Histogram("erp_graphql_request_seconds", "GraphQL HTTP request latency.")
log = structlog.get_logger(__name__)
#: The example storefront: a static page over the public API.
STOREFRONT_PAGE = Path(__file__).resolve().parent.parent / "examples" / "storefront"


class ErpGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI handler with our request context."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], secret_key: str, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.sessions = sessions
        self.secret_key = secret_key

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our GraphiQL page: local assets, example queries, a headers editor."""
        return HTMLResponse(graphiql.page())

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        loaders = Loaders()
        context = Context(
            request=request if isinstance(request, Request) else None,
            sessions=self.sessions,
            company_id=0,
            loaders=loaders,
            request_id=REQUEST_ID.get(),
            response=response,
        )
        loaders.context = context
        await authenticate(context, self.sessions, self.secret_key, request.headers)
        return context

    def decode_json(self, data: str | bytes) -> object:
        return decode_body(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_recording_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            request = Request(scope=scope, receive=receive)
            try:
                response = await self.run(request)
            except HTTPException as error:
                response = request_error(error.status_code, error.reason, "BAD_REQUEST")
            await response(scope, receive, send_recording_status)
        finally:
            LATENCY.observe(time.perf_counter() - started)
            REQUESTS.labels(status=str(status)).inc()


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    settings = settings or get_settings()
    load_handlers()
    engine = engine or create_engine(settings.database_url)
    sessions = session_factory(engine)
    graphql = ErpGraphQL(
        sessions, settings.secret_key, schema=build_schema(settings), graphql_ide="graphiql"
    )

    limited = StorefrontLimits(
        graphql,
        rate_limiter(settings.redis_url),
        Limits(settings.storefront_rate_per_token, settings.storefront_rate_per_address),
    )

    storefront_page = StaticFiles(directory=STOREFRONT_PAGE, html=True, check_dir=False)

    async def healthz(_request: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    async def readyz(_request: Request) -> Response:
        try:
            state = await schema_state(engine)
        except (SQLAlchemyError, OSError) as error:
            log.warning("readyz.database_unreachable", error=str(error))
            return JSONResponse({"status": "unavailable", "reason": "database unreachable"}, 503)
        if not state.at_head:
            return JSONResponse({"status": "unavailable", "reason": state.describe()}, 503)
        return JSONResponse({"status": "ready"})

    async def root(_request: Request) -> Response:
        return RedirectResponse("/graphql")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(
        routes=[
            Route("/", root),
            Route("/graphql", limited, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint(settings.metrics_token)),
            Mount(graphiql.ASSETS_PATH, StaticFiles(directory=graphiql.ASSETS)),
            Mount("/storefront", storefront_page),
        ],
        middleware=edge_middleware(settings),
        exception_handlers={Exception: internal_failure},
        lifespan=lifespan,
    )
