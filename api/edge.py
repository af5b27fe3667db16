"""The HTTP edge, in front of every route: what a request may be before the app sees it.

Each request gets a reference (`X-Request-Id`), answers carry security headers, bodies over
the size limit are refused (413) before they are parsed, each client has a rate limit (429
with `Retry-After`), and a failure that escapes the app becomes a generic GraphQL-shaped
error with the reference, its traceback logged once. Every refusal is GraphQL-shaped.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
import uuid
from typing import Any

import structlog
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import REQUEST_ID, internal_error
from domain.core.settings import Settings

log = structlog.get_logger(__name__)

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
#: Paths outside the rate limit: probes and scrapers call them on a schedule of their own.
UNLIMITED_PATHS = ("/healthz", "/metrics")
#: How long the limiter keeps counting in memory after the Redis it counts in failed.
REDIS_RETRY_AFTER = 30.0
#: How long one call to the limiter's Redis may take, in seconds.
REDIS_TIMEOUT = 0.5


def request_error(
    status: int, message: str, code: str, headers: dict[str, str] | None = None, **extensions: Any
) -> JSONResponse:
    """A refusal shaped as a GraphQL answer: `{"errors": [{message, extensions: {code}}]}`."""
    error = {"message": message, "extensions": {"code": code, **extensions}}
    return JSONResponse({"errors": [error]}, status_code=status, headers=headers)


def client_key(scope: Scope) -> str:
    """Who is asking: the client's address and, when it sends one, a hash of its
    `Authorization` header, so each token has a limit of its own."""
    client = scope.get("client")
    key = client[0] if client else "unknown"
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            key += ":" + hashlib.sha256(value).hexdigest()[:32]
    return key


class RateLimiter:
    """Fixed-window counts per client: in Redis when it is configured, so every process
    shares them, else in memory. While Redis fails, counts go on in memory."""

    def __init__(self, limit: str, redis_url: str | None) -> None:
        self.item: RateLimitItem = parse(limit)
        self.memory = FixedWindowRateLimiter(MemoryStorage())
        self.shared = self.memory
        if redis_url:
            storage: Storage = RedisStorage(
                f"async+{redis_url}",
                implementation="redispy",
                wrap_exceptions=True,
                socket_timeout=REDIS_TIMEOUT,
                socket_connect_timeout=REDIS_TIMEOUT,
            )
            self.shared = FixedWindowRateLimiter(storage)
        self._redis_failed_at = -math.inf

    async def retry_after(self, key: str) -> int | None:
        """Count a request of `key`: None if it may go on, else the seconds to wait."""
        limiter = self.shared
        if time.monotonic() - self._redis_failed_at < REDIS_RETRY_AFTER:
            limiter = self.memory
        try:
            if await limiter.hit(self.item, key):
                return None
            stats = await limiter.get_window_stats(self.item, key)
        except StorageError as error:
            log.warning("rate_limit.redis_failed", error=str(error))
            self._redis_failed_at = time.monotonic()
            return await self.retry_after(key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def describe(self) -> str:
        unit = self.item.GRANULARITY.name
        return (
            f"{self.item.amount} per {self.item.multiples} {unit}{'s' * (self.item.multiples > 1)}"
        )


#: What a caller's own `X-Request-Id` may be to be kept (a proxy's, a client's trace id).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def _given_request_id(scope: Scope) -> str | None:
    """The caller's `X-Request-Id`, when it is short and plain enough to log and echo."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _REQUEST_ID.fullmatch(text) else None
    return None


class Edge:
    """Pure ASGI middleware: request reference, security headers, body size, rate limit,
    and the last word on failures."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, limiter: RateLimiter | None) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _given_request_id(scope) or uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                headers += [*SECURITY_HEADERS, (b"x-request-id", request_id.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            refusal = await self._refusal(scope)
            if refusal is None:
                body = await self._read_body(scope, receive)
                if isinstance(body, Response):
                    refusal = body
                else:
                    receive = _replay(body, receive)
            if refusal is not None:
                await refusal(scope, receive, send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette has answered with `internal_failure` already, unless the failure
            # came after the answer started; either way it ends here, logged once.
            log.exception("http.failed", request_id=request_id, path=scope.get("path"))
            if not started:
                await internal_failure()(scope, receive, send_with_headers)
        finally:
            REQUEST_ID.reset(token)

    async def _refusal(self, scope: Scope) -> Response | None:
        """A refusal from the headers alone: a declared body too large, too many requests."""
        for name, value in scope.get("headers", ()):
            # The server refuses a malformed length itself; the body is counted as it comes.
            if name == b"content-length" and value.isdigit() and int(value) > self.max_body_bytes:
                return self._too_large()
        if self.limiter is None or scope.get("path", "").startswith(UNLIMITED_PATHS):
            return None
        wait = await self.limiter.retry_after(client_key(scope))
        if wait is None:
            return None
        return request_error(
            429,
            f"Too many requests: at most {self.limiter.describe()}; retry in {wait} s.",
            "RATE_LIMITED",
            headers={"Retry-After": str(wait)},
            retryAfter=wait,
        )

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | Response:
        """The whole body, or a 413 as soon as it grows past the limit."""
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return b""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _too_large(self) -> Response:
        return request_error(
            413,
            f"The request body is over the limit of {self.max_body_bytes} bytes.",
            "BODY_TOO_LARGE",
            limit=self.max_body_bytes,
        )


def internal_failure(*_args: Any) -> Response:
    """The answer to a failure of ours (also Starlette's handler for any exception)."""
    return JSONResponse({"errors": [internal_error()]}, status_code=500)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then waits as the server does."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def edge_middleware(settings: Settings) -> list[Middleware]:
    """The middleware stack in front of the routes, outermost first."""
    limiter = RateLimiter(settings.rate_limit, settings.redis_url) if settings.rate_limit else None
    stack = [Middleware(Edge, max_body_bytes=settings.max_body_bytes, limiter=limiter)]
    if settings.cors_origins:
        stack.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_origins,
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "X-Company-Id"],
                expose_headers=["Retry-After", "X-Request-Id"],
                max_age=600,
            )
        )
    return stack


def metrics_endpoint(token: str | None) -> Any:
    """/metrics in Prometheus' text format; behind `Authorization: Bearer <token>` if set."""
    expected = f"Bearer {token}".encode() if token else None

    async def metrics(request: Request) -> Response:
        given = request.headers.get("authorization", "").encode()
        if expected is not None and not hmac.compare_digest(given, expected):
            return request_error(
                401, "/metrics needs `Authorization: Bearer <token>`.", "UNAUTHENTICATED"
            )
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return metrics
