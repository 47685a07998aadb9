// `prestasync` command line. Exit codes: 0 done (record rejects allowed), 1 a file quarantined or left
// for later, 2 configuration error (the message says what to fix).
import { Command, Option } from 'commander';
import { ConfigError, errorMessage } from '../errors.ts';

// Each command loads its modules when it runs: `--help` and a mistyped option answer at once, without
// loading SQLite, the logger, the sandbox or the ERP readers (issue #6: the CLI starts in ≤ 0.3 s).
const commands = () => import('./commands.ts');

const program = new Command()
  .name('prestasync')
  .description('Synchronise un ERP (Sage 100, EBP, Divalto) et une boutique PrestaShop par fichiers.')
  .option('-c, --config <file>', 'configuration file (else $PRESTASYNC_CONFIG, else config/prestasync.yaml)')
  .showHelpAfterError();

program.command('start')
  .description('watch the drop folder, poll SFTP and run the schedules until stopped (SIGTERM finishes the current record)')
  .action(async () => (await commands()).startCommand(program.opts()));

program.command('run')
  .description('manual sync: pull SFTP once, process what is in the drop folder, exit')
  .option('-p, --pipeline <name>', 'only this pipeline')
  .option('-f, --file <path>', 'only this file')
  .option('--dry-run', 'record the writes that would be made, make none, leave the files in place')
  .action(async (o: { pipeline?: string; file?: string; dryRun?: boolean }) => (await commands()).runCommand(program.opts(), o));

program.command('orders')
  .description("export the shop's new orders as ERP import files (outbox, then SFTP), exactly once")
  .action(async () => (await commands()).runCommand(program.opts(), { pipeline: 'orders' }));

program.command('status')
  .description('the last runs and their counts')
  .option('--json', 'machine-readable output')
  .addOption(new Option('-n, --limit <n>', 'how many runs').default('10'))
  .action(async (o: { json?: boolean; limit: string }) => (await commands()).statusCommand(program.opts(), o));

program.command('check')
  .description('before the first sync: folders, shop version and languages, key permissions per flow, SFTP host key and folders')
  .action(async () => (await commands()).checkCommand(program.opts()));

program.command('demo')
  .description('start the sandbox shop, process the sample ERP files in config/samples/, export two orders, print what happened')
  .option('--erp <profile>', 'sage100 | ebp | divalto', 'sage100')
  .action(async (o: { erp: string }) => (await import('./demo.ts')).demoCommand(o));

program.command('sandbox')
  .description('serve the sandbox PrestaShop shop on 127.0.0.1 until stopped')
  .option('--port <n>', 'port', '8080')
  .option('--key <key>', 'webservice key (32 characters)')
  .option('--empty', 'without the demo catalogue (the articles of config/samples/)')
  .action(async (o: { port: string; key?: string; empty?: boolean }) => (await import('./sandbox.ts')).sandboxCommand(o));

program.parseAsync(process.argv).then(
  () => exitSoon(),
  (err: unknown) => {
    exitSoon();
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`prestasync: ${errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);

/** Once a command is over (`start` and `sandbox` only end when stopped), let logs flush, then exit even
 *  if a library left a handle open. */
function exitSoon(): void {
  setTimeout(() => process.exit(), 1500).unref();
}
