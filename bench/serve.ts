/**
 * Bench-only launcher for a build whose CLI has no `--max-connections-per-ip`: the load generator
 * opens 256 connections from 127.0.0.1, more than the default per-address limit of 64. It raises the
 * default, then runs the real CLI (cluster workers re-run this file, so they get it too).
 */
import { DEFAULT_LIMITS } from '../src/server/limits.js';

Object.assign(DEFAULT_LIMITS, { maxConnectionsPerIp: 100_000 });
await import('../src/cli/main.js');
