"""Micro-batching in front of the engine: questions that arrive together share one forward pass.

    batcher = Batcher(size=8, workers=2)
    answer = batcher.ask(engine, question, k, mode)   # blocks; raises what engine.ask raises

A request thread (one of Gradio's) puts its question on a queue and waits. Each worker thread
takes the first waiting question and every other one waiting then, up to `size`, and answers
them with `index.many.ask_many` (one model pass for the lot, then search and answer each);
it never waits for a batch to fill, so a lone question is answered at once and batches form
only when questions queue up. Workers start on the first question and stop after `IDLE`
seconds without one, so an app that is built and dropped (as tests do) leaves no thread.
Answers are those of `engine.ask`; a bad question fails alone.
Leaves out the server's queue limits (`app.web`) and the model (`index.embed`).
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field

IDLE = 5.0  # seconds a worker waits for a question before it stops


@dataclass
class Batcher:
    size: int = 8  # most questions in one forward pass
    workers: int = 2  # threads taking batches: one a core on this machine
    _todo: queue.Queue = field(default_factory=queue.Queue, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _running: int = field(default=0, repr=False)
    passes: int = 0  # forward passes made, and the questions they answered (for the benchmark)
    questions: int = 0

    def __post_init__(self) -> None:
        if self.size < 1 or self.workers < 1:
            raise ValueError(f"expected size and workers >= 1, got {self.size}, {self.workers}")

    def ask(self, engine, question: object, k: object = None, mode: object = None):
        """The Answer to `question` on `engine`, answered in a batch with its neighbours."""
        done: Future = Future()
        self._todo.put((engine, question, k, mode, done))
        self._start()
        return done.result()

    def _start(self) -> None:
        with self._lock:
            if self._running < self.workers:
                self._running += 1
                threading.Thread(target=self._work, name="footnoted-batcher",
                                 daemon=True).start()

    def _work(self) -> None:
        from index.many import ask_many

        while True:
            try:
                first = self._todo.get(timeout=IDLE)
            except queue.Empty:
                with self._lock:
                    if self._todo.empty():  # else a question came as the wait ended
                        self._running -= 1
                        return
                continue
            batch = [first]
            while len(batch) < self.size:
                try:
                    batch.append(self._todo.get_nowait())
                except queue.Empty:
                    break
            with self._lock:
                self.passes += 1
                self.questions += len(batch)
            try:
                results = ask_many([item[:4] for item in batch])
            except BaseException as e:  # noqa: BLE001 - no caller may wait forever
                results = [e] * len(batch)
            for item, result in zip(batch, results, strict=True):
                if isinstance(result, BaseException):
                    item[4].set_exception(result)
                else:
                    item[4].set_result(result)
