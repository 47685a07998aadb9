// `prestasync` command line. Exit codes: 0 done (record rejects allowed), 1 a file quarantined or left
// for later, 2 configuration error (the message says what to fix).
import { Command, Option } from 'commander';
import { ConfigError, errorMessage } from '../errors.ts';
import { inFrench } from './french.ts';

// Each command loads its modules when it runs: `--help` and a mistyped option answer at once, without
// loading SQLite, the logger, the sandbox or the ERP readers (issue #6: the CLI starts in ≤ 0.3 s).
const commands = () => import('./commands.ts');

const program = inFrench(new Command())
  .name('prestasync')
  .description('Synchronise un ERP (Sage 100, EBP, Divalto) et une boutique PrestaShop par fichiers.')
  .option('-c, --config <fichier>', 'fichier de configuration (sinon $PRESTASYNC_CONFIG, sinon config/prestasync.yaml)')
  .showHelpAfterError();

program.command('start')
  .description('surveille le dossier de dépôt, interroge le SFTP et exécute les planifications jusqu’à l’arrêt (SIGTERM termine l’enregistrement en cours)')
  .action(async () => (await commands()).startCommand(program.opts()));

program.command('run')
  .description('synchronisation manuelle : récupère le SFTP une fois, traite ce qui est dans le dossier de dépôt, puis s’arrête (SIGTERM ou Ctrl+C : termine les requêtes en cours, puis s’arrête)')
  .option('-p, --pipeline <flux>', 'seulement ce flux')
  .option('-f, --file <chemin>', 'seulement ce fichier')
  .option('--dry-run', 'noter les écritures qui seraient faites, n’en faire aucune, laisser les fichiers en place')
  .action(async (o: { pipeline?: string; file?: string; dryRun?: boolean }) => (await commands()).runCommand(program.opts(), o));

program.command('orders')
  .description('exporte les nouvelles commandes de la boutique en fichiers d’import pour l’ERP (outbox, puis SFTP), une seule fois chacune')
  .action(async () => (await commands()).runCommand(program.opts(), { pipeline: 'orders' }));

program.command('replay')
  .description('rejoue un fichier archivé ou en quarantaine par son flux (les enregistrements inchangés ne font aucune écriture ; nouveau rapport lié à l’original)')
  .argument('<fichier>', 'numéro du fichier (voir « status ») ou chemin du fichier archivé')
  .option('--dry-run', 'noter les écritures qui seraient faites, n’en faire aucune')
  .action(async (file: string, o: { dryRun?: boolean }) => (await commands()).runCommand(program.opts(), { replay: file, dryRun: o.dryRun ?? false }));

program.command('hash-password')
  .description('imprime l’empreinte (scrypt) d’un mot de passe pour dashboard.passwordHash ; le mot de passe est lu au clavier sans écho, ou sur l’entrée standard')
  .action(async () => (await commands()).hashPasswordCommand());

program.command('status')
  .description('les dernières exécutions et leurs comptes (sans contacter la boutique)')
  .option('--json', 'sortie JSON, pour un programme')
  .addOption(new Option('-n, --limit <n>', 'combien d’exécutions').default('10'))
  .action(async (o: { json?: boolean; limit: string }) => (await commands()).statusCommand(program.opts(), o));

program.command('check')
  .description('avant la première synchronisation : dossiers, version et langues de la boutique, droits de la clé par flux, clé d’hôte et dossiers SFTP')
  .action(async () => (await commands()).checkCommand(program.opts()));

program.command('demo')
  .description('démarre la boutique bac à sable, traite les fichiers ERP d’exemple de config/samples/, exporte deux commandes, suit leur traitement par l’ERP (états, n° de suivi, facture) et montre ce qui s’est passé')
  .option('--erp <profil>', 'sage100 | ebp | divalto', 'sage100')
  .action(async (o: { erp: string }) => (await import('./demo.ts')).demoCommand(o));

program.command('sandbox')
  .description('sert la boutique PrestaShop bac à sable sur 127.0.0.1 jusqu’à l’arrêt')
  .option('--port <n>', 'port d’écoute', '8080')
  .option('--key <clé>', 'clé du webservice (32 caractères)')
  .option('--empty', 'sans le catalogue de démonstration (les articles de config/samples/)')
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
    process.stderr.write(`prestasync : ${errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);

/** Once a command is over (`start` and `sandbox` only end when stopped), let logs flush, then exit even
 *  if a library left a handle open. */
function exitSoon(): void {
  setTimeout(() => process.exit(), 1500).unref();
}
