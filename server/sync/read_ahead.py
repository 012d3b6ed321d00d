"""Reading the next page while this one is processed: CartonCloud's pages are read (no rate
limit) while Starshipit's imports wait on theirs, instead of one after the other."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """``items``, produced up to ``depth`` ahead in a thread; an error there is raised here."""
    ready: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if not _put(ready, item, stop):
                    return
        except BaseException as error:  # handed to the consumer, raised in its thread
            _put(ready, _Failed(error), stop)
        else:
            _put(ready, _END, stop)

    thread = threading.Thread(target=produce, name="read-ahead", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()  # the consumer stopped early (or failed): the producer gives up
        thread.join()


def _put(ready: queue.Queue, item: object, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            ready.put(item, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False
