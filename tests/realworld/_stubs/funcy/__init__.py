"""Stand-in for funcy: the two sequence helpers the revisions use."""

from collections.abc import Iterable
from typing import Any


def flatten(seq: Iterable[Any]) -> Iterable[Any]:
    for item in seq:
        if isinstance(item, (list, tuple, set)):
            yield from flatten(item)
        else:
            yield item


def compact(seq: Iterable[Any]) -> list[Any]:
    return [item for item in seq if item]
