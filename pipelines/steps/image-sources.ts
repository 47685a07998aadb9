// Where an article's images come from — one place per article, the first that has any: the image column of
// its row (`images:` in a column mapping: URLs and paths), else the folder the articles file was dropped in
// (REF.jpg, REF-2.jpg… beside it), else drop/images/. A path is read inside the drop folder only (a link
// that leads out is refused); a URL is fetched with a time limit (`catalog.imageTimeoutMs`) and the
// shop's size limit, only when the article changed (its URLs are part of its fingerprint).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileContext, Keyed } from '../../src/pipeline.ts';
import { IMAGES_DIR } from '../../src/intake/drop-folder.ts';
import type { ProductLine } from '../../transforms/catalog/types.ts';
import { imageRef, isInside, type ImageRef } from '../../transforms/images/sources.ts';
import { ImageFolder, ImageUnavailable, MAX_BYTES, type ArticleImages, type ImageFile } from './product-images.ts';

type Resolved = { position: number; ref: ImageRef; real?: string; size?: number; mtimeMs?: number; problem?: string };

interface FileSources { images: ImageFolder; beside: ImageFolder | undefined; columns: Map<string, Resolved[]> }

const sources = new WeakMap<FileContext['file'], Promise<FileSources>>();
const opened = new WeakMap<FileContext['file'], FileSources>();

/** The drop folder and the folder of the articles file. */
function folders(ctx: FileContext): { drop: string; beside: string } {
  const drop = path.resolve(ctx.config.paths.drop);
  return { drop, beside: ctx.file.folder !== undefined ? path.join(drop, ctx.file.folder) : drop };
}

/** drop/images/ and the articles file's folder, each listed once per processed file. */
export function imageSources(ctx: FileContext): Promise<FileSources> {
  let s = sources.get(ctx.file);
  if (s === undefined) {
    const { drop, beside } = folders(ctx);
    s = Promise.all([ImageFolder.open(path.join(drop, IMAGES_DIR)), ImageFolder.open(beside)]).then(([images, besideFolder]) => {
      const f: FileSources = { images, beside: besideFolder, columns: new Map() };
      opened.set(ctx.file, f);
      return f;
    });
    sources.set(ctx.file, s);
  }
  return s;
}

/** The image column's paths of a batch checked on disk (before the desired states, which are synchronous). */
export async function resolveColumnImages(ctx: FileContext, batch: ReadonlyArray<Keyed<ProductLine>>): Promise<void> {
  const s = await imageSources(ctx);
  const { drop, beside } = folders(ctx);
  const realDrop = await fs.realpath(drop).catch(() => drop);
  for (const { record } of batch) {
    if (!record.images) continue;
    s.columns.set(record.reference, await Promise.all(record.images.map((v, i) => resolve(imageRef(v, beside, drop), i + 1, realDrop))));
  }
}

async function resolve(ref: ImageRef, position: number, realDrop: string): Promise<Resolved> {
  if (ref.kind !== 'path') return { position, ref };
  const shown = path.basename(ref.path);
  let real: string;
  try {
    real = await fs.realpath(ref.path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { position, ref, problem: code === 'ENOENT' ? `fichier ${shown} introuvable dans le dossier de dépôt` : `fichier ${shown} illisible (${code ?? 'erreur'})` };
  }
  if (!isInside(real, realDrop)) return { position, ref, problem: `${shown} est un lien qui sort du dossier de dépôt : refusé, sa cible n'est pas lue` };
  const st = await fs.stat(real).catch(() => undefined);
  if (!st?.isFile()) return { position, ref, problem: `${shown} n'est pas un fichier ordinaire` };
  return { position, ref, real, size: st.size, mtimeMs: Math.trunc(st.mtimeMs) };
}

/** Where the article's images come from, for its desired state: a change there is a change of the product. */
export function imageStamps(ctx: FileContext, record: ProductLine): string[] {
  const s = opened.get(ctx.file);
  if (!s) return [];
  const column = s.columns.get(record.reference);
  if (column) return column.map((r) => `${r.position}:${r.ref.kind === 'url' ? r.ref.url : r.ref.kind === 'path' ? `${r.ref.path}:${r.size ?? ''}:${r.mtimeMs ?? ''}` : r.ref.value}`);
  const beside = s.beside?.stamps(record.reference) ?? [];
  return beside.length > 0 ? beside.map((x) => `beside:${x}`) : s.images.stamps(record.reference);
}

/** The article's images for the image step. */
export async function articleImages(ctx: FileContext, record: ProductLine): Promise<ArticleImages> {
  const s = await imageSources(ctx);
  const column = s.columns.get(record.reference);
  if (!column) {
    const beside = s.beside?.files(record.reference);
    return beside && (beside.images.length > 0 || beside.problems.length > 0) ? beside : s.images.files(record.reference);
  }
  const out: ArticleImages = { images: [], problems: [] };
  for (const r of column) {
    if (r.ref.kind === 'refused') out.problems.push(`image ${r.position} : ${r.ref.reason}`);
    else if (r.problem !== undefined) out.problems.push(`image ${r.position} : ${r.problem}`);
    else out.images.push(imageFile(r, ctx.config.catalog.imageTimeoutMs));
  }
  return out;
}

function imageFile(r: Resolved, timeoutMs: number): ImageFile {
  const ref = r.ref;
  if (ref.kind === 'url') return { position: r.position, name: ref.shown, read: () => download(ref.url, ref.shown, timeoutMs) };
  return { position: r.position, name: path.basename(r.real!), size: r.size!, mtimeMs: r.mtimeMs!, read: () => fs.readFile(r.real!) };
}

/** An image by URL, at most the shop's size limit, within the time limit (headers and body). */
async function download(url: string, shown: string, timeoutMs: number): Promise<Buffer> {
  const signal = AbortSignal.timeout(timeoutMs);
  const seconds = `${(timeoutMs / 1000).toLocaleString('fr-FR')} s`;
  const failed = (err: unknown): never => {
    const e = err as Error & { cause?: { code?: string } };
    if (e instanceof ImageUnavailable) throw e;
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || signal.aborted) throw new ImageUnavailable(`${shown} n'a pas été reçue en ${seconds} (catalog.imageTimeoutMs)`);
    throw new ImageUnavailable(`${shown} injoignable (${e.cause?.code ?? e.message})`);
  };
  const tooBig = `${shown} dépasse les 8 Mo que la boutique accepte`;
  try {
    // fetch refuses a URL carrying credentials: they go in the Authorization header instead
    const u = new URL(url);
    const headers: Record<string, string> = {};
    if (u.username !== '' || u.password !== '') {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
      u.username = '';
      u.password = '';
    }
    const res = await fetch(u.href, { signal, redirect: 'follow', headers });
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new ImageUnavailable(`${shown} répond HTTP ${res.status}`);
    }
    if (Number(res.headers.get('content-length') ?? 0) > MAX_BYTES) {
      await res.body?.cancel().catch(() => undefined);
      throw new ImageUnavailable(tooBig);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res.body ?? []) {
      total += (chunk as Uint8Array).byteLength;
      if (total > MAX_BYTES) throw new ImageUnavailable(tooBig);
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    return Buffer.concat(chunks);
  } catch (err) {
    return failed(err);
  }
}
