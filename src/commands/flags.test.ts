import { describe, expect, it } from "vitest";
import { InputError } from "../history/input-error.js";
import { choiceList, finiteNumber, integerIn, integerList, numberIn, positiveNumber } from "./flags.js";

describe("flag parsers", () => {
  it("return the value inside the range", () => {
    expect(numberIn("--rate", "2.5", 0, 10)).toBe(2.5);
    expect(integerIn("--nodes", "5", 1, 15)).toBe(5);
    expect(integerList("--connections", "1, 16,64", 1, 1024)).toEqual([1, 16, 64]);
    expect(choiceList("--ops", "put,read", ["put", "read", "broadcast"] as const)).toEqual(["put", "read"]);
    expect(positiveNumber("--duration", "0.5", 600)).toBe(0.5);
    expect(finiteNumber("--time", "-3")).toBe(-3);
  });

  it("refuse the rest with an input error naming the flag, the range and the text", () => {
    expect(() => numberIn("--rate", "", 0, 10)).toThrow(InputError);
    expect(() => numberIn("--rate", "11", 0, 10)).toThrow('--rate must be a number from 0 to 10, got "11"');
    expect(() => integerIn("--nodes", "2.5", 1, 15)).toThrow('--nodes must be an integer from 1 to 15, got "2.5"');
    expect(() => integerList("--connections", "1,x", 1, 1024)).toThrow('--connections must be an integer from 1 to 1024, got "x"');
    expect(() => choiceList("--ops", "put,cas", ["put", "read"])).toThrow('--ops: unknown "cas"; choose from put, read');
    expect(() => positiveNumber("--duration", "0", 600)).toThrow('--duration must be a number above 0 and at most 600, got "0"');
    expect(() => finiteNumber("--time", "soon")).toThrow('--time must be a number, got "soon"');
  });
});
