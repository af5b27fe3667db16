"""What `erp worker` hands to Dramatiq's worker processes: `dramatiq jobs.worker:setup`."""

from __future__ import annotations


def setup() -> None:
    """Run in each worker process before it consumes: the process's logging, then the actors.

    Dramatiq is started with `--skip-logging`, so its records, like ours, go through the one
    structured configuration.
    """
    import jobs.actors  # noqa: F401  (declares the actors on the broker)
    from domain.core.logs import configure_logging
    from domain.core.settings import get_settings

    configure_logging(get_settings())
