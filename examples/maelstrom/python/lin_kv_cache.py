#!/usr/bin/env python3
"""lin-kv with a planted bug: writes and cas go to the lin-kv service, but
reads come from this node's cache of what it last saw: stale reads."""
import threading

from maelstrom import Node

node = Node()
cache = {}
lock = threading.Lock()


def strip(reply):
    return {k: v for k, v in reply.items() if k != "in_reply_to"}


def read(msg):
    key = msg["body"]["key"]
    with lock:
        if key in cache:
            return {"type": "read_ok", "value": cache[key]}
    reply = node.rpc("lin-kv", {"type": "read", "key": key}, 2.0)
    if reply["type"] == "read_ok":
        with lock:
            cache[key] = reply["value"]
    return strip(reply)


def write(msg):
    b = msg["body"]
    reply = node.rpc("lin-kv", {"type": "write", "key": b["key"], "value": b["value"]}, 2.0)
    if reply["type"] == "write_ok":
        with lock:
            cache[b["key"]] = b["value"]
    return strip(reply)


def cas(msg):
    b = msg["body"]
    reply = node.rpc("lin-kv", {"type": "cas", "key": b["key"], "from": b["from"], "to": b["to"]}, 2.0)
    if reply["type"] == "cas_ok":
        with lock:
            cache[b["key"]] = b["to"]
    return strip(reply)


node.handle("read", read)
node.handle("write", write)
node.handle("cas", cas)
node.run()
