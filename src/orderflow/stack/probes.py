"""Health probes shared by the components: is there an answer, and a good one."""

from __future__ import annotations

import httpx


def answers_ok(url: str, auth: tuple[str, str] | None = None, verify: str | bool = True) -> bool:
    """True if a GET on ``url`` answers 200 within two seconds."""
    try:
        answer = httpx.get(url, timeout=2, auth=auth, verify=verify)
    except httpx.HTTPError:
        return False
    return answer.status_code == 200
