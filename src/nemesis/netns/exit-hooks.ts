/**
 * Synchronous clean-up that must run however the controller ends: a normal exit,
 * an uncaught error, or SIGINT/SIGTERM/SIGHUP. Network namespaces and spawned
 * servers outlive the controller otherwise (a namespace is a kernel object, an
 * etcd process is not our child once we are gone).
 *
 * Hooks are synchronous because the "exit" event allows nothing else.
 */

type Hook = () => void;

const hooks = new Set<Hook>();
let installed = false;

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function runAll(): void {
  for (const hook of [...hooks]) {
    hooks.delete(hook);
    try {
      hook();
    } catch (error) {
      // At exit there is no caller left to tell; stderr is the last witness.
      process.stderr.write(`tob: clean-up at exit failed: ${String(error)}\n`);
    }
  }
}

function onSignal(signal: (typeof SIGNALS)[number]): void {
  runAll();
  // With a listener installed Node no longer dies on the signal. If ours is the
  // only one, restore the default and raise the signal again so the process ends
  // as it would have; if others listen, they decide.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runAll);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

/** Registers `hook` to run once at process exit; returns the function that unregisters it. */
export function onProcessExit(hook: Hook): () => void {
  install();
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}
