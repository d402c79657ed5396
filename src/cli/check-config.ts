import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';
import { configFileValues, readConfigJson } from './config-file.js';
import { TlsCerts } from '../server/tls.js';
import { checkUserGroup } from '../ops/privileges.js';

/**
 * `gopherpress check-config [file]`: read the file as `serve --config` would and check what can be
 * checked without starting: known keys, valid values, the content folder, the TLS files, the user.
 * Prints the settings and exits 0, or prints every problem and exits 2.
 */
export function addCheckConfigCommand(program: Command): void {
  program
    .command('check-config')
    .description('check a config file for `serve --config` without starting the server')
    .argument('[file]', 'the JSON config file', 'gopherpress.json')
    .action((file: string) => {
      const serve = program.commands.find((c) => c.name() === 'serve');
      if (!serve) throw new Error('no serve command');
      const { values, problems } = configFileValues(serve, readConfigJson(file));
      const problem = [...problems];
      const get = (k: string): unknown => values.get(k);
      const content = (get('content') as string | undefined) ?? (serve.options.find((o) => o.attributeName() === 'content')?.defaultValue as string);
      try {
        if (!statSync(content).isDirectory()) problem.push(`content ${content} is not a folder`);
      } catch {
        problem.push(`content folder ${content} not found`);
      }
      const cert = get('tlsCert') as string | undefined;
      const key = get('tlsKey') as string | undefined;
      if ((cert === undefined) !== (key === undefined)) problem.push('TLS needs both tlsCert and tlsKey');
      else if (cert !== undefined && key !== undefined) {
        try {
          TlsCerts.read(cert, key);
        } catch (err) {
          problem.push((err as Error).message);
        }
      }
      const who = checkUserGroup(get('user') as string | undefined, get('group') as string | undefined);
      if (who) problem.push(who);
      if (problem.length > 0) throw new UsageError(`${file}: ${problem.join('; ')}`);
      process.stdout.write(`${file}: ok\n`);
      for (const [k, v] of values) process.stdout.write(`  ${k} = ${JSON.stringify(v)}\n`);
    });
}
