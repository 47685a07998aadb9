// `prestasync start`: the drop folder watched (chokidar), the SFTP inbound folder polled, the schedules
// run (croner). Everything goes through one serial queue, so two runs of a pipeline never overlap
// in this process; the atomic claim keeps other processes out.
import chokidar, { type FSWatcher } from 'chokidar';
import { Cron } from 'croner';
import path from 'node:path';
import type { Engine } from './engine.ts';
import { ConfigError, errorMessage } from './errors.ts';
import { isIgnoredName, WORK_DIR } from './intake/drop-folder.ts';
import type { ScheduleName } from './pipeline.ts';

type Task = { key: string; run: () => Promise<unknown> };

export class Service {
  private watcher?: FSWatcher;
  private crons: Cron[] = [];
  private poller?: NodeJS.Timeout;
  private readonly queue: Task[] = [];
  private running?: Promise<void>;
  private current?: string;
  private resolveStopped!: () => void;
  readonly stopped = new Promise<void>((r) => { this.resolveStopped = r; });

  constructor(private readonly engine: Engine) {}

  async start(): Promise<void> {
    const { config, log } = this.engine;
    const drop = config.paths.drop;
    this.watcher = chokidar.watch(drop, {
      depth: 1,
      ignoreInitial: false,
      ignored: (p: string) => p !== drop && (isIgnoredName(path.basename(p)) || p.includes(`${path.sep}${WORK_DIR}`)),
      awaitWriteFinish: { stabilityThreshold: config.intake.minAgeMs, pollInterval: 250 },
    });
    this.watcher.on('add', () => this.enqueue({ key: 'drop', run: () => this.engine.runOnce({ trigger: 'watch', pullSftp: false }) }));
    this.watcher.on('error', (err) => log.error(`surveillance du dossier de dépôt : ${errorMessage(err)}`));

    if (config.sftp) {
      const poll = () => this.enqueue({ key: 'sftp', run: () => this.engine.runOnce({ trigger: 'sftp-poll' }) });
      this.poller = setInterval(poll, config.sftp.pollSeconds * 1000);
      poll();
    }
    for (const [name, expr] of Object.entries(config.schedules) as Array<[ScheduleName, string]>) {
      this.crons.push(new Cron(expr, { protect: true, name }, () => this.runSchedule(name)));
    }
    // Files left claimed by a process that died are picked up at once.
    this.enqueue({ key: 'drop', run: () => this.engine.runOnce({ trigger: 'startup', pullSftp: false }) });
    log.info(`prestasync démarré : surveille ${drop}${config.sftp ? `, relève sftp://${config.sftp.host}${config.sftp.inbound}` : ''} ; planifications ${Object.entries(config.schedules).map(([k, v]) => `${k} « ${v} »`).join(', ')}`);
  }

  runSchedule(schedule: ScheduleName): void {
    for (const p of this.engine.opts.pipelines.filter((x) => x.schedule === schedule)) {
      // A flow this installation cannot use (orders with the generic profile) is not scheduled: the
      // configuration error it would raise must not stop the flows that do apply.
      const why = p.kind === 'shop' ? p.notApplicable?.(this.engine.config) : undefined;
      if (why) {
        this.engine.log.debug(`schedule ${schedule}: ${p.name} skipped (${why})`);
        continue;
      }
      this.enqueue({ key: `pipeline:${p.name}`, run: () => this.engine.runOnce({ pipeline: p.name, trigger: `schedule:${schedule}` }) });
    }
  }

  /** A task whose key is already waiting is not queued twice: the waiting one will see the new files. */
  enqueue(task: Task): void {
    if (this.engine.stop.stopped || this.queue.some((t) => t.key === task.key)) return;
    this.queue.push(task);
    if (!this.running) this.running = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.engine.stop.stopped) {
      const task = this.queue.shift()!;
      this.current = task.key;
      try {
        await task.run();
      } catch (err) {
        this.engine.log.error(`${task.key}: ${errorMessage(err)}`);
        if (err instanceof ConfigError) {
          // Nothing will work until the configuration is fixed: stop rather than fail every minute.
          void this.stop();
        }
      } finally {
        this.current = undefined;
      }
    }
    this.running = undefined;
  }

  /** The keys of the task running and of those waiting (the dashboard shows them « en cours »). */
  pending(): string[] {
    return [...(this.current ? [this.current] : []), ...this.queue.map((t) => t.key)];
  }

  async stop(): Promise<void> {
    this.engine.requestStop();
    for (const c of this.crons) c.stop();
    if (this.poller) clearInterval(this.poller);
    await this.watcher?.close();
    await this.running;
    this.engine.log.info('prestasync arrêté');
    this.resolveStopped();
  }
}
