#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { addServeCommand } from './serve.js';
import { addRenderCommand } from './render.js';
import { addMirrorCommand } from './mirror.js';
import { addImportCommand } from './import.js';
import { addCheckConfigCommand } from './check-config.js';
import { UsageError } from '../usage-error.js';

/** Usage errors exit with 2 and one line; anything else unexpected exits 1 with its message. */
export function fail(err: unknown): never {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  if (err instanceof UsageError) {
    process.stderr.write(`gopherpress: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`gopherpress: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

/**
 * A commander error as one line: its "(Did you mean --port?)" comes on a line of its own, which
 * keeping only the first line would drop.
 */
const oneLineErrors = { outputError: (str: string, write: (s: string) => void): void => write(str.trim().replace(/\s*\n\s*/g, ' ') + '\n') };

export function buildProgram(): Command {
  const program = new Command('gopherpress')
    .description('A gopher server (RFC 1436) that republishes a news archive')
    .version(VERSION)
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput(oneLineErrors);
  addServeCommand(program);
  addRenderCommand(program);
  addMirrorCommand(program);
  addImportCommand(program);
  addCheckConfigCommand(program);
  for (const c of program.commands) c.exitOverride().configureOutput(oneLineErrors);
  return program;
}

buildProgram().parseAsync(process.argv).catch(fail);
