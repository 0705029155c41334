#!/usr/bin/env python3
"""broadcast, correct under partitions and kills (as ../js/broadcast.js): a
client's message is acknowledged once another node holds it; gossip to the
neighbours repeats until they confirm; a neighbour that restarted empty (it
reports fewer messages than we thought it held) is sent everything again."""
import threading

from maelstrom import Node

node = Node()
messages = set()
neighbours = None
known = {}
lock = threading.Lock()


def known_by(peer):
    return known.setdefault(peer, set())


def topology(msg):
    global neighbours
    neighbours = msg["body"]["topology"].get(node.id)
    return {"type": "topology_ok"}


def broadcast(msg):
    m = msg["body"]["message"]
    with lock:
        messages.add(m)
    others = [n for n in node.node_ids if n != node.id]
    attempt = 0
    while others:
        peer = others[attempt % len(others)]
        attempt += 1
        if node.rpc(peer, {"type": "replicate", "messages": [m]}, 0.3)["type"] == "replicate_ok":
            with lock:
                known_by(peer).add(m)
            break
    return {"type": "broadcast_ok"}


def replicate(msg):
    with lock:
        messages.update(msg["body"]["messages"])
    return {"type": "replicate_ok"}


def gossip(msg):
    with lock:
        theirs = known_by(msg["src"])
        messages.update(msg["body"]["messages"])
        theirs.update(msg["body"]["messages"])
        if msg["body"]["count"] < len(theirs):
            known[msg["src"]] = set(msg["body"]["messages"])
        return {"type": "gossip_ok", "messages": msg["body"]["messages"], "count": len(messages)}


def read(_msg):
    with lock:
        return {"type": "read_ok", "messages": sorted(messages)}


def gossip_to(peer):
    with lock:
        theirs = known_by(peer)
        missing = [m for m in messages if m not in theirs]
        count = len(messages)
    reply = node.rpc(peer, {"type": "gossip", "messages": missing, "count": count}, 1.0)
    if reply["type"] == "gossip_ok":
        with lock:
            theirs.update(reply["messages"])
            if reply["count"] < len(theirs):
                known[peer] = set()


def gossip_round():
    peers = neighbours if neighbours is not None else [n for n in node.node_ids if n != node.id]
    for peer in peers:
        threading.Thread(target=gossip_to, args=(peer,), daemon=True).start()


node.handle("topology", topology)
node.handle("broadcast", broadcast)
node.handle("replicate", replicate)
node.handle("gossip", gossip)
node.handle("read", read)
node.every(0.2, gossip_round)
node.run()
