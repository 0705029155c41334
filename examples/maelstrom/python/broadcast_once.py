#!/usr/bin/env python3
"""broadcast with a planted bug: each message is forwarded to the neighbours
once, fire-and-forget, with no retry; a partition loses it for good."""
import threading

from maelstrom import Node

node = Node()
messages = set()
neighbours = []
lock = threading.Lock()


def topology(msg):
    global neighbours
    neighbours = msg["body"]["topology"].get(node.id, [])
    return {"type": "topology_ok"}


def spread(m, came_from):
    with lock:
        if m in messages:
            return
        messages.add(m)
    for n in neighbours:
        if n != came_from:
            node.send(n, {"type": "forward", "message": m})


def broadcast(msg):
    spread(msg["body"]["message"], None)
    return {"type": "broadcast_ok"}


def forward(msg):
    spread(msg["body"]["message"], msg["src"])
    return None


def read(_msg):
    with lock:
        return {"type": "read_ok", "messages": sorted(messages)}


node.handle("topology", topology)
node.handle("broadcast", broadcast)
node.handle("forward", forward)
node.handle("read", read)
node.run()
