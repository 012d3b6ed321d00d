"""Page slicing shared by both simulators (1-based pages, like both real APIs)."""

import math
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def page_of(items: Sequence[T], page: int, size: int) -> tuple[list[T], int]:
    """The items on `page` and the total number of pages (0 when there are no items)."""
    total_pages = math.ceil(len(items) / size)
    start = (page - 1) * size
    return list(items[start : start + size]), total_pages
