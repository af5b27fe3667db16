"""Throughput and latency measurements, run with `make bench`."""
