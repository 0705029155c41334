/**
 * The example system (examples/primary-backup/pbkv.py, Python standard
 * library) run by `tob run --cluster command`: its async mode acknowledges
 * writes before the backups have them, so a leader kill loses claims and tob
 * says INVALID; its sync mode, the same program, is judged valid under the
 * same faults.
 */
import { execa } from "execa";
import { afterAll, expect } from "vitest";
import { PACKAGE_ROOT } from "../../src/paths.js";
import { describeWith, itWith, part } from "../support/real.js";
import { latestResults, processesMentioning, removeOutputs, tobRun } from "./support.js";

const python = await execa("python3", ["--version"], { reject: false });
const pythonPart = part("python3", python.exitCode === 0 ? null : "python3 is not on PATH (apt-get install python3)");

const template = (mode: string) =>
  `python3 ${PACKAGE_ROOT}/examples/primary-backup/pbkv.py --id {id} --host {host} --http {http_port} --peer {peer_port} --peers {peers} --data {data_dir} --mode ${mode}`;
const RUN = [
  "--workload",
  "unique",
  "--nemesis",
  "kill-leader",
  "--time",
  "8",
  "--recovery",
  "3",
  "--nemesis-interval",
  "3",
  "--nemesis-duration",
  "2",
  "--seed",
  "1",
];

describeWith([pythonPart], "the example primary-backup system", () => {
  afterAll(removeOutputs);

  itWith(
    [pythonPart],
    "async replication loses acknowledged claims when the leader is killed: INVALID, exit 1",
    async () => {
      const r = await tobRun(["--node-cmd", template("async"), ...RUN]);
      expect(r.stdout).toContain("verdict: INVALID");
      expect(r.exitCode).toBe(1);
      const results = latestResults(r.out).results;
      expect(results.uniqueness?.valid).toBe(false);
      expect(await processesMentioning(r.out)).toEqual([]);
    },
    120_000,
  );

  itWith(
    [pythonPart],
    "sync replication, the same program, under the same faults: VALID, exit 0",
    async () => {
      const r = await tobRun(["--node-cmd", template("sync"), ...RUN]);
      expect(r.stdout).toContain("verdict: VALID");
      expect(r.exitCode).toBe(0);
      expect(await processesMentioning(r.out)).toEqual([]);
    },
    120_000,
  );
});
