// An article's image column (generic mapping `images:`): one value per image, `|` between several, the
// first the cover. A value is an http(s) URL, fetched by the image step, or a path read inside the drop
// folder only. Pure: which values are which, and the reasons a value is refused before anything is opened.
import path from 'node:path';

export type ImageRef =
  | { kind: 'url'; url: string; shown: string }
  | { kind: 'path'; path: string }
  | { kind: 'refused'; value: string; reason: string };

/** The values of one cell, in order (empty parts dropped). */
export function splitImageCell(cell: string): string[] {
  return cell.split('|').map((v) => v.trim()).filter((v) => v !== '');
}

/** A URL without its user and password, for reports (secrets never in a report). */
export function shownUrl(u: URL): string {
  const c = new URL(u.href);
  c.username = '';
  c.password = '';
  return c.href;
}

/**
 * One value. `base`: the folder the articles file was dropped in; `drop`: the drop folder. A path (`\` read
 * as `/`, as a Windows ERP writes it) is resolved against `base` and must stay inside `drop`; links are
 * followed only after this check, by the image step (which refuses one that leads out).
 */
export function imageRef(value: string, base: string, drop: string): ImageRef {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      return { kind: 'refused', value, reason: `adresse d'image illisible : ${value}` };
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return { kind: 'refused', value: shownUrl(u), reason: `adresse ${u.protocol}// refusée : seules les adresses http:// et https:// sont téléchargées` };
    return { kind: 'url', url: u.href, shown: shownUrl(u) };
  }
  if (/^[a-z]:[\\/]/i.test(value) || value.startsWith('\\\\')) {
    return { kind: 'refused', value, reason: `chemin Windows « ${value} » : donnez un chemin relatif au dossier de dépôt (ex. photos/${path.win32.basename(value)}) et déposez l'image dans ce dossier` };
  }
  const full = path.resolve(base, value.replace(/\\/g, '/'));
  if (!isInside(full, drop)) return { kind: 'refused', value, reason: `chemin « ${value} » hors du dossier de dépôt : seules les images déposées dans ${drop} sont lues` };
  return { kind: 'path', path: full };
}

export function isInside(full: string, folder: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(full));
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
