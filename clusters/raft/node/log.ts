/** One line per event on stderr; whoever spawns the node decides where stderr goes. */
export type Logger = (level: "info" | "warn" | "error", message: string) => void;

export function createLogger(nodeId: string): Logger {
  return (level, message) => {
    process.stderr.write(`${new Date().toISOString()} ${nodeId} ${level} ${message}\n`);
  };
}
