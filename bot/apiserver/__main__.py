"""Run the local Bot API server in its own process, for benchmarks and the demo.

    python -m bot.apiserver --port 8081 --token 123:ABC --limit 30 [--any-chat]

On start it prints one JSON line ``{"url", "base_url", "base_file_url", "token", "port"}``
to stdout (useful with ``--port 0``), then serves until interrupted. Point the bot at
``base_url``; drive simulated partners and read counts through the ``/_control/`` API
described in ``bot.apiserver.control`` (e.g. ``POST /_control/users/1001/text`` with
``{"text": "hi"}``, ``GET /_control/stats``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bot.apiserver.server import DEFAULT_TOKEN, BotApiServer


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.apiserver",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="bot token to accept")
    parser.add_argument("--username", default="partnerpulse_bot", help="the bot's username")
    parser.add_argument(
        "--limit", type=int, default=30, help="global sends per second before 429 (0: no limit)"
    )
    parser.add_argument(
        "--any-chat", action="store_true", help="accept sends to chats no simulated partner opened"
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    """Start the server, announce its URLs, and serve until cancelled."""
    server = BotApiServer(
        args.host,
        args.port,
        send_limit_per_second=args.limit or None,
        accept_unknown_chats=args.any_chat,
    )
    server.add_bot(args.token, username=args.username)
    await server.start()
    announcement = {
        "url": server.url,
        "base_url": server.base_url,
        "base_file_url": server.base_file_url,
        "token": args.token,
        "port": server.port,
    }
    print(json.dumps(announcement), flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bot.apiserver``."""
    try:
        asyncio.run(serve(parse_args(argv)))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
