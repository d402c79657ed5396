import v8 from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent.
 * V8 picks the factor itself (up to 4×) from how fast it collects. Serving allocates little that lives,
 * yet Node's sockets survive a few scavenges each, so under a crowd of connections the old generation
 * fills with dead sockets until the next full collection: with 120 MB of archive kept, the default
 * let RSS climb from 325 MB to ~500 MB at 256 connections. At 30 % the next full collection
 * comes after ~40 MB; its marking runs concurrently, a few times a second under full load.
 */
export const HEAP_GROWING_PERCENT = 30;

/** Set once start-up is over (the parse wants the default: fewer collections while it allocates). */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
