"""Pause Python's cyclic garbage collector around one PDF render or repair."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block, restored as it was (also on an error).

    WeasyPrint's layout and pdfua's repair allocate some hundred thousand small objects for a
    15-page report, which start collections that walk every object of the process, and they
    make few cycles: measured 10–20 % of each stage (bench/bench_reports.py), for about 12 MB
    more peak memory on the delårsrapport. Whatever cycles remain are collected afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
