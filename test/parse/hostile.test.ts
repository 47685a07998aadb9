// Hostile delimited files (issue #7): every physical line accounted for, a quote left open or a line
// without end quarantines the file naming its line, and a wrong encoding is named with the setting to fix.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import type { DecodeWarning } from '../../src/parse/decode.ts';
import { parseDelimited, readDelimited, type DelimitedOptions } from '../../src/parse/delimited.ts';
import type { Row } from '../../src/parse/row.ts';
import { collect, fileFatal } from '../support/failure.ts';

const HOSTILE = new URL('../fixtures/hostile/', import.meta.url).pathname;
const SAGE = ['AR_Ref', 'DE_No', 'AS_QteSto', 'AS_QteRes'];

const rows = (path: string, opts: DelimitedOptions = {}): Promise<Row[]> => collect(readDelimited(path, { requiredColumns: SAGE, ...opts }));

const fatal = fileFatal;

async function fromChunks(bytes: Buffer, size: number, opts: DelimitedOptions = {}): Promise<Row[]> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const out: Row[] = [];
  for await (const r of parseDelimited(Readable.from(chunks), { requiredColumns: SAGE, ...opts })) out.push(r);
  return out;
}

describe('hostile delimited files: line ends', () => {
  it('reads CRLF, LF and a bare CR in one file as one row per physical line, with its line number', async () => {
    const out = await rows(join(HOSTILE, 'stock_fins_de_ligne_mixtes.csv'));
    expect(out.map((r) => [r.line, r.values.AR_Ref, r.values.AS_QteSto, r.error])).to.deep.equal([
      [2, 'VIS-4X40', '21', undefined], [3, 'VIS-BOIS-4X40', '22', undefined], [4, 'CHEVILLE-6', '23', undefined],
    ]);
  });

  it('gives the same rows whatever the chunk size, a CRLF cut between two chunks included', async () => {
    const bytes = Buffer.from('AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nA;1;1;0\r\rB;1;2;0\n\nC;1;3;0\r\n"D";1;4;0\rE;1;5;0', 'latin1');
    const want = [[2, 'A'], [4, 'B'], [6, 'C'], [7, 'D'], [8, 'E']];
    for (const size of [1, 2, 3, 5, 1024]) {
      expect((await fromChunks(bytes, size)).map((r) => [r.line, r.values.AR_Ref]), `chunks of ${size}`).to.deep.equal(want);
    }
  });
});

describe('hostile delimited files: quotes', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'prestasync-hostile-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: Buffer | string): string => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  it('quarantines a quote opened line 3 and never closed, naming that line and the setting for real multi-line values', async () => {
    const err = await fatal(rows(join(HOSTILE, 'stock_guillemet_ouvert.csv')));
    expect(err.message).to.match(/^Guillemet ouvert ligne 3 jamais refermé sur cette ligne/);
    expect(err.message).to.contain('multiline: true');
  });

  it('quarantines it at the same line whatever the chunk size (the quote may open in one chunk and run into the next)', async () => {
    const bytes = Buffer.from('AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nA;1;1;0\r\nB;"1;2;0\r\nC;1;3;0\r\n', 'latin1');
    for (const size of [1, 4, 7, 4096]) {
      expect((await fatal(fromChunks(bytes, size))).message, `chunks of ${size}`).to.match(/^Guillemet ouvert ligne 3 jamais refermé/);
    }
  });

  it('quarantines a quote closed only on a later line when the flow has no multi-line values', async () => {
    const p = file('ferme-plus-loin.csv', 'AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nA;1;1;0\r\n"B;1;2;0\r\nC";1;3;0\r\nD;1;4;0\r\n');
    expect((await fatal(rows(p))).message).to.match(/^Guillemet ouvert ligne 3 jamais refermé sur cette ligne/);
  });

  it('with multiline: true, reads quoted values over several lines, and still quarantines a quote open at the end of the file', async () => {
    const ok = file('multi.csv', 'AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\n"A\r\nsuite";1;1;0\r\nB;1;2;0\r\n');
    expect((await rows(ok, { multiline: true })).map((r) => [r.line, r.values.AR_Ref])).to.deep.equal([[2, 'A\nsuite'], [4, 'B']]);
    const err = await fatal(rows(join(HOSTILE, 'stock_guillemet_ouvert.csv'), { multiline: true }));
    expect(err.message).to.match(/^Guillemet ouvert ligne 3 jamais refermé : la fin du fichier est atteinte/);
    const noEnd = file('fin.csv', 'AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nA;1;1;0\r\n"B;1;2;0');
    expect((await fatal(rows(noEnd, { multiline: true }))).message).to.match(/^Guillemet ouvert ligne 3 jamais refermé/);
  });

  it('with multiline: true, stops a quoted value at maxLineBytes instead of holding the rest of the file', async () => {
    const p = file('multi-long.csv', `AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nA;1;1;0\r\n"B${'x;1;2;0\r\n'.repeat(50_000)}`);
    const err = await fatal(rows(p, { multiline: true, maxLineBytes: 10_000 }));
    expect(err.message).to.match(/^Guillemet ouvert ligne 3 jamais refermé : [\d ]+ caractères lus sans guillemet fermant/);
  });

  it('keeps quotes that are part of a value (24" screen) and doubled quotes inside quoted values', async () => {
    const p = file('pouces.csv', 'AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nECRAN-24";1;1;0\r\n"VIS ""A""";1;2;0\r\n');
    expect((await rows(p)).map((r) => r.values.AR_Ref)).to.deep.equal(['ECRAN-24"', 'VIS "A"']);
  });
});

describe('hostile delimited files: line length', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'prestasync-long-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('quarantines a file with no line break over 1 MiB, with the line number and its whole length', async () => {
    const p = join(dir, 'sans-fin.csv');
    writeFileSync(p, Buffer.alloc(3 * 1024 * 1024 + 5, 0x41));
    const err = await fatal(rows(p));
    expect(err.message).to.match(/^Ligne 1 trop longue : 3 145 733 octets \(limite 1 048 576 octets, option « maxLineBytes » du flux\)/);
  });

  it('names a long line in the middle of the file, ended or not, with the limit of the flow', async () => {
    const p = join(dir, 'milieu.csv');
    writeFileSync(p, `AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nA;1;1;0\r\n${'B'.repeat(150)};1;2;0\r\nC;1;3;0\r\n`);
    expect((await fatal(rows(p, { maxLineBytes: 100 }))).message).to.match(/^Ligne 3 trop longue : 156 octets \(limite 100 octets/);
    expect(await rows(p, { maxLineBytes: 200 })).to.have.length(3);
  });

  it('keeps memory bounded while it measures a 256 MB line (nothing past the limit is decoded or kept)', async () => {
    const mib = Buffer.alloc(1024 * 1024, 0x41);
    function* endless(): Generator<Buffer> { for (let i = 0; i < 256; i++) yield mib; }
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    const source = Readable.from(endless()).on('data', () => { peak = Math.max(peak, process.memoryUsage().heapUsed - before); });
    const err = await fatal((async () => { for await (const _r of parseDelimited(source, { requiredColumns: SAGE })) { /* none */ } })());
    expect(err.message).to.contain('Ligne 1 trop longue : 268 435 456 octets');
    expect(peak, 'heap growth while reading').to.be.below(64 * 1024 * 1024);
  });
});

describe('hostile delimited files: encodings named', () => {
  it('names cp850 when a byte windows-1252 lacks is a cp850 letter (0x90 = É)', async () => {
    const err = await fatal(rows(join(HOSTILE, 'stock_cp850.csv')));
    expect(err.message).to.contain('ligne 2, colonne 4 (0x90 n\'existe pas en windows-1252)');
    expect(err.message).to.contain('En cp850 (DOS), cet octet est « É »').and.contain('« encoding: cp850 »');
  });

  it('warns with cp850 and its setting when cp850 accents read as windows-1252 (caf‚-filtre)', async () => {
    const warnings: DecodeWarning[] = [];
    const out = await rows(join(HOSTILE, 'stock_cp850_minuscules.csv'), { onWarning: (w) => warnings.push(w) });
    expect(out).to.have.length(2);
    expect(warnings.map((w) => w.message)).to.deep.equal([
      'ligne 2 : texte qui ressemble à du cp850 (DOS) lu en windows-1252 (« caf‚-filtre ») : déclarez « encoding: cp850 » pour ce flux dans le profil ERP',
      'ligne 3 : texte qui ressemble à du cp850 (DOS) lu en windows-1252 (« crŠme-br–l‚e ») : déclarez « encoding: cp850 » pour ce flux dans le profil ERP',
    ]);
    expect((await rows(join(HOSTILE, 'stock_cp850_minuscules.csv'), { encoding: 'cp850' })).map((r) => r.values.AR_Ref)).to.deep.equal(['café-filtre', 'crème-brûlée']);
  });

  it('warns with windows-1252 when a cp1252 file is declared cp850', async () => {
    const warnings: DecodeWarning[] = [];
    const bytes = iconv.encode('AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\ncafé-filtre;1;6;0\r\n', 'windows-1252');
    await fromChunks(bytes, 4096, { encoding: 'cp850', onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.message)).to.deep.equal(['ligne 2 : texte qui ressemble à du windows-1252 lu en cp850 (« cafÚ-filtre ») : déclarez « encoding: windows-1252 » pour ce flux dans le profil ERP']);
  });

  it('does not mistake French punctuation for cp850 (etc…, « – », “citation”)', async () => {
    const warnings: DecodeWarning[] = [];
    const bytes = iconv.encode('AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nA;1;1;0;Vis, chevilles, etc… – “Pro” Œuvre cœur ŠKODA\r\n', 'windows-1252');
    await fromChunks(bytes, 4096, { onWarning: (w) => warnings.push(w) });
    expect(warnings).to.deep.equal([]);
  });

  it('names windows-1252 when a UTF-8 flow gets a cp1252 é', async () => {
    const bytes = iconv.encode('AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\ncafé;1;6;0\r\n', 'windows-1252');
    const err = await fatal(fromChunks(bytes, 4096, { encoding: 'utf-8' }));
    expect(err.message).to.contain('ligne 2, colonne 4').and.contain('« encoding: windows-1252 »');
  });

  it('names UTF-16LE, with or without its BOM, instead of « binaire ? », and reads it when declared', async () => {
    for (const name of ['stock_utf16le_bom.csv', 'stock_utf16le_sans_bom.csv']) {
      const err = await fatal(rows(join(HOSTILE, name)));
      expect(err.message, name).to.contain('UTF-16LE').and.contain('« encoding: utf-16le »').and.not.contain('binaire');
      const out = await rows(join(HOSTILE, name), { encoding: 'utf-16le' });
      expect(out.map((r) => [r.line, r.values.AR_Ref, r.values.AS_QteSto]), name).to.deep.equal([[2, 'VIS-4X40', '41']]);
    }
  });

  it('reads UTF-16 cut at odd byte boundaries, and refuses a cp1252 file declared UTF-16', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nCŒUR-€;1;2;0\rB;1;3;0\n', 'utf16le')]);
    const out = await fromChunks(bytes, 3, { encoding: 'utf-16le' });
    expect(out.map((r) => [r.line, r.values.AR_Ref])).to.deep.equal([[2, 'CŒUR-€'], [3, 'B']]);
    const wrong = await fatal(fromChunks(iconv.encode('AR_Ref;DE_No\r\n', 'windows-1252'), 4096, { encoding: 'utf-16le' }));
    expect(wrong.message).to.contain("n'est pas en utf-16le comme déclaré");
    const be = await fatal(fromChunks(Buffer.from('\ufeffAR_Ref', 'utf16le'), 4096, { encoding: 'utf-16be' }));
    expect(be.message).to.contain('il est en utf-16le').and.contain('« encoding: utf-16le »');
  });
});

describe('hostile delimited files: a huge header', () => {
  it('names the first columns found, then « … et N autres », in a reason of a few hundred characters', async () => {
    const header = Array.from({ length: 100_000 }, (_, i) => `C${i}`).join(';');
    const err = await fatal(fromChunks(Buffer.from(`${header}\r\nA;1\r\n`), 64 * 1024));
    expect(err.message).to.match(/^Colonnes obligatoires absentes : « AR_Ref », « DE_No », « AS_QteSto », « AS_QteRes »\. Colonnes trouvées : « C0 », « C1 »/);
    expect(err.message).to.contain('… et 99 980 autres.');
    expect(err.message.length).to.be.below(500);
  });
});
