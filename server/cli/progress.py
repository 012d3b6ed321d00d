"""click's progress bar, one bar per stage of a sync pass that knows its size (the sync's
``Progress``)."""

from __future__ import annotations

import sys
from contextlib import ExitStack

import click


class StageProgressBar:
    """Starting a stage finishes the bar of the one before; ``finish`` may be called any number
    of times."""

    def __init__(self) -> None:
        self._bar = None
        self._open = ExitStack()

    def start(self, label: str, total: int) -> None:
        self.finish()
        self._bar = self._open.enter_context(click.progressbar(length=total, label=label, file=sys.stderr))

    def advance(self, count: int) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def finish(self) -> None:
        self._open.close()
        self._bar = None
