"""Dramatiq actors and the scheduler: work that runs outside the request."""
