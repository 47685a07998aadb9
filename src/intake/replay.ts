// « Rejouer » (issue 12): an archived or quarantined file goes through its pipeline again. The archive
// is never touched: a copy is claimed into drop/.work/ like a dropped file, with the original's journal
// id in its work name, so a replay resumed after a kill -9 is still a replay — and is not refused as a
// duplicate of the very file it replays (the sha check of process-file.ts). Unchanged records make no
// write (fingerprints); the replay gets its own report, which names the original.
import { constants as fsc, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import type { FileRow, StateStore } from '../state/store.ts';
import { archiveName } from './archive.ts';
import { WORK_DIR, type Claimed } from './drop-folder.ts';

/** In a work name (`<stamp>.rejeu<id>--<name>`): the journal id of the file replayed. */
const REPLAY_MARK = /^[0-9a-z]+\.rejeu(\d+)--/;

/** The journal id of the original when this work path is a replay's copy. */
export function replayOfWorkPath(workPath: string): number | undefined {
  const m = REPLAY_MARK.exec(path.basename(workPath));
  return m ? Number(m[1]) : undefined;
}

/** What the report of a replay says about the file it replays. */
export interface ReplayLink { id: number; file: string; archive: string | null }

export function replayLink(state: StateStore, id: number): ReplayLink | undefined {
  const row = state.fileById(id);
  return row ? { id: row.id, file: row.name, archive: row.archive_path } : undefined;
}

/** A file of the journal by its id (« 12 », « #12 ») or by the path of its archived copy. */
export function findArchivedFile(state: StateStore, ref: string | number): FileRow {
  const text = String(ref).trim();
  const asId = /^#?\d+$/.test(text) ? Number(text.replace('#', '')) : undefined;
  const row = asId !== undefined
    ? state.fileById(asId)
    : state.sql.prepare<[string], FileRow>('SELECT * FROM files WHERE archive_path = ? ORDER BY id DESC LIMIT 1').get(path.resolve(text))
      ?? state.sql.prepare<[string], FileRow>('SELECT * FROM files WHERE archive_path = ? ORDER BY id DESC LIMIT 1').get(text);
  if (!row) throw new ConfigError([`rejouer ${text} : fichier inconnu du journal (donnez son numéro, voir « prestasync status », ou le chemin du fichier archivé)`]);
  if (!row.archive_path || !['done', 'partial', 'duplicate', 'quarantined'].includes(row.status)) {
    throw new ConfigError([`rejouer ${text} : le fichier « ${row.name} » n'est ni archivé ni en quarantaine (statut ${row.status}) : il sera repris par le prochain passage`]);
  }
  return row;
}

/** The flow it went through, as if dropped in drop/<flow>/. A quarantined file (flow unknown or refused)
 *  and a multi-flow document are routed again from their name and content, as when they were dropped. */
export function replayFolder(row: FileRow, pipelines: readonly string[]): string | undefined {
  return row.pipeline && pipelines.includes(row.pipeline) ? row.pipeline : undefined;
}

/** Copies the archived file into the work folder (temporary name, then rename: never half a file there). */
export async function claimReplay(dropDir: string, row: FileRow, pipelines: readonly string[]): Promise<Claimed> {
  const archived = row.archive_path!;
  const st = await fs.lstat(archived).catch(() => undefined);
  if (!st?.isFile()) throw new ConfigError([`rejouer « ${row.name} » : le fichier archivé ${archived} est introuvable ou n'est pas un fichier ordinaire`]);
  const folder = replayFolder(row, pipelines);
  const dir = path.join(dropDir, WORK_DIR, folder ?? '_');
  await fs.mkdir(dir, { recursive: true });
  const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}.rejeu${row.id}`;
  const workPath = path.join(dir, `${stamp}--${archiveName(row.name, 240 - stamp.length)}`);
  const tmp = path.join(dir, `.${stamp}.tmp`);
  await fs.copyFile(archived, tmp, fsc.COPYFILE_EXCL);
  const fh = await fs.open(tmp, 'r+');
  await fh.sync();
  await fh.close();
  await fs.rename(tmp, workPath);
  return { workPath, name: row.name, ...(folder ? { folder } : {}), origin: 'replay', replayOf: row.id };
}
