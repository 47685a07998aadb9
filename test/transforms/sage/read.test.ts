import { expect } from 'chai';
import { FileFatalError } from '../../../src/errors.ts';
import type { SageItem, SageRecord } from '../../../src/erp/format-sage/read.ts';
import { articleLine, encode, fixtureBytes, fixtureLines, readAll } from './support.ts';

const records = (items: SageItem[]): SageRecord[] => items.flatMap((i) => ('record' in i ? [i.record] : []));
const rejects = (items: SageItem[]) => items.flatMap((i) => ('reject' in i ? [i] : []));
const warnings = (items: SageItem[]) => items.flatMap((i) => ('warning' in i ? [i.warning] : []));
function countFlags(recs: readonly SageRecord[], into: Record<string, number> = {}): Record<string, number> {
  for (const r of recs) {
    into[r.flag] = (into[r.flag] ?? 0) + 1;
    countFlags(r.children, into);
  }
  return into;
}
const article = (items: SageItem[], ref: string) => records(items).find((r) => r.flag === '#CART' && r.fields[0] === ref)!;

describe('readFormatSage', () => {
  it('reads every record of the fixture, children under their parent, no reject', async () => {
    const items = await readAll(fixtureBytes());
    expect(items[0]).to.deep.equal({ header: { version: '33' } });
    expect(rejects(items)).to.deep.equal([]);
    const top = records(items);
    expect(countFlags(top.map((r) => ({ ...r, children: [] })))).to.deep.equal({
      '#MTAX': 5, '#CCCL': 1, '#CUAV': 1, '#CCOM': 1, '#CPAI': 2, '#CCATAL': 16, '#CFAM': 3, '#CART': 50, '#CCLI': 1, '#MPLG': 3,
    });
    const children = countFlags(top.flatMap((r) => r.children));
    expect(children).to.deep.equal({ '#CFAC': 3, '#CACP': 45, '#CACL': 3, '#CATQ': 1, '#CAST': 5, '#CCDL': 1, '#MCTT': 1 });
    expect(article(items, 'ART001').children.map((c) => c.flag)).to.deep.equal(['#CACP', '#CACL', '#CAST']);
    expect(article(items, 'ART002').children[1]!.children.map((c) => c.flag)).to.deep.equal(['#CATQ']);
    expect(article(items, 'ART009').children).to.deep.equal([]);
    expect(top.filter((r) => r.flag === '#CART').every((r) => r.fields.length === 76)).to.equal(true);
    // the centralising family's #CFAC has 0 lines: a flag followed at once by the next flag
    expect(top.find((r) => r.flag === '#CFAM' && r.fields[0] === 'ALIM')!.children[0]).to.include({ flag: '#CFAC' }).and.have.property('fields').that.deep.equals([]);
  });

  it('splits on CRLF only, after the CP850 decode: 0x85 is « à », a lone LF stays in its value', async () => {
    const bytes = fixtureBytes();
    expect(bytes.includes(Buffer.from([0x50, 0x83, 0x74, 0x65, 0x20, 0x85, 0x20]))).to.equal(true); // « Pâte à »
    const items = await readAll(bytes);
    expect(article(items, 'ART002').fields[1]).to.equal('Pâte à tartiner');
    expect(article(items, 'ART001').fields[1]).to.equal('Café filtre');
    expect(article(items, 'ART008').fields[36]).to.equal('Coût\nde stockage');
    const lone = await readAll(encode(['#FLG 000', '#VER 33', '#CCATAL', ' Caf\u00e9 \rx', '01', '0', '0', '', '#FIN', '']));
    expect(records(lone)[0]!.fields).to.deep.equal([' Café \rx', '01', '0', '0', '']);
  });

  it('gives the same records whatever the chunks (CRLF and records cut between two reads)', async () => {
    const whole = await readAll(fixtureBytes());
    for (const size of [1, 7, 4096]) expect(await readAll(fixtureBytes(), size)).to.deep.equal(whole);
  });

  it('never trims a value, and takes a flag-shaped value that is no known flag as a value, with a warning', async () => {
    const items = await readAll(fixtureBytes());
    expect(article(items, 'ART010').fields[32]).to.equal('#PROMO');
    const at = articleLine(fixtureLines(), 'ART010') + 33;
    expect(warnings(items)).to.deep.equal([`ligne ${at} : « #PROMO » a la forme d'un drapeau mais n'en est pas un connu ; lu comme une valeur`]);
    const spaced = await readAll(encode(['#FLG 000', '#VER 33', '#CPAI', ' France ', 'FRA', '001', '1,0000', '1,0000', 'FR ', '1', '1', '#FIN', '']));
    expect(records(spaced)[0]!.fields.slice(0, 2)).to.deep.equal([' France ', 'FRA']);
  });

  it('refuses an article with a line missing, with its line, and does not give its children to the article before', async () => {
    const lines = fixtureLines();
    const at = articleLine(lines, 'ART010');
    lines.splice(at + 4, 1); // one line less in its fixed part: every later value would be read one line early
    const items = await readAll(encode(lines));
    expect(rejects(items)).to.deep.equal([{
      reject: '#CART de 75 ligne(s), attendu : 76 lignes plus 2 par valeur répétée (#VER 33) ; enregistrement refusé plutôt que lu décalé (avec 1 sous-enregistrement(s))',
      line: at, flag: '#CART',
    }]);
    expect(records(items).filter((r) => r.flag === '#CART')).to.have.length(49);
    expect(article(items, 'ART009').children).to.deep.equal([]);
  });

  it('refuses the article whose accounting (#CACP) has the wrong length, a tariff (#CACL) alone', async () => {
    const lines = fixtureLines();
    const a1 = articleLine(lines, 'ART001');
    const cacl = lines.indexOf('#CACL', a1) + 1;
    lines.splice(cacl + 2, 1); // #CACL of ART001: 15 lines
    const a11 = articleLine(lines, 'ART011');
    lines.splice(a11 + 77 + 3, 1); // #CACP of ART011: 41 lines
    const items = await readAll(encode(lines));
    expect(rejects(items).map((r) => [r.line, r.flag])).to.deep.equal([[cacl, '#CACL'], [a11 + 77, '#CART']]);
    expect(rejects(items)[0]!.reject).to.match(/^#CACL de 15 ligne\(s\), attendu : 16 lignes \(#VER 33\) ; enregistrement refusé/);
    expect(rejects(items)[1]!.reject).to.match(/^#CACP de 41 ligne\(s\), attendu : un multiple de 14 lignes/);
    expect(rejects(items)[1]!.reject).to.contain(`#CART ligne ${a11} refusé avec lui`);
    expect(article(items, 'ART001').children.map((c) => c.flag)).to.deep.equal(['#CACP', '#CAST']);
    expect(article(items, 'ART011')).to.equal(undefined);
  });

  it('warns on a cut file (no #FIN) and refuses its last record, reading the complete ones before it', async () => {
    const lines = fixtureLines();
    const a20 = articleLine(lines, 'ART020');
    const items = await readAll(encode(lines.slice(0, a20 + 30)));
    expect(warnings(items).at(-1)).to.equal(`fichier tronqué : pas de « #FIN » (dernière ligne ${a20 + 30}) ; le dernier enregistrement est refusé, les précédents sont lus`);
    expect(rejects(items)).to.have.length(1);
    expect(rejects(items)[0]).to.include({ line: a20, flag: '#CART' });
    expect(records(items).filter((r) => r.flag === '#CART').map((r) => r.fields[0]).at(-1)).to.equal('ART019');
    // cut exactly before #FIN: the last records may have lost lines or children, refused all the same — the
    // last #MPLG and the client still open before it (parameter records do not close a parent)
    const beforeEnd = await readAll(encode(lines.slice(0, lines.indexOf('#FIN'))));
    expect(rejects(beforeEnd).map((r) => r.flag)).to.deep.equal(['#MPLG', '#CCLI']);
    expect(records(beforeEnd).filter((r) => r.flag === '#CART')).to.have.length(50);
  });

  it('refuses a child without its parent before it', async () => {
    const items = await readAll(encode(['#FLG 000', '#VER 33', '#CCATAL', 'Bio', '01', '0', '0', '', '#CACL', ...Array<string>(16).fill('0'), '#FIN', '']));
    expect(rejects(items)).to.deep.equal([{ reject: "#CACL sans l'enregistrement auquel il appartient (#CART) juste avant lui", line: 9, flag: '#CACL' }]);
  });

  it('is not Format Sage without « #FLG 000 » then « #VER n »', async () => {
    for (const [bytes, message] of [
      [Buffer.from('AR_Ref;AR_Design\r\n'), "ce n'est pas un fichier Sage « Format Sage » : la ligne 1 est « AR_Ref;AR_Design »"],
      [Buffer.from('#FLG 000\r\n#CART\r\n'), 'en-tête Format Sage incomplet'],
      [Buffer.from('\uFEFF#FLG 000\r\n#VER 33\r\n#FIN\r\n'), 'marque UTF-8 (BOM)'],
      [Buffer.alloc(0), 'fichier vide'],
    ] as const) {
      const err = await readAll(bytes).then(() => undefined, (e: unknown) => e);
      expect(err, message).to.be.instanceOf(FileFatalError);
      expect((err as Error).message).to.contain(message);
    }
  });
});
