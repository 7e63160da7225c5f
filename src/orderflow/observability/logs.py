"""Log lines as text or as JSON, each with the order it is about.

``configure_logging`` is called once by each process's composition root.
``about_order`` marks the lines logged while one order is handled: every
record then carries ``order_id`` and ``trace_id`` (``OrderContext`` puts them
on it), and in JSON mode they are fields of the line.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from contextvars import ContextVar, Token
from typing import Any, Literal, TextIO

from orderflow.observability.access_log import enable_access_log

TEXT_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"

# The loggers that log every request at INFO (the registry client, the health probes).
_CHATTY = ("httpx", "httpx2")
# How configure_logging finds the handler it installed on an earlier call.
_HANDLER_NAME = "orderflow"

order_id: ContextVar[str | None] = ContextVar("order_id", default=None)
trace_id: ContextVar[str | None] = ContextVar("trace_id", default=None)


# Named like a function (as contextlib's ``suppress`` is): ``with about_order(event.order_id):``.
class about_order:
    """Within it, every line logged in this context is about ``order_id`` (and ``trace_id``).

    A class with slots rather than ``@contextmanager``: the consumer enters one
    per event, and this costs one small object and the two contextvar tokens,
    not a generator and its frame.
    """

    __slots__ = ("_order", "_order_token", "_trace", "_trace_token")
    _order_token: Token[str | None]
    _trace_token: Token[str | None]

    def __init__(self, order_id: str, trace_id: str | None = None) -> None:
        self._order = order_id
        self._trace = trace_id

    def __enter__(self) -> None:
        self._order_token = order_id.set(self._order)
        self._trace_token = trace_id.set(self._trace)

    def __exit__(self, *exc: object) -> None:
        trace_id.reset(self._trace_token)
        order_id.reset(self._order_token)


class OrderContext(logging.Filter):
    """Puts the context's order and trace ids on each record, unless it has its own (``extra=``)."""

    def filter(self, record: logging.LogRecord) -> Literal[True]:
        fields = record.__dict__
        if "order_id" not in fields:
            fields["order_id"] = order_id.get()
        if "trace_id" not in fields:
            fields["trace_id"] = trace_id.get()
        return True


# What every record has: anything else on one came from ``extra=``.
_RECORD_FIELDS = frozenset(logging.makeLogRecord({}).__dict__) | {
    "message",
    "asctime",
    "order_id",
    "trace_id",
    # uvicorn's own formatter's coloured copy of the message.
    "color_message",
}
_LINE_FIELDS = frozenset({"ts", "level", "logger", "message", "service", "exc", "stack"})


class JsonLines(logging.Formatter):
    """One JSON object per record: ts, level, logger, message, service, the ids, extras, exc."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        fields = record.__dict__
        seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        line: dict[str, Any] = {
            "ts": f"{seconds}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "service": self._service,
        }
        # Read here too, not only by OrderContext, for handlers installed without it.
        order = fields["order_id"] if "order_id" in fields else order_id.get()
        if order is not None:
            line["order_id"] = order
        trace = fields["trace_id"] if "trace_id" in fields else trace_id.get()
        if trace is not None:
            line["trace_id"] = trace
        extras = {
            key: value
            for key, value in fields.items()
            if key not in _RECORD_FIELDS and key not in _LINE_FIELDS and not key.startswith("_")
        }
        line.update(extras)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        try:
            return json.dumps(line, allow_nan=False)
        except (TypeError, ValueError):
            # An extra that JSON cannot hold is left out rather than losing the line.
            for key, value in extras.items():
                if not _serialisable(value):
                    del line[key]
            return json.dumps(line, allow_nan=False)


def _serialisable(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def configure_logging(
    service: str, log_format: str, *, access_log: bool = False, stream: TextIO | None = None
) -> None:
    """Send the root logger's INFO and above to ``stream`` (stderr), as text or JSON lines.

    ``log_format`` is ``settings.log_format``: "text" or "json"; ``access_log``
    adds a line per HTTP request (observability/access_log.py). Calling it
    again replaces the handler the first call installed; other handlers stay.
    """
    if log_format not in ("text", "json"):
        raise ValueError(f"log format {log_format!r} is neither 'text' nor 'json'")
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(OrderContext())
    handler.setFormatter(
        JsonLines(service) if log_format == "json" else logging.Formatter(TEXT_FORMAT)
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for chatty in _CHATTY:
        logging.getLogger(chatty).setLevel(logging.WARNING)
    enable_access_log(access_log)
