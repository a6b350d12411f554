"""A local OpenAI-compatible server (chat completions and embeddings) for feature tests."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.wiring.assembly import Assembly


@dataclass
class FakeOpenAI:
    """Chat answers `reply`; each embedded text gets `embed(text)`. `failing` answers 500."""

    reply: str = ""
    embed: Callable[[str], list[float]] = lambda text: [1.0]
    requests: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)
    failing: bool = False

    def _record(self, request: web.Request, body: dict[str, Any]) -> web.Response | None:
        self.requests.append(body)
        self.authorizations.append(request.headers.get("Authorization", ""))
        if not self.failing:
            return None
        error = {"message": "overloaded", "type": "server_error"}
        return web.json_response({"error": error}, status=500)

    async def completions(self, request: web.Request) -> web.Response:
        body = await request.json()
        if failure := self._record(request, body):
            return failure
        choice = {
            "index": 0,
            "message": {"role": "assistant", "content": self.reply},
            "finish_reason": "stop",
        }
        usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        return web.json_response(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [choice],
                "usage": usage,
            }
        )

    async def embeddings(self, request: web.Request) -> web.Response:
        body = await request.json()
        if failure := self._record(request, body):
            return failure
        data = [
            {"object": "embedding", "index": n, "embedding": self.embed(text)}
            for n, text in enumerate(body["input"])
        ]
        usage = {"prompt_tokens": 1, "total_tokens": 1}
        return web.json_response(
            {"object": "list", "data": data, "model": body["model"], "usage": usage}
        )


@asynccontextmanager
async def serving(rapport: Assembly, fake: FakeOpenAI) -> AsyncIterator[FakeOpenAI]:
    """Serve `fake` on a free local port and point the bot at it."""
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake.completions)
    app.router.add_post("/v1/embeddings", fake.embeddings)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    rapport.bot.settings.openai_api_key = "test-key"
    rapport.bot.settings.openai_base_url = f"http://127.0.0.1:{runner.addresses[0][1]}/v1"
    try:
        yield fake
    finally:
        await runner.cleanup()
