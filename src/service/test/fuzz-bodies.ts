import { seededRng } from "../../rng.js";
import { invalidRegister, largeRegister, validRegister } from "./histories.js";

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number) => Math.floor(r() * n);

/** Valid histories in every format the readers take: the seeds that mutations start from. */
const SEEDS: readonly string[] = [
  validRegister(),
  invalidRegister(),
  largeRegister(8, 3, 2),
  `[{:process 0, :type :invoke, :f :write, :value 1}\n {:process 0, :type :ok, :f :write, :value 1}\n {:process 1, :type :invoke, :f :read, :value nil}\n {:process 1, :type :ok, :f :read, :value 1}]\n`,
  `; knossos style\n({:process 0 :type :invoke :f :cas :value [0 1]} {:process 0 :type :ok :f :cas :value [0 1]} {:process :nemesis :type :info :f :start})\n`,
  `INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t1\nINFO  jepsen.util - 1\t:invoke\t:cas\t[1 2]\nINFO  jepsen.util - 1\t:fail\t:cas\t[1 2]\nINFO  jepsen.util - 2\t:invoke\t:read\tnil\nINFO  jepsen.util - 2\t:ok\t:read\t1\n`,
  `{:process 0, :type :invoke, :f :put, :key "1", :value "x"}\n{:process 0, :type :ok, :f :put, :key "1", :value "x"}\n{:process 1, :type :invoke, :f :get, :key "1", :value nil}\n{:process 1, :type :ok, :f :get, :key "1", :value "x"}\n`,
];

const TOKENS = [
  "{",
  "}",
  "[",
  "]",
  "(",
  ")",
  "\n",
  '"',
  ":",
  ",",
  " ",
  "\t",
  "null",
  "nil",
  "true",
  "-1",
  "1e309",
  "NaN",
  "9007199254740993",
  ":invoke",
  ":ok",
  ":fail",
  ":info",
  '"invoke"',
  '"ok"',
  '"info"',
  '"type"',
  '"process"',
  '"nemesis"',
  "\\u0000",
  "\u0000",
  "\ud800",
  "é",
  "#{",
  "#inst",
  "^:meta",
  ";",
  "\r\n",
  "jepsen.util - ",
];

function mutate(r: Rand, text: string): string {
  let s = text;
  for (let k = 1 + int(r, 3); k > 0; k--) {
    const at = int(r, s.length + 1);
    switch (int(r, 7)) {
      case 0:
        s = s.slice(0, at) + pick(r, TOKENS) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + int(r, 20));
        break;
      case 2:
        s = s.slice(0, at) + String.fromCharCode(int(r, 0x3000)) + s.slice(at + 1);
        break;
      case 3:
        s = s.slice(0, at);
        break;
      case 4: {
        const lines = s.split("\n");
        const i = int(r, lines.length);
        lines.splice(int(r, lines.length), 0, lines[i]!);
        s = lines.join("\n");
        break;
      }
      case 5: {
        const lines = s.split("\n");
        const i = int(r, lines.length);
        const j = int(r, lines.length);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        s = lines.join("\n");
        break;
      }
      default:
        s = s.replace(/\d+/, String(pick(r, [-1, 0, 2 ** 31, 2 ** 53, 1e21, 3.5])));
    }
  }
  return s;
}

const FIELD_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  "",
  "x",
  "invoke",
  "ok",
  "info",
  "fail",
  "read",
  "write",
  "cas",
  [],
  [1, 2],
  [null, 3],
  {},
  { a: 1 },
  true,
  1e300,
  "nemesis",
];

/** A JSONL history of random ops whose fields are of every type, right or wrong. */
function randomOps(r: Rand): string {
  const lines: string[] = [];
  for (let n = int(r, 30); n > 0; n--) {
    const op: Record<string, unknown> = {};
    for (const field of ["index", "time", "process", "type", "f", "value", "key", "node", "error"]) {
      if (r() < 0.85) op[field] = field === "type" && r() < 0.7 ? pick(r, ["invoke", "ok", "fail", "info"]) : pick(r, FIELD_VALUES);
    }
    lines.push(JSON.stringify(op));
  }
  return lines.join("\n");
}

function randomBytes(r: Rand): Buffer {
  const b = Buffer.alloc(int(r, 2048));
  for (let i = 0; i < b.length; i++) b[i] = int(r, 256);
  return b;
}

export interface FuzzRequest {
  url: string;
  payload: string | Buffer;
  contentType?: string;
}

const MODELS = ["register", "cas-register", "kv", "kv-unpartitioned", "multi-register", "mutex", "fencing", "set", "queue", "etcd"];
const BAD_MODELS = ["nope", "", "REGISTER", "../x"];
const TIMEOUTS = ["1", "0.5", "2"];
const BAD_TIMEOUTS = ["0", "-3", "abc", "1e9", "NaN"];
const INITIALS = ["0", "null", '{"x":0}', "[", '"a"', '{"__proto__":{"polluted":1}}'];
const CONTENT_TYPES = [
  undefined,
  "text/plain",
  "application/json",
  "application/x-ndjson",
  "application/edn",
  "application/octet-stream",
  "multipart/form-data; boundary=x",
  "text/plain; charset=latin1",
];

/** Request number `i` of a fuzz run: a body (random, mutated or hostile) and random query parameters. */
export function fuzzRequest(seed: number, i: number): FuzzRequest {
  // Seeded, so a failing body can be replayed from its seed.
  const r = seededRng(seed * 1_000_003 + i);
  const kind = int(r, 10);
  const payload = kind === 0 ? randomBytes(r) : kind <= 2 ? randomOps(r) : kind <= 8 ? mutate(r, pick(r, SEEDS)) : pick(r, SEEDS);
  // Mostly good parameters, so that most bodies reach the readers and the checker.
  const q = new URLSearchParams();
  const model = r() < 0.9 ? pick(r, MODELS) : pick(r, BAD_MODELS);
  if (model !== "") q.set("model", model);
  if (r() < 0.3) q.set("timeout", r() < 0.8 ? pick(r, TIMEOUTS) : pick(r, BAD_TIMEOUTS));
  if (r() < 0.1) q.set("format", pick(r, ["jsonl", "edn", "porcupine-kv", "porcupine-etcd", "xml"]));
  if (r() < 0.1) q.set("initial", pick(r, INITIALS));
  return { url: `/api/checks?${q}`, payload, contentType: pick(r, CONTENT_TYPES) };
}
