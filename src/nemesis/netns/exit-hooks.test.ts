import { execa } from "execa";
import { expect, it } from "vitest";
import { endWithin, firstLine } from "../../../test/support/child.js";
import { describeWith, netnsPart } from "../../../test/support/real.js";

const netns = await netnsPart();
const FIXTURE = new URL("./fixtures/hold-network.ts", import.meta.url).pathname;
// vite-node runs the fixture in its own process, so the child's pid is the one to signal.
const VITE_NODE = new URL("../../../node_modules/.bin/vite-node", import.meta.url).pathname;

describeWith([netns], "exit hook", () => {
  it("a controller ended by SIGTERM leaves no namespace behind", async () => {
    const child = execa(VITE_NODE, [FIXTURE], { reject: false });
    const namespaces = await firstLine(child, (line) => (line.startsWith("[") ? (JSON.parse(line) as string[]) : undefined));
    expect((await execa("ip", ["netns", "list"])).stdout).toContain(namespaces[0]);
    child.kill("SIGTERM");
    const result = await endWithin(child);
    expect(result.signal).toBe("SIGTERM");
    const after = (await execa("ip", ["netns", "list"])).stdout;
    for (const namespace of namespaces) expect(after).not.toContain(namespace);
  });
});
