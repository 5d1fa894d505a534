"""Keeps numpy's BLAS to one thread while the engine does its numpy work, and only then.

After a matrix product OpenBLAS leaves its idle threads spinning, and the model's next forward
pass shares the cores with them: on 2 cores warm `ask` took 31 ms once late interaction (an
8 x 5,528 x 384 product) came in, and 18 ms with one BLAS thread (12 of them the embedding
itself). The engine's numpy work is small, so one thread costs it nothing. The limit is
scoped (threadpoolctl's context manager, about 0.02 ms a use with a cached controller), so
importing or using the library leaves the host program's thread settings as they were.
Leaves out torch's own threads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache


@lru_cache(maxsize=1)
def _controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    with _controller().limit(limits=1, user_api="blas"):
        yield
