"""The ASGI app: GraphQL (GraphiQL on GET) at /graphql, /healthz and /metrics."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from cross_web import HTTPException
from prometheus_client import Counter, Histogram
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry import relay
from strawberry.asgi import GraphQL

from api.body import decode_body
from api.context import Context
from api.edge import edge_middleware, internal_failure, metrics_endpoint, request_error
from api.ids import database_key
from api.loaders import Loaders
from api.schema import build_schema
from domain.core.db import create_engine, session_factory
from domain.core.models import Company
from domain.core.settings import Settings, get_settings
from domain.wiring import load_handlers

REQUESTS = Counter("erp_graphql_requests_total", "GraphQL HTTP requests.", ["status"])
LATENCY = Histogram("erp_graphql_request_seconds", "GraphQL HTTP request latency.")
COMPANY_HEADER = "x-company-id"


class ErpGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI handler with our request context."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sessions = sessions

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        loaders = Loaders()
        context = Context(
            request=request if isinstance(request, Request) else None,
            sessions=self.sessions,
            company_id=0,
            loaders=loaders,
        )
        loaders.context = context
        async with self.sessions() as session:
            context.company_id = await _company_of(session, request.headers.get(COMPANY_HEADER))
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


async def _company_of(session: AsyncSession, header: str | None) -> int:
    """The company named by the header (a Company ID), else the first company."""
    query = select(Company.id).order_by(Company.id).limit(1)
    if header:
        try:
            gid = relay.GlobalID.from_id(header)
            if gid.type_name != "Company":
                return 0
            query = select(Company.id).where(Company.id == database_key(gid.node_id))
        except ValueError:
            return 0
    return await session.scalar(query) or 0


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> Starlette:
    settings = settings or get_settings()
    load_handlers()
    engine = engine or create_engine(settings.database_url, echo=settings.sql_echo)
    sessions = session_factory(engine)
    graphql = ErpGraphQL(sessions, schema=build_schema(settings), graphql_ide="graphiql")

    async def healthz(_request: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    async def root(_request: Request) -> Response:
        return RedirectResponse("/graphql")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    return Starlette(
        routes=[
            Route("/", root),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/metrics", metrics_endpoint(settings.metrics_token)),
        ],
        middleware=edge_middleware(settings),
        exception_handlers={Exception: internal_failure},
        lifespan=lifespan,
    )
