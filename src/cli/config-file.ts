import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { UsageError } from '../usage-error.js';

/**
 * gopherpress.json mirrors the flags of `serve`: each key is a flag's long name in camelCase
 * (`--max-connections` → `maxConnections`, `--no-watch` → `"watch": false`), each value what the flag
 * takes. It is read through the command's own option table, so every flag, whoever adds it, works
 * here with the same parser and the same error. Flags given on the command line win.
 */

/** Keys that make no sense in the file itself. */
const NOT_IN_FILE = new Set(['config', 'help', 'version']);

export interface ConfigFileValues {
  readonly values: ReadonlyMap<string, unknown>;
  readonly problems: readonly string[];
}

export function readConfigJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file ${file} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`config file ${file} must hold one JSON object`);
  return json as Record<string, unknown>;
}

/** The options of `cmd` by the key they have in the file; a negatable flag and its positive share one key. */
function optionsByKey(cmd: Command): Map<string, Option[]> {
  const byKey = new Map<string, Option[]>();
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (NOT_IN_FILE.has(key)) continue;
    byKey.set(key, [...(byKey.get(key) ?? []), o]);
  }
  return byKey;
}

/** Check and convert every key of the file; problems name the key and say what was expected. */
export function configFileValues(cmd: Command, json: Record<string, unknown>): ConfigFileValues {
  const byKey = optionsByKey(cmd);
  const values = new Map<string, unknown>();
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(json)) {
    const opts = byKey.get(key);
    if (!opts) {
      problems.push(`unknown setting "${key}" (known: ${[...byKey.keys()].sort().join(', ')})`);
      continue;
    }
    const takesValue = opts.find((o) => o.required || o.optional);
    if (!takesValue) {
      if (typeof raw !== 'boolean') problems.push(`"${key}" must be true or false`);
      else values.set(key, raw);
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      problems.push(`"${key}" must be a string or a number (as for ${takesValue.long})`);
      continue;
    }
    try {
      values.set(key, takesValue.parseArg ? takesValue.parseArg(String(raw), takesValue.defaultValue) : String(raw));
    } catch (err) {
      problems.push(`"${key}": ${(err as Error).message} (as for ${takesValue.long})`);
    }
  }
  return { values, problems };
}

/**
 * Merge the file into `cmd`'s option values under the command line: a value from the file replaces a
 * default or an earlier file's value, never a flag typed by the user. Throws a UsageError (exit 2).
 */
export function applyConfigFile(cmd: Command, file: string): void {
  const { values, problems } = configFileValues(cmd, readConfigJson(file));
  if (problems.length > 0) throw new UsageError(`${file}: ${problems.join('; ')}`);
  // A reload starts again from the defaults for everything the previous file set.
  for (const o of cmd.options) {
    const key = o.attributeName();
    if (cmd.getOptionValueSource(key) === 'config' && !values.has(key)) {
      const negated = cmd.options.find((x) => x.attributeName() === key && x.negate);
      cmd.setOptionValueWithSource(key, o.defaultValue ?? (negated ? true : undefined), 'default');
    }
  }
  for (const [key, v] of values) {
    if (cmd.getOptionValueSource(key) !== 'cli') cmd.setOptionValueWithSource(key, v, 'config');
  }
}
