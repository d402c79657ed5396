import type { Archive } from '../archive/archive.js';

export interface Upstream {
  readonly host: string;
  readonly port: number;
}

/** Everything a menu builder may read: the archive state and the operator's settings. */
export interface MenuContext {
  readonly archive: Archive;
  readonly upstream: Upstream;
  readonly backlinks: boolean;
  readonly charset: string;
  readonly serverName: string;
  readonly version: string;
}
