"""Request limits of storefront traffic: per storefront token and per client address.

`RateLimiter.hit(key)` counts a request in the current fixed window and says whether it is
allowed; `redis_limiter` counts in Redis (shared by every API process) when `REDIS_URL` is
set, `MemoryLimiter` in the process otherwise. `StorefrontLimits` is the ASGI wrapper of
the GraphQL endpoint: a request carrying a storefront token over either limit gets HTTP 429
with a RATE_LIMITED error and `Retry-After`, before anything runs. Back-office requests
are not counted here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from starlette.types import ASGIApp, Receive, Scope, Send

from domain.storefront.services import TOKEN_PREFIX


@dataclass(frozen=True)
class Verdict:
    """Whether a request may go on, and if not, in how many seconds it may."""

    allowed: bool
    retry_after: int = 0


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window: int) -> Verdict:
        """Count one request of `key`; at most `limit` per `window` seconds."""
        ...


class MemoryLimiter:
    """Fixed windows counted in this process (the embedded default)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.counts: dict[tuple[str, int], int] = {}

    async def hit(self, key: str, limit: int, window: int) -> Verdict:
        now = self.clock()
        slot = int(now // window)
        if len(self.counts) > 100_000:
            self.counts = {k: v for k, v in self.counts.items() if k[1] == slot}
        count = self.counts.get((key, slot), 0) + 1
        self.counts[(key, slot)] = count
        return _verdict(count, limit, window, now)


class RedisLimiter:
    """Fixed windows counted in Redis, shared by every API process."""

    def __init__(self, url: str, clock: Callable[[], float] = time.time) -> None:
        from redis.asyncio import Redis

        self.redis = Redis.from_url(url)
        self.clock = clock

    async def hit(self, key: str, limit: int, window: int) -> Verdict:
        now = self.clock()
        name = f"storefront-limit:{key}:{int(now // window)}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window + 1)
            count, _ = await pipe.execute()
        return _verdict(int(count), limit, window, now)


def _verdict(count: int, limit: int, window: int, now: float) -> Verdict:
    if count <= limit:
        return Verdict(True)
    return Verdict(False, max(1, int(window - now % window)))


def rate_limiter(redis_url: str | None) -> RateLimiter:
    """Redis when the deployment has one, else this process's memory."""
    return RedisLimiter(redis_url) if redis_url else MemoryLimiter()


@dataclass(frozen=True)
class Limits:
    """Requests allowed per window of `window` seconds."""

    per_token: int
    per_address: int
    window: int = 60


class StorefrontLimits:
    """Refuses storefront requests over their token's or their address's limit."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, limits: Limits) -> None:
        self.app = app
        self.limiter = limiter
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _storefront_token(scope)
        if token is not None:
            client = scope.get("client")
            address = client[0] if client else "unknown"
            for key, limit in (
                (f"token:{token}", self.limits.per_token),
                (f"address:{address}", self.limits.per_address),
            ):
                verdict = await self.limiter.hit(key, limit, self.limits.window)
                if not verdict.allowed:
                    await _refuse(send, verdict.retry_after)
                    return
        await self.app(scope, receive, send)


def _storefront_token(scope: Scope) -> str | None:
    if scope["type"] != "http":
        return None
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            token = value.decode("latin-1").partition(" ")[2].strip()
            return token if token.startswith(TOKEN_PREFIX) else None
    return None


async def _refuse(send: Send, retry_after: int) -> None:
    body = json.dumps(
        {
            "data": None,
            "errors": [
                {
                    "message": f"Too many requests; retry in {retry_after} s.",
                    "extensions": {"code": "RATE_LIMITED", "retryAfter": retry_after},
                }
            ],
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", str(retry_after).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
