#!/usr/bin/env python3
"""txn-list-append over one lin-kv value (as ../js/txn-list-append.js):
read, apply to a copy, compare-and-set back, retry on conflict. With
--lost-update (a planted bug) the copy is written back blindly, so concurrent
transactions overwrite each other's appends."""
import sys

from maelstrom import Node, update_lin_kv

lost_update = "--lost-update" in sys.argv
node = Node()


def apply(db, txn):
    new = dict(db)
    done = []
    for f, k, v in txn:
        key = str(k)
        if f == "r":
            done.append([f, k, new.get(key)])
        else:
            new[key] = new.get(key, []) + [v]
            done.append([f, k, v])
    return new, done


def txn(msg):
    ops = msg["body"]["txn"]
    if lost_update:
        read = node.rpc("lin-kv", {"type": "read", "key": "db"})
        new, done = apply(read["value"] if read["type"] == "read_ok" else {}, ops)
        node.rpc("lin-kv", {"type": "write", "key": "db", "value": new})
        return {"type": "txn_ok", "txn": done}
    return {"type": "txn_ok", "txn": update_lin_kv(node, "db", {}, lambda db: apply(db, ops))}


node.handle("txn", txn)
node.run()
