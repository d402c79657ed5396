/** A mistake of the user's (a bad option, a missing folder): one line on stderr, exit code 2 (cli/main.ts). */
export class UsageError extends Error {}
