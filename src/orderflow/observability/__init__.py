"""Seeing the system: metrics, health and readiness, traces and structured logs."""
