"""``orderflow bench``: load the running system over HTTP and report what it did.

The load generator places orders (open loop at a target rate, or closed loop
with a fixed number of callers), follows each one to its terminal status with
one batched Postgres query per tick, samples every component's CPU and memory
from the OS, and writes a report folder: ``report.json``, ``summary.md`` and
``latency.png``.
"""
