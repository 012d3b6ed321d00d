"""The API's blueprint, under /api/v1: flask-smorest's, with the strict request parser; every
request's path checked, then its token (and the role a route asks for). Each route's documentation is
completed as it is registered (``operations.complete``)."""

from __future__ import annotations

from flask import Blueprint as FlaskBlueprint
from flask_smorest import Blueprint

from .auth import protect
from .bodies import refuse_unusable_path
from .operations import complete
from .parser import parser

UNDOCUMENTED = "labelbridge_undocumented"


def undocumented(view):
    """A route of the API that is no operation of it (the document and its docs page)."""
    setattr(view, UNDOCUMENTED, True)
    return view


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = parser
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
        **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        "json_or_csv": "application/json",
    }

    def add_url_rule(self, rule, endpoint=None, view_func=None, provide_automatic_options=None, **options):
        if getattr(view_func, UNDOCUMENTED, False):
            options = {key: value for key, value in options.items() if key not in ("parameters", "tags")}
            return FlaskBlueprint.add_url_rule(self, rule, endpoint, view_func, provide_automatic_options, **options)
        (method,) = options["methods"]  # one method per view: each is one operation
        complete(view_func, f"{self.name}.{endpoint or view_func.__name__}", rule, method)
        return super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)


api = ApiBlueprint("api", __name__, url_prefix="/api/v1")
api.before_request(refuse_unusable_path)  # first: the refused-token audit would store the path
protect(api)
