"""How a failed request or a crash is named in the failures file (extensions.py): a short
reason (``http_404``, ``truncated_html``, the exception's class) and a one-line detail."""

from __future__ import annotations

from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from .middlewares import TruncatedPage


def failure_reason(failure: Failure) -> tuple[str, str]:
    """``(reason, detail)`` of a failure."""
    if isinstance(failure.value, HttpError):
        status = failure.value.response.status
        return f"http_{status}", f"HTTP {status}"
    if isinstance(failure.value, TruncatedPage):
        return "truncated_html", str(failure.value)
    return failure.type.__name__ if failure.type else "error", failure.getErrorMessage()
