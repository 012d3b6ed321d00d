"""The API's contract: the OpenAPI document built from the views' schemas (``spec``), its docs
page (``server/api/docs.py``), and the JSON Schemas shared with the extension (``export``)."""

from .operations import Binary, operation

__all__ = ["Binary", "operation"]
