// Sage 100 « Format Sage » reader (SAGE_MASTER_DATA.md §1, ERP_FORMATS.md §1.1): CP850 decoded first, then
// split on CRLF only — a lone LF or CR is part of a value (Sage writes some inside formulas), and 0x85 is
// `à`, never a line break. One field per line, never trimmed; a record = its flag line + the lines up to
// the next flag; children belong to the latest record that can own them. A record the shop flows read
// with the wrong length is refused with its line rather than read shifted.
import type { Readable } from 'node:stream';
import { FileFatalError } from '../../errors.ts';
import { StrictDecoder } from '../../parse/decode.ts';
import { FLAG_SHAPE, INTEGRAL, KNOWN_FLAGS, LAYOUTS, PARENTS, PARENT_FLAGS, describeLayout, fitsLayout } from './flags.ts';

export interface SageRecord {
  flag: string;
  /** Physical line of the flag (header included, as Sage numbers lines); field i is on line + 1 + i. */
  line: number;
  fields: string[];
  children: SageRecord[];
}

export interface SageHeader { version: string; currency?: string }

export type SageItem =
  | { header: SageHeader }
  | { record: SageRecord }
  | { reject: string; line: number; flag: string }
  | { warning: string };

const BATCH = 500;

interface Open extends SageRecord {
  /** Set when this record, or a child it cannot be read without, is refused. */
  refused?: { line: number; reason: string };
}

/** Items in arrays of about 500. Throws FileFatalError when the file is not Format Sage at all. */
export async function* readFormatSage(source: AsyncIterable<Buffer> | Readable): AsyncGenerator<SageItem[]> {
  const out: SageItem[] = [];
  const reader = new RecordReader(out);
  const decoder = new StrictDecoder('cp850', { rawLineEnds: true, onWarning: (w) => out.push({ warning: `ligne ${w.line} : ${w.message}` }) });
  let rest = '';
  let lineNo = 0;
  const take = (text: string, last: boolean) => {
    const all = rest + text;
    let start = 0;
    for (let at = all.indexOf('\r\n'); at !== -1; at = all.indexOf('\r\n', start)) {
      reader.line(all.slice(start, at), ++lineNo);
      start = at + 2;
    }
    rest = all.slice(start);
    if (last && rest !== '') {
      reader.line(rest, ++lineNo);
      rest = '';
    }
  };
  for await (const chunk of source as AsyncIterable<Buffer>) {
    take(decoder.write(chunk), false);
    if (out.length >= BATCH) yield out.splice(0, out.length);
  }
  take(decoder.end(), true);
  reader.end(lineNo);
  if (out.length > 0) yield out.splice(0, out.length);
}

class RecordReader {
  private header: 'flg' | 'ver' | 'dev' | 'body' = 'flg';
  /** The record receiving lines. */
  private current: Open | undefined;
  /** The open parent chain: a top-level parent, then its latest child, then that child's latest child. */
  private chain: Open[] = [];
  /** Stray lines before the first record. */
  private stray: { first: number; count: number } | undefined;
  private ended: number | undefined;
  private afterEnd = 0;

  constructor(private readonly out: SageItem[]) {}

  line(text: string, n: number): void {
    if (this.ended !== undefined) {
      if (text !== '') this.afterEnd++;
      return;
    }
    if (this.header !== 'body' && this.headerLine(text, n)) return;
    const flag = isFlag(text);
    if (flag) return this.flag(text, n);
    if (text === '#FIN') return this.finish(n);
    if (FLAG_SHAPE.test(text)) this.out.push({ warning: `ligne ${n} : « ${text} » a la forme d'un drapeau mais n'en est pas un connu ; lu comme une valeur` });
    if (this.current) this.current.fields.push(text);
    else if (this.stray) this.stray.count++;
    else this.stray = { first: n, count: 1 };
  }

  /** True when the line was the header's. */
  private headerLine(text: string, n: number): boolean {
    if (this.header === 'flg') {
      if (text !== '#FLG 000') throw new FileFatalError(`ce n'est pas un fichier Sage « Format Sage » : la ligne 1 est « ${text.slice(0, 40)} » au lieu de « #FLG 000 »`);
      this.header = 'ver';
      return true;
    }
    if (this.header === 'ver') {
      const m = /^#VER (\d+)$/.exec(text);
      if (!m) throw new FileFatalError(`en-tête Format Sage incomplet : la ligne ${n} est « ${text.slice(0, 40)} » au lieu de « #VER <version> »`);
      this.version = m[1]!;
      this.header = 'dev';
      return true;
    }
    this.header = 'body';
    // #DEV is the Comptabilité header's third line (ERP_FORMATS.md §1.1)
    const m = /^#DEV (\S+)$/.exec(text);
    this.out.push({ header: { version: this.version, ...(m ? { currency: m[1]! } : {}) } });
    return m !== null;
  }
  private version = '';

  private flag(flag: string, n: number): void {
    this.closeCurrent();
    this.flushStray();
    const rec: Open = { flag, line: n, fields: [], children: [] };
    const parents = PARENTS[flag];
    if (parents) {
      const at = findLast(this.chain, (r) => parents.includes(r.flag));
      if (at === -1) {
        this.emitTop();
        rec.refused = { line: n, reason: `${flag} sans l'enregistrement auquel il appartient (${parents.join(' ou ')}) juste avant lui` };
        this.chain = [rec];
      } else {
        this.chain[at]!.children.push(rec);
        this.chain.length = at + 1;
        this.chain.push(rec);
      }
    } else if (PARENT_FLAGS.has(flag)) {
      this.emitTop();
      this.chain = [rec];
    } else {
      // a parameter table between children (rare) leaves the parent open for the children that follow
      this.standalone = rec;
    }
    this.current = rec;
  }
  private standalone: Open | undefined;

  /** The record just finished: its length checked against its layout. */
  private closeCurrent(): void {
    const rec = this.current;
    if (!rec) return;
    this.current = undefined;
    const layout = LAYOUTS[rec.flag];
    if (layout && !fitsLayout(layout, rec.fields.length)) {
      const reason = `${rec.flag} de ${rec.fields.length} ligne(s), attendu : ${describeLayout(layout)} (#VER ${this.version}) ; enregistrement refusé plutôt que lu décalé`;
      const idx = this.chain.indexOf(rec);
      if (idx > 0 && INTEGRAL.has(rec.flag)) {
        const owner = this.chain[idx - 1]!;
        owner.refused ??= { line: rec.line, reason: `${reason} ; ${owner.flag} ligne ${owner.line} refusé avec lui` };
      } else {
        rec.refused ??= { line: rec.line, reason };
      }
    }
    if (rec === this.standalone) {
      this.standalone = undefined;
      this.emit(rec);
    }
  }

  private emitTop(): void {
    const top = this.chain[0];
    this.chain = [];
    if (top) this.emit(top);
  }

  private emit(rec: Open): void {
    if (rec.refused) {
      const inside = countDescendants(rec);
      const what = inside > 0 ? ` (avec ${inside} sous-enregistrement(s))` : '';
      this.out.push({ reject: rec.refused.reason + what, line: rec.refused.line, flag: rec.flag });
      return;
    }
    this.out.push({ record: this.prune(rec) });
  }

  /** Refused children out of the record, each reported. */
  private prune(rec: Open): SageRecord {
    const children: SageRecord[] = [];
    for (const c of rec.children as Open[]) {
      if (c.refused) this.emit(c);
      else children.push(this.prune(c));
    }
    return { flag: rec.flag, line: rec.line, fields: rec.fields, children };
  }

  private flushStray(): void {
    if (!this.stray) return;
    const { first, count } = this.stray;
    this.stray = undefined;
    const where = count === 1 ? `ligne ${first}` : `lignes ${first} à ${first + count - 1}`;
    this.out.push({ reject: `${where} : valeur(s) hors de tout enregistrement (aucun drapeau avant elles)`, line: first, flag: 'hors enregistrement' });
  }

  private finish(n: number): void {
    this.closeCurrent();
    this.flushStray();
    this.emitTop();
    this.ended = n;
  }

  end(lines: number): void {
    if (this.header === 'flg') throw new FileFatalError("ce n'est pas un fichier Sage « Format Sage » : fichier vide (« #FLG 000 » attendu en ligne 1)");
    if (this.header === 'ver') throw new FileFatalError('en-tête Format Sage incomplet : « #VER <version> » manquant en ligne 2');
    if (this.header === 'dev') this.out.push({ header: { version: this.version } });
    if (this.ended !== undefined) {
      if (this.afterEnd > 0) this.out.push({ warning: `${this.afterEnd} ligne(s) non vide(s) après « #FIN » (ligne ${this.ended}) : ignorées` });
      return;
    }
    // A cut file: the last records may have lost lines or children (an article cut before its #CACP would
    // take its family's VAT), and lengths are no proof (a 14-line block can end exactly at the cut). The
    // open parent and a parameter record after it are refused; the complete records before them are read.
    const cut = (r: Open | undefined) => {
      if (r) r.refused ??= { line: r.line, reason: `fichier tronqué : ${r.flag} ligne ${r.line} est peut-être incomplet (le fichier s'arrête ligne ${lines} sans « #FIN »)` };
    };
    cut(this.standalone);
    cut(this.chain[0]);
    this.closeCurrent();
    this.flushStray();
    this.emitTop();
    this.out.push({ warning: `fichier tronqué : pas de « #FIN » (dernière ligne ${lines}) ; le dernier enregistrement est refusé, les précédents sont lus` });
  }
}

function isFlag(text: string): boolean {
  return text.length >= 4 && text.length <= 13 && text.charCodeAt(0) === 35 && KNOWN_FLAGS.has(text);
}

function findLast<T>(xs: readonly T[], f: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (f(xs[i]!)) return i;
  return -1;
}

function countDescendants(r: SageRecord): number {
  return r.children.reduce((n, c) => n + 1 + countDescendants(c), 0);
}
