/**
 * How a long-running command (import, mirror) stops: the first Ctrl-C or a SIGTERM aborts the signal,
 * so the run ends cleanly and keeps its state for the next; a second Ctrl-C exits at once (130).
 */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  process.once('SIGTERM', () => controller.abort());
  return controller.signal;
}
