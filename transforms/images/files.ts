// Which image files belong to which article: `REF.jpg` is its cover, `REF-2.jpg`, `REF-3.png`, … follow in
// that order. Names are compared as references are (trimmed, NFC, case-insensitively); the kind of image is
// read from its bytes, never from its name (issue 8: « rejected by content, not by name »).
import { normalizeKey } from '../common/numbers.ts';

export interface ArticleImage { position: number; name: string }

const IMAGE_NAME = /^(.+)\.(jpe?g|jpe|png|gif|webp)$/i;

/** A folder's image files by lower-cased base name, and the numbered ones (`REF-2`) by the base before their
 *  number, so that an article's images are found without walking the folder. */
export interface ImageIndex {
  byBase: Map<string, string[]>;
  numbered: Map<string, Array<{ n: string; base: string }>>;
}

/** The image files of a folder listing. Other names are not images. */
export function imageIndex(names: readonly string[]): ImageIndex {
  const byBase = new Map<string, string[]>();
  for (const name of names) {
    const m = IMAGE_NAME.exec(name);
    if (m === null) continue;
    const base = looseName(m[1]!);
    const list = byBase.get(base);
    if (list === undefined) byBase.set(base, [name]);
    else list.push(name);
  }
  const numbered = new Map<string, Array<{ n: string; base: string }>>();
  for (const [base, list] of byBase) {
    list.sort();
    const m = /^(.+)-(\d{1,3})$/.exec(base);
    if (m === null) continue;
    const entries = numbered.get(m[1]!);
    if (entries === undefined) numbered.set(m[1]!, [{ n: m[2]!, base }]);
    else entries.push({ n: m[2]!, base });
  }
  return { byBase, numbered };
}

function looseName(s: string): string {
  return normalizeKey(s).toLowerCase();
}

export type ImagesOf = { images: ArticleImage[]; problems: string[] };

/**
 * An article's images in position order. `isReference(base)` says whether a name such as `VIS-2` is itself an
 * article reference: then `VIS-2.jpg` is that article's cover, not the second image of `VIS`.
 */
export function imagesOfArticle(reference: string, index: ImageIndex, isReference: (base: string) => boolean): ImagesOf {
  const ref = looseName(reference);
  const images: ArticleImage[] = [];
  const problems: string[] = [];
  const take = (position: number, names: string[]): void => {
    if (names.length > 1) problems.push(`plusieurs fichiers pour l'image ${position} de ${reference} (${names.join(', ')}) : aucun n'est envoyé`);
    else images.push({ position, name: names[0]! });
  };
  const cover = index.byBase.get(ref);
  if (cover !== undefined) take(1, cover);
  for (const { n, base } of index.numbered.get(ref) ?? []) {
    if (isReference(base)) continue;
    const names = index.byBase.get(base)!;
    const position = Number(n);
    if (position < 2) {
      problems.push(`${names.join(', ')} : numéro d'image ${n} — la première image s'appelle ${reference}.jpg, les suivantes ${reference}-2.jpg, ${reference}-3.jpg…`);
      continue;
    }
    take(position, names);
  }
  images.sort((a, b) => a.position - b.position);
  return { images, problems };
}

export interface ImageKind { mime: string; ext: string }

/** JPEG, PNG, GIF or WebP by their magic bytes (what the shop's GD can open); undefined for anything else. */
export function imageKind(bytes: Uint8Array): ImageKind | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 12));
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { mime: 'image/jpeg', ext: 'jpg' };
  if (b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return { mime: 'image/png', ext: 'png' };
  if (/^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return { mime: 'image/gif', ext: 'gif' };
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return { mime: 'image/webp', ext: 'webp' };
  return undefined;
}

/** What a refused file looks like, for the reason: text, a PDF, an archive, or unknown bytes. */
export function describeContent(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8));
  if (head.length === 0) return 'fichier vide';
  if (head.subarray(0, 4).toString('latin1') === '%PDF') return 'un PDF';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'une archive zip (document Office ?)';
  if (head.subarray(0, 2).toString('latin1') === 'BM') return 'une image BMP, que la boutique ne prend pas';
  if (/^(II\*\0|MM\0\*)$/.test(head.subarray(0, 4).toString('latin1'))) return 'une image TIFF, que la boutique ne prend pas';
  if ([...head].every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 0xc2)) return 'du texte';
  return 'un contenu inconnu';
}
