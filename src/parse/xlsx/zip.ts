// The workbook's zip, opened by its central directory (yauzl): every part is reached by name, in any order, with
// no temp file. exceljs's streaming reader walked the entries in file order and lost a part now and then (an
// entry's data flowing before it listened: « Cannot read properties of undefined (reading 'sheets') » on a valid
// workbook, 1 read in ~300 here) and crashed the process on its temp files: it is no longer used for reading.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface Zip {
  /** Part names in lower case (OPC part names are case-insensitive). */
  has(name: string): boolean;
  /** A part's text, whole: for the small parts (workbook, relationships, styles). */
  text(name: string): Promise<string>;
  /** A part's text in decoded pieces, for the big ones (shared strings, sheets). */
  pieces(name: string): AsyncGenerator<string>;
  close(): void;
}

export async function openZip(path: string): Promise<Zip> {
  const file = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err !== null || zip === undefined) reject(err ?? new Error('zip'));
      else resolve(zip);
    });
  });
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      file.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName.replace(/^\/+/, '').toLowerCase(), entry);
        file.readEntry();
      });
      file.on('end', () => resolve());
      file.on('error', reject);
      file.readEntry();
    });
  } catch (err) {
    file.close();
    throw err;
  }
  const open = (name: string): Promise<Readable> => {
    const entry = entries.get(name.toLowerCase());
    if (entry === undefined) return Promise.reject(new Error(`partie ${name} absente`));
    return new Promise((resolve, reject) => {
      file.openReadStream(entry, (err, stream) => {
        if (err !== null || stream === undefined) reject(err ?? new Error(name));
        else resolve(stream);
      });
    });
  };
  async function* pieces(name: string): AsyncGenerator<string> {
    const stream = await open(name);
    const decoder = new StringDecoder('utf8');
    let first = true;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        let s = decoder.write(chunk);
        if (first && s !== '') {
          if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
          first = false;
        }
        if (s !== '') yield s;
      }
      const rest = decoder.end();
      if (rest !== '') yield rest;
    } finally {
      stream.destroy();
    }
  }
  return {
    has: (name) => entries.has(name.toLowerCase()),
    async text(name) {
      let s = '';
      for await (const piece of pieces(name)) s += piece;
      return s;
    },
    pieces,
    close: () => file.close(),
  };
}
