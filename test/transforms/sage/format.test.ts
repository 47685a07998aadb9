import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { DocumentItem } from '../../../src/document.ts';
import { formatSage } from '../../../src/erp/format-sage/format.ts';
import { catalogueRecords, encodeFormatSage } from '../../fixtures/erp/sage/make-catalogue.ts';
import { MPLG_SAMPLE, documentItems, fixtureBytes, tablesOf } from './support.ts';

function tally(items: readonly DocumentItem[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) {
    const k = 'table' in i ? `table ${i.table}` : 'pipelines' in i ? `${i.pipelines.join('+')} ${i.kind}` : 'unused' in i ? `unused ${i.unused}` : 'reject' in i ? 'reject' : 'warning';
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

describe('formatSage', () => {
  it('recognises a Format Sage file by its first line', () => {
    expect(formatSage.recognise(Buffer.from('#FLG 000\r\n#VER 33\r\n'))).to.equal(true);
    expect(formatSage.recognise(fixtureBytes().subarray(0, 64))).to.equal(true);
    expect(formatSage.recognise(Buffer.from('#FLG 0001\r\n'))).to.equal(false);
    expect(formatSage.recognise(Buffer.from('AR_Ref;DE_No\r\n'))).to.equal(false);
    expect(formatSage.pipelineTitle!('products')).to.equal('articles');
    expect(['categories', 'prices', 'customers'].map((p) => formatSage.pipelineTitle!(p))).to.deep.equal(['catégories', 'tarifs', 'clients']);
  });

  it('routes the fixture: catalogue → categories, articles → products, tariffs → prices, client → customers, the rest counted', async () => {
    const items = await documentItems(fixtureBytes());
    expect(tally(items)).to.deep.equal({
      'table taxes': 5, 'table priceCategories': 3, 'table units': 2, 'table settings': 1, 'table countries': 2,
      'table catalogue': 16, 'table families': 3,
      'categories catalogue': 16, 'products article': 50, 'prices tarif': 3, 'customers client': 1,
      'unused #CAST': 5, 'unused #MPLG': 3, 'unused #CFAM': 3, warning: 2,
    });
    const tables = tablesOf(items);
    expect(tables.get('taxes')!.get('C55')).to.include({ code: 'C55', rate: '5,50', rateType: '0', taxType: '0' });
    expect([...tables.get('catalogue')!.keys()]).to.include.members(['CAT:Épicerie/Bio/Céréales bio', 'CAT:Boissons/Bio/Jus bio']);
    const tariff = items.find((i) => 'pipelines' in i && i.kind === 'tarif' && (i.row as { article: string }).article === 'ART002') as { row: { brackets: unknown[]; category: string } };
    expect(tariff.row).to.include({ category: '2' });
    expect(tariff.row.brackets).to.deep.equal([{ type: '0', upper: '10,00', discount: '5,0000%', netPrice: '0,00' }, { type: '0', upper: '50,00', discount: '10,0000%', netPrice: '0,00' }]);
    const client = items.find((i) => 'pipelines' in i && i.kind === 'client') as { row: { number: string; email: string; deliveries: unknown[]; contacts: Array<{ email: string }> } };
    expect(client.row).to.include({ number: 'EPICERIEDUPONT', email: 'contact@epicerie-pont.fr' });
    expect(client.row.deliveries).to.have.length(1);
    expect(client.row.contacts[0]!.email).to.equal('helene@epicerie-pont.fr');
    // rows are spooled as JSON lines
    for (const i of items) expect(JSON.parse(JSON.stringify(i))).to.deep.equal(i);
  });

  it('makes the families the category tree of a dossier without catalogue', async () => {
    const items = await documentItems(encodeFormatSage(catalogueRecords().filter(([flag]) => flag !== '#CCATAL')));
    const families = items.filter((i) => 'pipelines' in i && i.kind === 'famille');
    expect(families.map((f) => (f as { row: { code: string } }).row.code)).to.deep.equal(['ALIM', 'EPI', 'BOI']);
    expect(items.filter((i) => 'unused' in i && i.unused === '#CFAM')).to.deep.equal([]);
    // …but not when an earlier export brought the catalogue
    const earlier = tablesOf(await documentItems(fixtureBytes()));
    const again = await documentItems(encodeFormatSage(catalogueRecords().filter(([flag]) => flag !== '#CCATAL')), earlier);
    expect(again.filter((i) => 'pipelines' in i && i.kind === 'famille')).to.deep.equal([]);
  });

  it('places a catalogue node of a partial export under its parent from the earlier exports, or says why not', async () => {
    const earlier = tablesOf(await documentItems(fixtureBytes()));
    const node = (label: string, level: string, parent: string): [string, string[]] => ['#CCATAL', [label, '99', '0', level, parent]];
    const items = await documentItems(encodeFormatSage([node('Thé noir', '2', 'Thés'), node('Smoothies', '2', 'Bio'), node('Sirops', '2', 'Inconnu')]), earlier);
    const rows = items.flatMap((i) => ('pipelines' in i ? [i.row as { label: string; path: string[] | null; problem?: string }] : []));
    expect(rows.map((r) => [r.label, r.path, r.problem])).to.deep.equal([
      ['Thé noir', ['Boissons', 'Thés', 'Thé noir'], undefined],
      ['Smoothies', null, 'parent « Bio » ambigu : Épicerie > Bio ; Boissons > Bio'],
      ['Sirops', null, 'parent « Inconnu » (niveau 2) absent de ce fichier et des exports précédents'],
    ]);
  });

  it('says of the public accounting sample (#MPLG only) that no record is for the shop, with the count, no reject', async () => {
    const items = await documentItems(readFileSync(MPLG_SAMPLE));
    expect(items).to.deep.equal([{ unused: '#MPLG' }, { unused: '#MPLG' }]);
  });

  it('turns the reader\'s refusals into rejects with their line and flag', async () => {
    const records = catalogueRecords();
    const cut = records.map(([flag, fields]): [string, string[]] => [flag, flag === '#CCCL' ? fields.slice(1) : fields]);
    const items = await documentItems(encodeFormatSage(cut));
    const rejects = items.filter((i) => 'reject' in i);
    expect(rejects).to.have.length(1);
    expect(rejects[0]).to.deep.include({ kind: '#CCCL' });
    expect(items.some((i) => 'table' in i && i.table === 'priceCategories')).to.equal(false);
  });
});
