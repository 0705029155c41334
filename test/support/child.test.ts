import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { endWithin, firstLine } from "./child.js";

const node = (script: string) => execa(process.execPath, ["-e", script], { reject: false });

describe("waiting on a fixture child", () => {
  it("returns the first line it looks for", async () => {
    const child = node('console.log("noise"); console.log("ready 42"); setTimeout(() => {}, 200);');
    expect(await firstLine(child, (line) => (line.startsWith("ready ") ? Number(line.slice(6)) : undefined))).toBe(42);
    await child;
  });

  it("kills a child that never prints it, and says what it printed instead", async () => {
    const child = node('console.log("still starting"); setInterval(() => {}, 1000);');
    await expect(firstLine(child, (line) => (line === "ready" ? true : undefined), 500)).rejects.toThrow(
      /no line awaited within 500 ms; it printed:\nstill starting/,
    );
    expect((await child).signal).toBe("SIGKILL");
  });

  it("fails at once when the child exits first", async () => {
    const child = node('console.error("bad flag"); process.exit(3);');
    await expect(firstLine(child, () => undefined, 10_000)).rejects.toThrow(
      /exited before printing the line awaited; it printed:\nbad flag/,
    );
  });

  it("ends a child that does not stop when asked, and fails saying so", async () => {
    const child = node('process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000);');
    await firstLine(child, (line) => (line === "up" ? true : undefined));
    child.kill("SIGTERM");
    await expect(endWithin(child, 500)).rejects.toThrow(/did not end within 500 ms; killed it/);
    expect((await child).signal).toBe("SIGKILL");
  });

  it("returns the result of a child that ends in time", async () => {
    const child = node("process.exit(0)");
    expect((await endWithin(child, 10_000)).exitCode).toBe(0);
  });
});
