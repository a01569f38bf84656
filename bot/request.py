"""Bot API requests with a JSON body, through PTB's documented request interface.

PTB's own `HTTPXRequest` sends every call as a form (`application/x-www-form-urlencoded`),
and the standard library percent-encodes a form one byte at a time in Python: for a question
redrawn in place (its transcript lines above it and six buttons, 1-2 KB) that was the
costliest single step of a tap in the bot's profile (`bench/answers.py --profile-bot`), and
it doubles the bytes sent. The Bot API takes a JSON body as well; `json.dumps` is C. Calls
that upload files (a report, /mydata) go as multipart through PTB's own class, unchanged.

Subclassing `telegram.request.BaseRequest` is PTB's way to bring one's own networking
("Subclass BaseRequest to implement ... a custom networking backend"); nothing of PTB's own
is changed. The defaults are PTB's: timeouts of 5 s (pool 1 s, uploads 20 s), 256
connections for calls, one for the long poll.
"""

from __future__ import annotations

import json

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

_JSON = {"User-Agent": BaseRequest.USER_AGENT, "Content-Type": "application/json"}
_PLAIN = {"User-Agent": BaseRequest.USER_AGENT}


class JsonRequest(BaseRequest):
    """Sends a call's parameters as one JSON object; uploads go through PTB's `HTTPXRequest`."""

    def __init__(self, connection_pool_size: int = 256, *, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0) -> None:
        self._timeout = httpx.Timeout(connect=connect_timeout, read=read_timeout,
                                      write=write_timeout, pool=pool_timeout)
        self._limits = httpx.Limits(max_connections=connection_pool_size)
        self._client = self._build_client()
        self._uploads = HTTPXRequest(connection_pool_size=1, read_timeout=read_timeout,
                                     write_timeout=write_timeout,
                                     connect_timeout=connect_timeout,
                                     pool_timeout=pool_timeout)

    def _build_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeout, limits=self._limits)

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout, in seconds."""
        return self._timeout.read

    async def initialize(self) -> None:
        """Open the connection pools (again, after a shutdown)."""
        if self._client.is_closed:
            self._client = self._build_client()
        await self._uploads.initialize()

    async def shutdown(self) -> None:
        """Close the connection pools."""
        if not self._client.is_closed:
            await self._client.aclose()
        await self._uploads.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One call: its parameters as a JSON object (files: PTB's multipart form)."""
        if request_data is not None and request_data.contains_files:
            return await self._uploads.do_request(
                url, method, request_data, read_timeout, write_timeout,  # type: ignore[arg-type]
                connect_timeout, pool_timeout)  # type: ignore[arg-type]
        if self._client.is_closed:
            raise RuntimeError("This JsonRequest is not initialized!")
        default = self._timeout
        timeout = httpx.Timeout(
            connect=_given(connect_timeout, default.connect),
            read=_given(read_timeout, default.read),
            write=_given(write_timeout, default.write),
            pool=_given(pool_timeout, default.pool))
        parameters = request_data.parameters if request_data is not None else None
        try:
            if parameters:
                body = json.dumps(parameters, ensure_ascii=False).encode()
                res = await self._client.request(method, url, content=body, headers=_JSON,
                                                 timeout=timeout)
            else:
                res = await self._client.request(method, url, headers=_PLAIN, timeout=timeout)
        except httpx.TimeoutException as err:
            if isinstance(err, httpx.PoolTimeout):
                raise TimedOut("Pool timeout: every connection in the pool is busy; the "
                               "request was not sent.") from err
            raise TimedOut from err
        except httpx.HTTPError as err:
            raise NetworkError(f"httpx.{err.__class__.__name__}: {err}") from err
        return res.status_code, res.content


def _given(value: object, default: float | None) -> float | None:
    """A timeout the caller gave (seconds, or None for none), else the default: PTB marks
    "not given" with its DEFAULT_NONE object."""
    if value is None or isinstance(value, int | float):
        return value
    return default
