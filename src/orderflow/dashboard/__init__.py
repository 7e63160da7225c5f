"""The dashboard: a live page of the running pipeline (see docs/dashboard.md)."""
