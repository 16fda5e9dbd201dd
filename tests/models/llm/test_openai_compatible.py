"""The OpenAI-compatible backend against a tiny HTTP server on 127.0.0.1 started by the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from models.llm.base import GenerationRequest, Message
from models.llm.openai_compatible import OpenAICompatibleBackend
from core.errors import DraftError, ModelError


class _Server:
    def __init__(self) -> None:
        self.requests: list[tuple[str, dict, dict]] = []
        self.status = 200
        self.reply: dict | str = {
            "choices": [{"message": {"role": "assistant", "content": '{"items": []}'}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 12, "completion_tokens": 5},
        }


@pytest.fixture
def server() -> Iterator[tuple[_Server, str]]:
    state = _Server()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append((self.path, dict(self.headers), body))
            payload = state.reply if isinstance(state.reply, str) else json.dumps(state.reply)
            data = payload.encode()
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _req() -> GenerationRequest:
    schema = {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/I"}}},
              "required": ["items"], "$defs": {"I": {"type": "string"}}}
    return GenerationRequest(messages=[Message(role="user", content="hoi")], json_schema=schema,
                             max_tokens=64, task="ik_wil")


def test_sends_chat_completion_with_json_schema_to_the_configured_url(server) -> None:  # noqa: ANN001
    state, url = server
    llm = OpenAICompatibleBackend(url, "qwen2.5-7b", api_key="geheim")
    gen = llm.generate(_req())
    assert gen.text == '{"items": []}' and gen.prompt_tokens == 12 and gen.completion_tokens == 5
    path, headers, body = state.requests[0]
    assert path == "/v1/chat/completions"
    assert headers["Authorization"] == "Bearer geheim"
    assert body["model"] == "qwen2.5-7b" and body["max_tokens"] == 64
    schema = body["response_format"]["json_schema"]["schema"]
    assert body["response_format"]["type"] == "json_schema"
    assert schema["properties"]["items"]["items"] == {"type": "string"}  # references inlined


def test_without_schema_support_no_response_format_is_sent(server) -> None:  # noqa: ANN001
    state, url = server
    OpenAICompatibleBackend(url, "m", supports_json_schema=False).generate(_req())
    assert "response_format" not in state.requests[0][2]


@pytest.mark.parametrize(("status", "reply"), [(500, {"error": "boom"}), (200, "not json"), (200, {"choices": []})])
def test_server_errors_become_draft_errors(server, status: int, reply: object) -> None:  # noqa: ANN001
    state, url = server
    state.status, state.reply = status, reply
    with pytest.raises(DraftError):
        OpenAICompatibleBackend(url, "m").generate(_req())


def test_unreachable_server_is_a_clear_error() -> None:
    llm = OpenAICompatibleBackend("http://127.0.0.1:9/v1", "m", timeout_seconds=2)
    with pytest.raises(DraftError) as err:
        llm.generate(_req())
    assert "niet bereikbaar" in err.value.message


@pytest.mark.parametrize("url", ["127.0.0.1:8000", "ftp://host/v1", "file:///tmp/x", ""])
def test_invalid_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ModelError):
        OpenAICompatibleBackend(url, "m")
