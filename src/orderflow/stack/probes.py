"""Health probes shared by the components: is there an answer, and a good one."""

from __future__ import annotations

import httpx


def answers_ok(url: str) -> bool:
    """True if a GET on ``url`` answers 200 within two seconds."""
    try:
        answer = httpx.get(url, timeout=2)
    except httpx.HTTPError:
        return False
    return answer.status_code == 200
