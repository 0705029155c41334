import { afterEach, describe, expect, it, vi } from "vitest";
import { EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_INTERNAL, EXIT_INVALID, EnvironmentError } from "../exit.js";
import { InputError } from "../history/input-error.js";
import { action } from "./action.js";

/** Runs `fn` as a command action; returns the exit code it set and what it wrote to stderr. */
async function outcome(fn: () => Promise<number>): Promise<{ code: number | string | undefined; err: string }> {
  let err = "";
  const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
  try {
    await action(fn)();
    return { code: process.exitCode, err };
  } finally {
    write.mockRestore();
    process.exitCode = undefined;
  }
}

describe("a command's exit code names what went wrong", () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it("passes the action's own code through", async () => {
    expect((await outcome(async () => EXIT_INVALID)).code).toBe(EXIT_INVALID);
  });

  it("input error: 2, the message alone", async () => {
    const r = await outcome(async () => {
      throw new InputError('line 3, field "f": not a string');
    });
    expect(r).toEqual({ code: EXIT_INPUT, err: 'tob: line 3, field "f": not a string\n' });
  });

  it("environment (a cluster that did not start): 5, never 2", async () => {
    const r = await outcome(async () => {
      throw new EnvironmentError("the raft cluster did not start: n1 exited");
    });
    expect(r).toEqual({ code: EXIT_ENVIRONMENT, err: "tob: the raft cluster did not start: n1 exited\n" });
    expect(EXIT_ENVIRONMENT).not.toBe(EXIT_INPUT);
  });

  it("anything else is an internal error: 4, said so, no stack trace", async () => {
    const r = await outcome(async () => {
      throw new TypeError("x is undefined");
    });
    expect(r.code).toBe(EXIT_INTERNAL);
    expect(r.err).toBe("tob: internal error: x is undefined\n");
  });
});
