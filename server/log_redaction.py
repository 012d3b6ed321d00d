"""Secrets out of access logs: a webhook secret a sender put in the URL anyway (``?secret=``, the
old ``/webhooks/cartoncloud/<secret>`` form) is redacted from werkzeug's and gunicorn's request
lines. labelbridge takes the secret in a header only; this covers a misconfigured sender, whose
request is refused but still logged."""

from __future__ import annotations

import logging
import re

ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")
_SECRET_IN_QUERY = re.compile(r"([?&](?:secret|token)=)[^&\s\"']+", re.IGNORECASE)
_SECRET_IN_PATH = re.compile(r"(/webhooks/cartoncloud/)[^\s?\"']+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _SECRET_IN_PATH.sub(rf"\g<1>{REDACTED}", _SECRET_IN_QUERY.sub(rf"\g<1>{REDACTED}", text))


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactSecrets()


def install() -> None:
    """Add the filter to the access loggers (once, however many apps a process makes)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
