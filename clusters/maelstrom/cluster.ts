/**
 * A cluster of Maelstrom-protocol nodes, any language: each a process
 * started from `bin args`, initialised with `init`, and wired to the others,
 * to the clients and to the services through the controller's router. The
 * faults are real: kill is SIGKILL and a restarted node gets `init` again and
 * starts empty; pause is SIGSTOP/SIGCONT; partitions cut links in the router.
 * A node that dies on its own is reported (onCrash) and stays down.
 */
import { join } from "node:path";
import type { NodeInfo } from "../cluster.js";
import { type HarnessCluster, type HarnessOptions, KindError, type MessageStats } from "../kind.js";
import { MaelstromClient } from "./client.js";
import { Latency, type LatencyDist } from "./latency.js";
import { NodeProcess } from "./node-process.js";
import { type Body, type Message, parseLine, quoteLine, type Rpc } from "../api/maelstrom-protocol.js";
import { type BadMessage, Router } from "./router.js";
import { makeServices } from "./services/index.js";
import type { Service } from "./services/service.js";

/** A harness' options (clusters/kind.ts), with the latency distribution one of ours. */
export interface MaelstromClusterOptions extends Omit<HarnessOptions, "latencyDist"> {
  latencyDist: LatencyDist;
}

/** The client that sends init (Maelstrom's clients send it too). */
const INIT_CLIENT = "c0";

/** A node that did not start (exited, never answered init, answered garbage): the user's program, an input error. */
export class NodeStartError extends KindError {}

export class MaelstromCluster implements HarnessCluster {
  readonly kind = "maelstrom";
  readonly router: Router;
  private readonly ids: string[];
  private readonly procs = new Map<string, NodeProcess>();
  /** Nodes whose exit is ours (kill, stop): not a crash. */
  private readonly expectedExit = new Set<string>();
  /** Nodes that answered init since they were last spawned. */
  private readonly initialized = new Set<string>();
  /** Per node initialising: rejects its init with the reason a bad line gives. */
  private readonly initFailures = new Map<string, (reason: string) => void>();
  private readonly services: Service[];
  private readonly initClient: MaelstromClient;
  private clientsMade = 0;
  private stopped = false;

  constructor(private readonly o: MaelstromClusterOptions) {
    this.ids = [...o.ids];
    this.router = new Router(new Latency(o.latencyMs, o.latencyDist, o.seed), (bad) => this.onBad(bad));
    for (const id of this.ids) {
      this.router.attach(id, {
        kind: "node",
        deliver: (m, line) => {
          // A node that has not answered init (at start, or restarted empty) has no id to
          // answer from: like Maelstrom, only init reaches it, and other traffic is lost.
          const ready = this.initialized.has(id) || m.src === INIT_CLIENT;
          if (!ready || !this.procs.get(id)?.send(line)) this.router.undeliverable();
        },
      });
    }
    this.services = makeServices(o.seed);
    for (const s of this.services) this.router.attach(s.id, { kind: "service", deliver: (m) => this.serve(s, m) });
    this.initClient = new MaelstromClient(INIT_CLIENT, "n1", this.router, o.startTimeoutMs);
    this.router.attach(INIT_CLIENT, this.initClient);
  }

  /** Starts and initialises every node; the first that fails stops them all, and its error names it. */
  async start(): Promise<void> {
    const results = await Promise.allSettled(this.ids.map((id) => this.launch(id)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) {
      await this.stop();
      throw failed.reason;
    }
  }

  nodes(): NodeInfo[] {
    // No HTTP or peer address: the nodes speak only on stdin/stdout.
    return this.ids.map((id) => ({ id, pid: this.procs.get(id)?.pid ?? null, httpUrl: "", peerAddr: "" }));
  }

  client(node: string): MaelstromClient {
    const c = new MaelstromClient(`c${++this.clientsMade}`, node, this.router, this.o.requestTimeoutMs);
    this.router.attach(c.id, c);
    return c;
  }

  async kill(node: string): Promise<void> {
    const proc = this.proc(node);
    this.expectedExit.add(node);
    this.initialized.delete(node);
    await proc.kill();
  }

  async restart(node: string): Promise<void> {
    if (this.procs.get(node)?.alive) throw new Error(`restart ${node}: it is still running`);
    await this.launch(node);
  }

  async pause(node: string): Promise<void> {
    this.proc(node).signal("SIGSTOP");
  }

  async resume(node: string): Promise<void> {
    this.proc(node).signal("SIGCONT");
  }

  /** The router: the nemesis cuts and delays links there (the Network seam; no partition/heal of its own). */
  get network(): Router {
    return this.router;
  }

  restartCounts(): void {
    this.router.restartSeries();
  }

  messageStats(): MessageStats {
    return { totals: this.router.counts(), perSecond: this.router.perSecond(), bad: this.router.badMessages() };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const id of this.ids) this.expectedExit.add(id);
    await Promise.all([...this.procs.values()].map((p) => p.kill()));
    for (const s of this.services) s.close();
    await this.initClient.close();
    await this.router.close();
  }

  /** Whether a node's process is running now. */
  isUp(node: string): boolean {
    return this.procs.get(node)?.alive ?? false;
  }

  private proc(node: string): NodeProcess {
    const proc = this.procs.get(node);
    if (!proc) throw new Error(`no node ${node}`);
    return proc;
  }

  /** Spawns the node and waits for its init_ok; rejects with a message naming the node and what went wrong. */
  private async launch(id: string): Promise<void> {
    this.expectedExit.delete(id);
    this.initialized.delete(id);
    let exitedEarly: ((how: string) => void) | null = null;
    const proc = new NodeProcess({
      id,
      bin: this.o.bin,
      args: this.o.args,
      logPath: join(this.o.dir, "nodes", `${id}.log`),
      logStderr: this.o.logStderr,
      onLine: (line) => this.fromNode(id, line),
      onExit: (code, signal) => {
        const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (exitedEarly) return exitedEarly(how);
        if (!this.expectedExit.has(id)) this.o.onCrash?.(id, how);
      },
    });
    this.procs.set(id, proc);
    const failure = new Promise<never>((_, reject) => {
      const fail = (reason: string) => reject(new NodeStartError(`node ${id} ${reason}`));
      exitedEarly = (how) => {
        const tail = proc.stderrLastChars().trim().split("\n").slice(-5).join("\n    ");
        fail(`${how} before answering init${tail ? `; its stderr ends:\n    ${tail}` : ""}`);
      };
      this.initFailures.set(id, fail);
    });
    try {
      const init = this.initClient.rpc({ type: "init", node_id: id, node_ids: this.ids }, id, this.o.startTimeoutMs);
      const out = await Promise.race([init, failure]);
      if (out.type !== "ok") {
        throw new NodeStartError(
          out.error.startsWith("timeout")
            ? `did not answer init within ${this.o.startTimeoutMs} ms`
            : `answered init with error ${out.error}`,
        );
      }
      if (out.value.type !== "init_ok")
        throw new NodeStartError(`node ${id} answered init with ${JSON.stringify(out.value.type)}, not "init_ok"`);
      proc.logLine(`[tob] init_ok from pid ${proc.pid}`);
      this.initialized.add(id);
    } catch (err) {
      this.expectedExit.add(id);
      await proc.kill();
      throw err instanceof NodeStartError && !err.message.startsWith("node ") ? new NodeStartError(`node ${id} ${err.message}`) : err;
    } finally {
      exitedEarly = null;
      this.initFailures.delete(id);
    }
    // Setup is part of starting: a node slow to start gets init's time for it too.
    try {
      await this.o.onNodeReady?.(id, (body) => this.initClient.rpc(body, id, this.o.startTimeoutMs));
    } catch (err) {
      throw new NodeStartError((err as Error).message);
    }
  }

  private fromNode(id: string, line: string): void {
    const parsed = parseLine(line);
    if (!parsed.ok) return this.router.refuse(id, `printed a line that is not a Maelstrom message (${parsed.reason})`, line);
    this.router.send(id, parsed.message, line);
  }

  private onBad(bad: BadMessage): void {
    const text = `${bad.reason}: ${quoteLine(bad.line)}`;
    this.procs.get(bad.node)?.logLine(`[tob] bad message: ${text}`);
    this.initFailures.get(bad.node)?.(text);
  }

  private serve(service: Service, m: Message): void {
    if (m.body.msg_id === undefined) return; // not a request: nothing to answer
    const reply: Body = { ...service.handle(m.src, m.body), in_reply_to: m.body.msg_id };
    const out: Message = { src: service.id, dest: m.src, body: reply };
    this.router.send(service.id, out, JSON.stringify(out));
  }
}
