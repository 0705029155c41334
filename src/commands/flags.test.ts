import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import {
  checkedBy,
  choiceList,
  countOrPerNode,
  integerIn,
  integerList,
  json,
  nemesisList,
  numberIn,
  oneOf,
  positiveNumber,
  repeated,
  sizeBytes,
} from "./flags.js";

describe("flag parsers", () => {
  it("return the value inside the range", () => {
    expect(numberIn(0, 10)("2.5", 0)).toBe(2.5);
    expect(integerIn(1, 15)("5", 0)).toBe(5);
    expect(integerList(1, 1024)("1, 16,64", [])).toEqual([1, 16, 64]);
    expect(choiceList(["put", "read", "broadcast"] as const)("put,read", [])).toEqual(["put", "read"]);
    expect(positiveNumber(600)("0.5", 0)).toBe(0.5);
    expect(repeated(oneOf(["a", "b"]))("b", ["a"])).toEqual(["a", "b"]);
    expect(sizeBytes("32m", 0)).toBe(32 * 1024 ** 2);
    expect(sizeBytes("512KiB", 0)).toBe(512 * 1024);
    expect(json('{"x":0}', null)).toEqual({ x: 0 });
    expect(countOrPerNode(1000)("2n", { count: 1, perNode: false })).toEqual({ count: 2, perNode: true });
    expect(countOrPerNode(1000)("7", { count: 1, perNode: false })).toEqual({ count: 7, perNode: false });
    expect(nemesisList("kill, delay+pause-leader", [])).toEqual(["kill", "delay+pause-leader"]);
    expect(nemesisList("none", ["kill"])).toEqual([]);
  });

  it("refuse the rest with commander's InvalidArgumentError saying what was expected", () => {
    const cases: [() => unknown, string][] = [
      [() => numberIn(0, 10)("", 0), "Expected a number from 0 to 10."],
      [() => numberIn(0, 10)("11", 0), "Expected a number from 0 to 10."],
      [() => numberIn(0, 10)("NaN", 0), "Expected a number from 0 to 10."],
      [() => integerIn(1, 15)("2.5", 0), "Expected an integer from 1 to 15."],
      [() => integerIn(1, 15)("0x10", 0), "Expected an integer from 1 to 15."],
      [() => integerList(1, 1024)("1,x", []), 'Expected comma-separated integers from 1 to 1024; "x" is not one.'],
      [() => integerList(1, 9, 2)("1,2,3", []), "Expected at most 2 comma-separated integers."],
      [() => choiceList(["put", "read"])("put,cas", []), '"cas" is not one of put, read.'],
      [() => positiveNumber(600)("0", 0), "Expected a number above 0 and at most 600."],
      [() => positiveNumber(600)("Infinity", 0), "Expected a number above 0 and at most 600."],
      [() => oneOf(["a", "b"])("c"), "Allowed choices are a, b."],
      [() => sizeBytes("0", 0), "Expected a size of at least 1 byte"],
      [() => sizeBytes("12q", 0), "Expected a size of at least 1 byte"],
      [() => json("{x:0}", null), "Expected JSON"],
      [() => countOrPerNode(1000)("lots", { count: 1, perNode: false }), "Expected an integer from 1 to 1000, or Nn"],
      [() => countOrPerNode(1000)("1.5", { count: 1, perNode: false }), "Expected an integer from 1 to 1000, or Nn"],
      [() => nemesisList("kill,sneeze", []), '"sneeze" is not known; valid: none, '],
      [() => nemesisList("delay+partition", []), "a composite may hold one network fault at most"],
      [() => checkedBy(JSON.parse)("{", null), "JSON"],
    ];
    for (const [parse, message] of cases) {
      expect(parse).toThrow(InvalidArgumentError);
      expect(parse).toThrow(message);
    }
  });
});
