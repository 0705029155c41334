/**
 * An error in what the user gave us (a flag, a file, a line, a field). The CLI
 * prints its message without a stack trace and exits with EXIT_INPUT (src/exit.ts).
 * It lives with the history types so that checkers, which import nothing but
 * those, can raise it too.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}
