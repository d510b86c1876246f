#!/usr/bin/env python3
"""Scripted OpenAI-compatible chat server for testing instructor code offline.

Each POST /v1/chat/completions pops the next reply from the script (a JSON list,
or JSONL with one reply per line). A reply is one of:
  {"arguments": {...} | "raw string"}          one tool call (name taken from the request)
  {"tool_calls": [{"name": "A", "arguments": {...}}, ...]}   several tool calls
  {"content": "text"}                           a plain assistant message
Optional keys: "finish_reason" (e.g. "length"), "name" (tool name override),
"delay" (seconds to sleep before each streamed chunk).
Requests with "stream": true are answered as server-sent events.

  python fake_openai_server.py --script replies.jsonl --port 8787 --log requests.jsonl
  PUT /_script  (body: JSON list) replaces the queue; GET /_requests returns the log.
"""
import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
QUEUE: list = []
REQUESTS: list = []
LOG_PATH = None


def load_script(path):
    text = open(path, encoding="utf-8").read().strip()
    if text.startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def tool_name_of(body):
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        return choice.get("function", {}).get("name")
    tools = body.get("tools") or []
    return tools[0]["function"]["name"] if tools else "tool"


def as_args(value):
    return value if isinstance(value, str) else json.dumps(value)


def build_message(reply, body):
    if "content" in reply:
        return {"role": "assistant", "content": reply["content"]}, None
    calls = reply.get("tool_calls") or [
        {"name": reply.get("name") or tool_name_of(body), "arguments": reply["arguments"]}
    ]
    tool_calls = [
        {"id": f"call_{i}", "type": "function",
         "function": {"name": c["name"], "arguments": as_args(c["arguments"])}}
        for i, c in enumerate(calls)
    ]
    return {"role": "assistant", "content": None, "tool_calls": tool_calls}, tool_calls


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _json(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        length = int(self.headers.get("Content-Length", 0))
        return json.loads(self.rfile.read(length) or b"{}")

    def do_GET(self):
        if self.path == "/_requests":
            return self._json(200, REQUESTS)
        if self.path.endswith("/models"):
            return self._json(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
        self._json(404, {"error": {"message": "not found"}})

    def do_PUT(self):
        if self.path != "/_script":
            return self._json(404, {"error": {"message": "not found"}})
        with LOCK:
            QUEUE[:] = self._body()
            REQUESTS.clear()
        self._json(200, {"queued": len(QUEUE)})

    def do_POST(self):
        if not self.path.endswith("/chat/completions"):
            return self._json(404, {"error": {"message": "not found"}})
        body = self._body()
        with LOCK:
            REQUESTS.append(body)
            if LOG_PATH:
                with open(LOG_PATH, "a", encoding="utf-8") as f:
                    f.write(json.dumps(body) + "\n")
            reply = QUEUE.pop(0) if QUEUE else None
        if reply is None:
            return self._json(500, {"error": {"message": "script exhausted", "type": "server_error"}})
        message, tool_calls = build_message(reply, body)
        finish = reply.get("finish_reason") or ("tool_calls" if tool_calls else "stop")
        usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        base = {"id": "chatcmpl-fake", "created": int(time.time()), "model": body.get("model", "fake")}
        if not body.get("stream"):
            return self._json(200, {**base, "object": "chat.completion", "usage": usage,
                                    "choices": [{"index": 0, "message": message, "finish_reason": finish}]})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()

        delay = float(reply.get("delay", 0))

        def send(delta, finish_reason=None):
            time.sleep(delay)
            chunk = {**base, "object": "chat.completion.chunk",
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()

        if tool_calls:
            for i, call in enumerate(tool_calls):
                send({"role": "assistant", "tool_calls": [{"index": i, "id": call["id"], "type": "function",
                      "function": {"name": call["function"]["name"], "arguments": ""}}]})
                args = call["function"]["arguments"]
                for j in range(0, len(args), 12):
                    send({"tool_calls": [{"index": i, "function": {"arguments": args[j:j + 12]}}]})
        else:
            text = message["content"] or ""
            for j in range(0, len(text), 12):
                send({"content": text[j:j + 12]})
        send({}, finish)
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


def main():
    global LOG_PATH
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--script", help="JSON list or JSONL file of replies")
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--log", help="append every request body to this JSONL file")
    args = parser.parse_args()
    LOG_PATH = args.log
    if args.script:
        QUEUE.extend(load_script(args.script))
    print(f"fake OpenAI server on http://{args.host}:{args.port}/v1 ({len(QUEUE)} replies queued)", flush=True)
    ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
