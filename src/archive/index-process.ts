import { fork, type ChildProcess } from 'node:child_process';

/**
 * The processes of the index (a cold start's scan, the full-text pass) and the server that starts
 * them: a job as the one argument, messages over the IPC channel, stdout and stderr the server's.
 * Processes, not threads, so that all they used goes back to the system when they exit.
 */
export function startIndexProcess(module: URL, job: object): ChildProcess {
  return fork(module, [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/**
 * In an index process: its job, and its link to the server. It exits when the server is gone (no one
 * would use what it writes) and leaves a reload signal to the server, should one reach the whole group.
 */
export function linkToServer<Job, Message>(): { job: Job; send: (m: Message) => Promise<void>; end: () => void } {
  const orphaned = (): never => process.exit(1);
  // The listener also keeps the channel, and so this process, alive while its work waits on threads
  // that are unref'd (read-thread.ts): without it the process would end mid-work.
  process.once('disconnect', orphaned);
  // Gone already while this process's modules loaded: the event came before anyone listened.
  if (!process.connected) orphaned();
  process.on('SIGHUP', () => {});
  return {
    job: JSON.parse(process.argv[2]!) as Job,
    // A send that fails finds the server gone, as `disconnect` would a moment later.
    send: (m) => new Promise((resolve) => process.send!(m, (err: Error | null) => (err ? orphaned() : resolve()))),
    end: () => {
      process.off('disconnect', orphaned);
      process.disconnect();
    },
  };
}
