"""A tiny Maelstrom node library: JSON lines on stdin/stdout, logs on stderr.

handle(type, fn): fn(msg) returns a reply body, or None for no reply. Each
request runs on its own thread, so a handler may block in rpc(dest, body),
which returns the reply body (a timeout error body after timeout_s).
"""
import json
import sys
import threading


class Node:
    def __init__(self):
        self.id = None
        self.node_ids = []
        self._next_msg_id = 1
        self._handlers = {}
        self._waiting = {}
        self._lock = threading.Lock()
        self._out = threading.Lock()
        self.handle("init", self._init)

    def _init(self, msg):
        self.id = msg["body"]["node_id"]
        self.node_ids = msg["body"]["node_ids"]
        return {"type": "init_ok"}

    def handle(self, type_, fn):
        self._handlers[type_] = fn

    def log(self, *parts):
        print(*parts, file=sys.stderr, flush=True)

    def send(self, dest, body):
        line = json.dumps({"src": self.id, "dest": dest, "body": body})
        with self._out:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def reply(self, msg, body):
        self.send(msg["src"], dict(body, in_reply_to=msg["body"].get("msg_id")))

    def rpc(self, dest, body, timeout_s=1.0):
        done = threading.Event()
        box = {}
        with self._lock:
            msg_id = self._next_msg_id
            self._next_msg_id += 1
            self._waiting[msg_id] = (done, box)
        self.send(dest, dict(body, msg_id=msg_id))
        if not done.wait(timeout_s):
            with self._lock:
                self._waiting.pop(msg_id, None)
            return {"type": "error", "code": 0, "text": "timeout"}
        return box["reply"]

    def every(self, seconds, fn):
        def loop():
            while True:
                threading.Event().wait(seconds)
                if self.id is not None:
                    fn()
        threading.Thread(target=loop, daemon=True).start()

    def _dispatch(self, msg):
        body = msg["body"]
        fn = self._handlers.get(body["type"])
        if fn is None:
            self.reply(msg, {"type": "error", "code": 10, "text": "unknown type " + body["type"]})
            return
        try:
            out = fn(msg)
        except Exception as err:  # an indefinite error: the request may have had effects
            self.log("handler failed:", repr(err))
            out = {"type": "error", "code": 13, "text": repr(err)}
        if out is not None:
            self.reply(msg, out)

    def run(self):
        for line in sys.stdin:
            msg = json.loads(line)
            reply_to = msg["body"].get("in_reply_to")
            if reply_to is not None:
                with self._lock:
                    waiting = self._waiting.pop(reply_to, None)
                if waiting is not None:
                    waiting[1]["reply"] = msg["body"]
                    waiting[0].set()
                continue
            threading.Thread(target=self._dispatch, args=(msg,), daemon=True).start()


def update_lin_kv(node, key, initial, update, tries_max=50):
    """Read-modify-write of one lin-kv key by compare-and-set, retried until it applies."""
    for _ in range(tries_max):
        read = node.rpc("lin-kv", {"type": "read", "key": key})
        if read["type"] == "error" and read["code"] != 20:
            raise RuntimeError("lin-kv read: " + str(read.get("text")))
        exists = read["type"] == "read_ok"
        current = read["value"] if exists else initial
        new, result = update(current)
        cas = node.rpc("lin-kv", {"type": "cas", "key": key, "from": current if exists else None, "to": new, "create_if_not_exists": not exists})
        if cas["type"] == "cas_ok":
            return result
        if cas.get("code") not in (20, 22):
            raise RuntimeError("lin-kv cas: " + str(cas.get("text")))
    raise RuntimeError("lin-kv: too much contention")
