#!/usr/bin/env python3
"""A primary-backup key-value store, Python standard library only: a system for
`tob run --cluster command` to test. It speaks tob's HTTP client API
(GET /v1/status, GET|PUT /v1/kv/KEY, POST /v1/kv/KEY/cas) and talks to its
peers over HTTP on its peer port, dialing the addresses tob gives in --peers
(tob's proxy mesh, so tob can cut and delay those links).

Two modes of the same program:

--mode async (the bug): the primary applies a write, answers the client at
  once, and ships the write to the backups a moment later. State lives in
  memory. When the primary dies (or is cut off) a backup promotes itself after
  a timeout, and writes the old primary acknowledged but had not shipped yet
  are gone; an isolated old primary also keeps serving reads and writes (split
  brain). tob catches it: acknowledged writes vanish, reads go back in time.

--mode sync (correct): every node keeps its state on disk (written, fsynced,
  renamed). The primary answers a write only once every node has stored it,
  answers a read only once every node confirms it is still the primary, and a
  promoted backup first makes every node adopt its state. Views are ordered by
  (epoch, primary id); a node never goes back to an older view. It gives up
  availability (one node down stops writes) to keep every acknowledged write.

Usage: pbkv.py --id ID --host HOST --http PORT --peer PORT --peers id=host:port,...
               --data DIR [--mode async|sync]
"""
import argparse
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HEARTBEAT_S = 0.1
FAILOVER_S = 1.0        # silence from the primary before a backup takes over
FAILOVER_STEP_S = 0.4   # extra wait per rank, so backups do not all take over at once
SHIP_EVERY_S = 0.3      # async mode: how long acknowledged writes wait before they are shipped
PEER_TIMEOUT_S = 0.5


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


class Node:
    def __init__(self, args):
        self.id = args.id
        self.mode = args.mode
        self.peers = dict(p.split("=", 1) for p in args.peers.split(",") if p)
        self.all_ids = sorted([self.id, *self.peers])
        self.rank = self.all_ids.index(self.id)
        self.path = os.path.join(args.data, "state.json")
        self.mu = threading.RLock()          # guards the fields below
        self.write_mu = threading.Lock()     # the primary's writes, one at a time
        self.view = (0, self.all_ids[0])     # (epoch, primary id)
        self.ready = False                   # a primary serves only once its view is adopted everywhere (sync)
        self.store = {}
        self.index = 0
        self.outbox = []                     # async mode: writes acknowledged but not shipped yet
        self.heard = time.monotonic()
        if self.mode == "sync" and os.path.exists(self.path):
            with open(self.path) as f:
                saved = json.load(f)
            self.view, self.store, self.index = tuple(saved["view"]), saved["store"], saved["index"]
        self.ready = self.mode == "async" and self.view[1] == self.id
        log(f"{self.id} up in {self.mode} mode, view {self.view}, {len(self.store)} keys")

    # --- state -----------------------------------------------------------
    def persist(self):
        if self.mode != "sync":
            return
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"view": list(self.view), "store": self.store, "index": self.index}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        fd = os.open(os.path.dirname(self.path), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def is_primary(self):
        return self.view[1] == self.id

    def adopt(self, view, store=None):
        """Moves to a newer (or the same) view; False when `view` is older than ours."""
        with self.mu:
            view = tuple(view)
            if view < self.view:
                return False
            if view > self.view:
                if self.is_primary():
                    log(f"{self.id} steps down: {self.view} -> {view}")
                self.view, self.ready = view, False
            if store is not None:
                self.store, self.index = dict(store), max(self.index, 0) + 1
            self.heard = time.monotonic()
            self.persist()
            return True

    # --- peers -------------------------------------------------------------
    def call(self, peer, path, body, timeout=PEER_TIMEOUT_S):
        """POST to a peer; (True, answer) or (False, "refused"|"unknown")."""
        host, port = self.peers[peer].rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            conn.request("POST", path, json.dumps(body), {"content-type": "application/json"})
            res = conn.getresponse()
            return True, json.loads(res.read() or b"{}")
        except ConnectionRefusedError:
            return False, "refused"
        except Exception:
            return False, "unknown"
        finally:
            conn.close()

    def to_all(self, path, body):
        """Calls every peer at once; {peer: (ok, answer)}."""
        results = {}

        def one(p):
            results[p] = self.call(p, path, body)

        threads = [threading.Thread(target=one, args=(p,)) for p in self.peers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return results

    def all_agree(self, results):
        """True when every peer accepted our view; steps down when one knows a newer one."""
        agreed = True
        for ok, answer in results.values():
            if not ok or not answer.get("ok"):
                agreed = False
                if ok and "view" in answer:
                    self.adopt(answer["view"])
        return agreed

    # --- background ----------------------------------------------------------
    def loop(self):
        while True:
            time.sleep(HEARTBEAT_S)
            with self.mu:
                primary, view, ready = self.is_primary(), self.view, self.ready
                silent = time.monotonic() - self.heard
            if primary and not ready:
                self.take_over(view)
            elif primary:
                if self.mode == "async":
                    self.ship()
                self.all_agree(self.to_all("/peer/heartbeat", {"view": list(view)}))
            elif silent > FAILOVER_S + FAILOVER_STEP_S * self.rank:
                with self.mu:
                    newer = (self.view[0] + 1, self.id)
                log(f"{self.id}: no word from primary {view[1]} for {silent:.1f}s, taking over as {newer}")
                self.adopt(newer)

    def take_over(self, view):
        """Sync mode: every node must adopt our view and state before we serve. Async: serve at once."""
        if self.mode == "async":
            with self.mu:
                self.ready = self.view == view
            return
        with self.mu:
            store = dict(self.store)
        if self.all_agree(self.to_all("/peer/adopt", {"view": list(view), "store": store})):
            with self.mu:
                if self.view == view:
                    self.ready = True
                    log(f"{self.id} is primary of {view}")

    def ship(self):
        """Async mode: the writes acknowledged since the last time, to every backup, fire and forget."""
        if time.monotonic() % SHIP_EVERY_S > HEARTBEAT_S:
            return
        with self.mu:
            batch, self.outbox = self.outbox, []
            view = self.view
        if batch:
            self.to_all("/peer/apply", {"view": list(view), "writes": batch})

    # --- the primary's operations -------------------------------------------------
    def serve(self, method, key, body):
        """A client request at this node: (status, answer)."""
        with self.mu:
            primary, ready, view = self.is_primary(), self.ready, self.view
        if method == "STATUS":
            return 200, {"id": self.id, "role": "leader" if primary and ready else "follower", "term": view[0],
                         "leader": view[1], "commitIndex": self.index, "appliedIndex": self.index}
        if not primary:
            return self.forward(view[1], method, key, body)
        if not ready:
            return 503, {"error": "unavailable", "leader": None}
        if method == "GET":
            if self.mode == "sync" and not self.all_agree(self.to_all("/peer/heartbeat", {"view": list(view)})):
                return 503, {"error": "unavailable", "leader": None}
            with self.mu:
                return 200, {"value": self.store.get(key)}
        with self.write_mu:
            with self.mu:
                current = self.store.get(key)
            if method == "CAS" and current != body.get("from"):
                return 409, {"ok": False, "value": current}
            value = body["value"] if method == "PUT" else body["to"]
            if self.mode == "sync":
                results = self.to_all("/peer/apply", {"view": list(view), "writes": [[key, value]]})
                if not self.all_agree(results):
                    # Some nodes may hold it now: its fate is unknown.
                    return 504, {"error": "timeout"}
            with self.mu:
                if self.view != view:
                    return 504, {"error": "timeout"}
                self.store[key] = value
                self.index += 1
                self.persist()
                if self.mode == "async":
                    self.outbox.append([key, value])
                index = self.index
        return (200, {"index": index}) if method == "PUT" else (200, {"ok": True})

    def forward(self, primary, method, key, body):
        ok, answer = self.call(primary, "/peer/forward", {"method": method, "key": key, "body": body}, timeout=2.0)
        if ok and "status" in answer:
            return answer["status"], answer["body"]
        if answer == "refused" or method == "GET":
            return 503, {"error": "unavailable", "leader": primary}
        return 504, {"error": "timeout"}

    # --- a peer's requests ----------------------------------------------------------
    def peer(self, path, body):
        if path == "/peer/forward":
            status, answer = self.serve(body["method"], body["key"], body["body"])
            return {"status": status, "body": answer}
        view = tuple(body["view"])
        if path == "/peer/adopt":
            ok = self.adopt(view, body["store"])
        elif path == "/peer/apply":
            ok = self.adopt(view)
            if ok:
                with self.mu:
                    for key, value in body["writes"]:
                        self.store[key] = value
                        self.index += 1
                    self.persist()
        else:  # heartbeat
            ok = self.adopt(view)
        with self.mu:
            return {"ok": ok, "view": list(self.view)}


def handler(node, peer_port):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def route(self):
            # Read the whole body first, whatever the route: on a kept-alive connection its bytes
            # would otherwise be taken for the next request.
            n = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(n) if n else b""
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                return self.answer(400, {"error": "malformed JSON body"})
            self.body = lambda: body
            url = urllib.parse.urlparse(self.path)
            parts = [urllib.parse.unquote(p) for p in url.path.split("/")[1:]]
            if peer_port:
                return self.answer(200, node.peer(url.path, self.body()))
            if self.command == "GET" and url.path == "/v1/status":
                return self.answer(*node.serve("STATUS", None, None))
            if len(parts) >= 3 and parts[:2] == ["v1", "kv"]:
                if self.command == "GET" and len(parts) == 3:
                    return self.answer(*node.serve("GET", parts[2], None))
                if self.command == "PUT" and len(parts) == 3:
                    return self.answer(*node.serve("PUT", parts[2], self.body()))
                if self.command == "POST" and len(parts) == 4 and parts[3] == "cas":
                    return self.answer(*node.serve("CAS", parts[2], self.body()))
            self.answer(404, {"error": f"no route {self.command} {url.path}"})

        do_GET = do_PUT = do_POST = route

    return Handler


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for flag in ["--id", "--host", "--http", "--peer", "--data"]:
        p.add_argument(flag, required=True)
    p.add_argument("--peers", default="")
    p.add_argument("--mode", choices=["async", "sync"], default="async")
    args = p.parse_args()
    os.makedirs(args.data, exist_ok=True)
    node = Node(args)
    for port, is_peer in [(args.peer, True), (args.http, False)]:
        server = ThreadingHTTPServer((args.host, int(port)), handler(node, is_peer))
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    node.loop()


if __name__ == "__main__":
    main()
