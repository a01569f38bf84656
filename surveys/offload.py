"""Work too slow for the event loop, in a thread that stopping never waits for.

`asyncio.to_thread` runs on the loop's default executor, whose threads are joined when
`asyncio.run` ends and again at interpreter exit: a model busy with a batch would hold a
stopping bot for as long as the batch takes. `in_daemon_thread` gives the work a daemon
thread of its own instead; a caller that is cancelled stops waiting at once, the result is
dropped, and the unfinished work is simply done again next time (nothing was stored).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def in_daemon_thread(work: Callable[..., T], *args: object) -> T:
    """`work(*args)` in a daemon thread; its result (or error) once it is done."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: BaseException | None) -> None:
        if done.done():  # the waiter was cancelled: nobody wants the result any more
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        result: T | None = None
        error: BaseException | None = None
        try:
            result = work(*args)
        except BaseException as exc:  # handed to the waiter, raised there
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop has closed: the bot has stopped
            loop.call_soon_threadsafe(settle, result, error)

    name = getattr(work, "__qualname__", "work")
    threading.Thread(target=run, name=f"offload:{name}", daemon=True).start()
    return await done
