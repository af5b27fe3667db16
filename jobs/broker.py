"""The Dramatiq broker: Redis when `REDIS_URL` is set, else an in-process stub broker.

Importing this module sets the global broker, so import it before declaring actors.
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker

from domain.core.settings import get_settings


def _make_broker() -> dramatiq.Broker:
    url = get_settings().redis_url
    if url:
        return RedisBroker(url=url)
    return StubBroker()


broker = _make_broker()
dramatiq.set_broker(broker)
