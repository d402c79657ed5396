/**
 * Poll `probe` until it returns true, at most until `deadlineMs` has passed; resolves with the time it
 * took, or rejects naming what never happened. Every probe is awaited, so a slow client slows the loop,
 * not the test's verdict.
 */
export async function within(deadlineMs: number, what: string, probe: () => Promise<boolean>, everyMs = 20): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; ; i++) {
    if (await probe()) return performance.now() - t0;
    const spent = performance.now() - t0;
    if (spent > deadlineMs || i > 100_000) throw new Error(`not within ${deadlineMs} ms (${spent.toFixed(0)} ms): ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
