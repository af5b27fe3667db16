"""The Dramatiq broker: Redis when `REDIS_URL` is set, else an in-process stub broker.

Importing this module sets the global broker, so import it before declaring actors.
"""

from __future__ import annotations

import dramatiq
import redis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from domain.core.settings import get_settings

#: Seconds one call to Redis may take, connecting or answering: a hung broker costs a sender
#: (the API's post-commit relay notification) this long at most, never a request.
REDIS_TIMEOUT = 2.0


def _make_broker() -> dramatiq.Broker:
    url = get_settings().redis_url
    if url:
        client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )
        return RedisBroker(client=client)
    return StubBroker()


broker = _make_broker()
dramatiq.set_broker(broker)
