/** The first fd systemd passes (SD_LISTEN_FDS_START in sd_listen_fds(3)). */
const SD_LISTEN_FDS_START = 3;

/**
 * The listening socket systemd handed over (gopherpress.socket), or undefined when not socket-activated.
 * LISTEN_PID must be this process: the variables are inherited, and a child must not take the socket.
 * The variables are removed afterwards for the same reason, as sd_listen_fds(3) does.
 */
export function systemdListenFd(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number | undefined {
  const fds = Number(env.LISTEN_FDS ?? '0');
  const forUs = env.LISTEN_PID !== undefined && Number(env.LISTEN_PID) === pid;
  delete env.LISTEN_FDS;
  delete env.LISTEN_PID;
  delete env.LISTEN_FDNAMES;
  return forUs && fds >= 1 ? SD_LISTEN_FDS_START : undefined;
}
