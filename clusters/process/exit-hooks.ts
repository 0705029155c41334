/**
 * Synchronous clean-up that must run however the controller ends: a normal exit,
 * an uncaught error, or SIGINT/SIGTERM/SIGHUP. Network namespaces and spawned
 * servers outlive the controller otherwise (a namespace is a kernel object, an
 * etcd process is not our child once we are gone).
 *
 * Hooks are synchronous because the "exit" event allows nothing else. Code that
 * needs to clean up on a signal registers a hook here rather than listening to
 * the signal itself (see onSignal for why).
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
  // This is the controller's signal policy: clean up, then end by the same signal.
  // Listening disables Node's default, so step aside and raise it again. Deferring
  // to other listeners instead deadlocks with signal-exit (execa's clean-up), which
  // itself defers to everyone else; with us gone it sees only its own and exits.
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  installed = false;
  process.kill(process.pid, signal);
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
