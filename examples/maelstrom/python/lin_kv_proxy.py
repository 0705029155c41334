#!/usr/bin/env python3
"""lin-kv, correct: each request is passed on to the lin-kv service, and its reply (or error) back."""
from maelstrom import Node

node = Node()


def proxy(msg):
    body = {k: v for k, v in msg["body"].items() if k != "msg_id"}
    reply = node.rpc("lin-kv", body, 2.0)
    return {k: v for k, v in reply.items() if k != "in_reply_to"}


for t in ("read", "write", "cas"):
    node.handle(t, proxy)
node.run()
