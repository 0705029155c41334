import { execa } from "execa";
import { expect, it } from "vitest";
import { endWithin, firstLine } from "../../test/support/child.js";
import { describeWith, etcdPart } from "../../test/support/real.js";
import { eventually, pidExists, tempRunDir } from "./test-support.js";

const etcd = await etcdPart();
const FIXTURE = new URL("./fixtures/hold-cluster.ts", import.meta.url).pathname;
// vite-node runs the fixture in its own process, so the child's pid is the controller's.
const VITE_NODE = new URL("../../node_modules/.bin/vite-node", import.meta.url).pathname;

describeWith([etcd], "etcd processes outlive no controller", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`a controller ended by ${signal} takes its (paused) etcd with it`, async () => {
      const run = tempRunDir("etcd-orphan");
      const controller = execa(VITE_NODE, [FIXTURE, run.dir], { reject: false });
      const pid = await firstLine(controller, (line) => (line.startsWith("{") ? (JSON.parse(line) as { pid: number }).pid : undefined));
      expect(pidExists(pid)).toBe(true);
      controller.kill(signal);
      expect((await endWithin(controller)).signal).toBe(signal);
      // etcd was our grandchild's child: init reaps it once SIGKILL lands.
      await eventually(5_000, async () => (pidExists(pid) ? null : true));
      run.remove();
    });
  }
});
