import { expect } from 'chai';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { FileFatalError } from '../../src/errors.ts';
import { createDecodeStream, decodeBuffer, decodeChunks, firstInvalidUtf8, type DecodeWarning, type Encoding } from '../../src/parse/decode.ts';

function fatal(fn: () => unknown): FileFatalError {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(FileFatalError);
    return err as FileFatalError;
  }
  expect.fail('expected a FileFatalError');
}

/** Decodes `bytes` fed in chunks of `size` bytes: every split point must give the same text. */
async function decodeInChunks(bytes: Buffer, encoding: Encoding, size: number, warnings: DecodeWarning[] = []): Promise<string> {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  let out = '';
  for await (const t of decodeChunks(chunks(), encoding, { onWarning: (w) => warnings.push(w) })) out += t;
  return out;
}

const FRENCH = 'é è ç œ Œ € ’ « » à Ê';

describe('decode: declared encodings', () => {
  it('reads windows-1252 with € Œ ’ right (the bytes TextDecoder gets wrong)', () => {
    const bytes = Buffer.from([0x80, 0x20, 0x8c, 0x20, 0x92, 0x20, 0x9c, 0x20, 0xe9]);
    expect(decodeBuffer(bytes, 'windows-1252')).to.equal('€ Œ ’ œ é');
  });

  it('reads cp850 (Sage Format Sage): 0x82 = é, 0x85 = à, 0x87 = ç', () => {
    expect(decodeBuffer(Buffer.from([0x82, 0x85, 0x87, 0x8a]), 'cp850')).to.equal('éàçè');
  });

  it('reads UTF-8 and strips a BOM in utf-8-bom and utf-8 files', () => {
    const body = Buffer.from(FRENCH, 'utf8');
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
    expect(decodeBuffer(withBom, 'utf-8-bom')).to.equal(FRENCH);
    expect(decodeBuffer(withBom, 'utf-8')).to.equal(FRENCH);
    expect(decodeBuffer(body, 'utf-8')).to.equal(FRENCH);
  });

  for (const size of [1, 2, 3, 7]) {
    it(`gives the same text whatever the chunk size (${size} bytes): BOM and multi-byte sequences cut in two`, async () => {
      // CR, LF and CRLF all come out as LF, a CRLF cut between two chunks too
      const text = `REF;Libellé\r\nÉTUI-CŒUR;${FRENCH}\rB;x\nC;y\r\n`;
      const lf = `REF;Libellé\nÉTUI-CŒUR;${FRENCH}\nB;x\nC;y\n`;
      const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
      expect(await decodeInChunks(utf8, 'utf-8-bom', size)).to.equal(lf);
      expect(await decodeInChunks(iconv.encode(text, 'windows-1252'), 'windows-1252', size)).to.equal(lf);
    });
  }

  it('works as a Transform stream', async () => {
    let out = '';
    const stream = Readable.from([iconv.encode('Qté;€', 'windows-1252')]).pipe(createDecodeStream('windows-1252'));
    for await (const chunk of stream) out += String(chunk);
    expect(out).to.equal('Qté;€');
  });
});

describe('decode: strictness (LESSONS G1–G2)', () => {
  it('quarantines a UTF-8 BOM in a file declared windows-1252, saying so in French', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('AR_Ref\r\n', 'utf8')]);
    const err = fatal(() => decodeBuffer(bytes, 'windows-1252'));
    expect(err.message).to.contain("Le fichier commence par une marque UTF-8 (BOM) alors que l'encodage attendu est windows-1252");
    expect(fatal(() => decodeBuffer(bytes, 'cp850')).message).to.contain('cp850');
  });

  it('quarantines a utf-8-bom file without its BOM', () => {
    expect(fatal(() => decodeBuffer(Buffer.from('AR_Ref\n', 'utf8'), 'utf-8-bom')).message).to.contain('ne commence pas par la marque UTF-8 (BOM)');
  });

  it('accepts a file shorter than a BOM, and an empty one', () => {
    expect(decodeBuffer(Buffer.from('A'), 'windows-1252')).to.equal('A');
    expect(decodeBuffer(Buffer.alloc(0), 'utf-8')).to.equal('');
  });

  it('names line and column of invalid UTF-8 (a cp1252 é in a UTF-8 file)', () => {
    const lines = Array.from({ length: 11 }, (_, i) => `REF${i};1`);
    const bytes = Buffer.concat([Buffer.from(`${lines.join('\n')}\nAB;Caf`, 'utf8'), Buffer.from([0xe9]), Buffer.from(' noir\n', 'utf8')]);
    const err = fatal(() => decodeBuffer(bytes, 'utf-8'));
    expect(err.message).to.contain('octet invalide ligne 12, colonne 7');
  });

  it('counts columns in characters after multi-byte text on the same line, across chunks', async () => {
    const bytes = Buffer.concat([Buffer.from('h\nÉté;', 'utf8'), Buffer.from([0xff]), Buffer.from('\n')]);
    try {
      await decodeInChunks(bytes, 'utf-8', 2);
      expect.fail('expected a FileFatalError');
    } catch (err) {
      expect(err).to.be.instanceOf(FileFatalError);
      expect((err as Error).message).to.contain('ligne 2, colonne 5');
    }
  });

  it('quarantines a UTF-8 sequence cut by the end of the file', () => {
    expect(fatal(() => decodeBuffer(Buffer.from([0x41, 0xc3]), 'utf-8')).message).to.contain('incomplète');
  });

  it('accepts a literal U+FFFD in a UTF-8 file (it is valid text)', () => {
    expect(decodeBuffer(Buffer.from('a\uFFFDb', 'utf8'), 'utf-8')).to.equal('a\uFFFDb');
  });

  for (const b of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
    it(`quarantines cp1252's undefined byte 0x${b.toString(16)} with its line and column`, () => {
      const bytes = Buffer.concat([Buffer.from('AR_Ref;X\r\nAB;'), Buffer.from([b]), Buffer.from('\r\n')]);
      const err = fatal(() => decodeBuffer(bytes, 'windows-1252'));
      expect(err.message).to.contain('ligne 2, colonne 4');
      expect(err.message).to.contain(`0x${b.toString(16).toUpperCase()}`);
    });
  }

  it('quarantines a binary file (NUL byte) as unreadable', () => {
    const err = fatal(() => decodeBuffer(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]), 'windows-1252'));
    expect(err.message).to.contain('illisible (binaire ?)');
  });
});

describe('decode: mojibake warning (LESSONS G3)', () => {
  it('warns (not fatal) with the line and the suspicious word when UTF-8 was read as windows-1252', () => {
    const warnings: DecodeWarning[] = [];
    const bytes = Buffer.concat([Buffer.from('a\r\nb\r\n', 'latin1'), Buffer.from('c;Tee-shirt Bénévole\r\n', 'utf8')]);
    const text = decodeBuffer(bytes, 'windows-1252', { onWarning: (w) => warnings.push(w) });
    expect(text).to.contain('BÃ©nÃ©vole');
    expect(warnings).to.have.length(1);
    expect(warnings[0]?.line).to.equal(3);
    expect(warnings[0]?.message).to.equal("ligne 3 : texte qui ressemble à de l'UTF-8 lu en windows-1252 (« BÃ©nÃ©vole »)");
  });

  it('sees mojibake split between two chunks', async () => {
    const warnings: DecodeWarning[] = [];
    await decodeInChunks(Buffer.from('x\nCafé\n', 'utf8'), 'windows-1252', 4, warnings);
    expect(warnings.map((w) => w.line)).to.deep.equal([2]);
  });

  it('warns on double-encoded UTF-8 and on UTF-8 read as cp850', () => {
    const w1: DecodeWarning[] = [];
    decodeBuffer(Buffer.from('Ã©tÃ©', 'utf8'), 'utf-8', { onWarning: (w) => w1.push(w) });
    expect(w1[0]?.message).to.contain('encodé deux fois');
    const w2: DecodeWarning[] = [];
    decodeBuffer(Buffer.from('Orfèvres', 'utf8'), 'cp850', { onWarning: (w) => w2.push(w) });
    expect(w2[0]?.message).to.contain('lu en cp850');
  });

  it('does not warn on genuine French text', () => {
    const warnings: DecodeWarning[] = [];
    decodeBuffer(iconv.encode(`${FRENCH} Ãlvaro Â Ã`, 'windows-1252'), 'windows-1252', { onWarning: (w) => warnings.push(w) });
    expect(warnings).to.deep.equal([]);
  });

  it('caps the warnings and says how many more lines are affected', () => {
    const warnings: DecodeWarning[] = [];
    const bytes = Buffer.from(Array.from({ length: 25 }, () => 'Bénévole').join('\n'), 'utf8');
    decodeBuffer(bytes, 'windows-1252', { onWarning: (w) => warnings.push(w) });
    expect(warnings).to.have.length(21);
    expect(warnings[20]?.message).to.contain('5 autre(s) ligne(s)');
  });
});

describe('firstInvalidUtf8', () => {
  it('finds overlongs, surrogates and stray continuation bytes; accepts an unfinished tail', () => {
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80]))).to.equal(1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).to.equal(0);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0x80]))).to.equal(1);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xe2, 0x82]))).to.equal(-1);
    expect(firstInvalidUtf8(Buffer.from('€ok', 'utf8'))).to.equal(-1);
  });
});
