"""werkzeug's URL rules with their URL builders compiled on first use, for the test processes.

werkzeug compiles two Python functions per rule (``url_for``'s builders) as the rule is added:
about half of ``create_app``'s time, and the suite makes an app for nearly every test, which then
builds a handful of URLs at most. Here each builder is compiled the first time it is called,
by werkzeug's own code: the URLs built, and the matching of requests (which never uses the
builders), are the same.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    def _compile_builder(self, append_unknown: bool = True):
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_on_first_use(rule: Rule, *args: Any, **kwargs: Any):
            builder = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, attribute, builder)  # the calls after this one go straight to it
            return builder(*args, **kwargs)

        return build_on_first_use


def install() -> None:
    """Every Flask app made from now on in this process uses LazyBuilderRule."""
    Flask.url_rule_class = LazyBuilderRule
