"""A local server speaking the Telegram Bot API, for tests, the demo and benchmarks.

python-telegram-bot talks to it with its real HTTP stack::

    async with BotApiServer() as server:
        server.add_bot(TOKEN, username="partnerpulse_bot")
        app = (
            Application.builder().token(TOKEN)
            .base_url(server.base_url).base_file_url(server.base_file_url).build()
        )
        asha = server.user(1001, first_name="Asha", username="asha")
        await asha.send_command("/start", "invite-token")
        reply = await asha.next_reply()

Modules: ``server`` (aiohttp app and the test handle), ``methods`` (Bot API methods),
``params`` (decoding and checking parameters), ``state`` (per-bot queue, messages,
transcript), ``partner`` (simulated partners),
``faults`` (faults on demand, the global send limit), ``objects`` (Telegram JSON),
``records`` (dataclasses read by tests), ``control`` (the ``/_control/`` JSON API).
"""

from bot.apiserver.faults import Fault, FaultPlan
from bot.apiserver.partner import SimulatedPartner
from bot.apiserver.records import ApiError, BotMessage, TranscriptEvent, UploadedFile
from bot.apiserver.server import DEFAULT_TOKEN, BotApiServer
from bot.apiserver.state import BotAccount

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "BotAccount",
    "BotApiServer",
    "BotMessage",
    "Fault",
    "FaultPlan",
    "SimulatedPartner",
    "TranscriptEvent",
    "UploadedFile",
]
