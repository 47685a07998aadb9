import { expect } from 'chai';
import type { DocumentItem } from '../../../src/document.ts';
import { linkRewrite } from '../../../transforms/catalog/link-rewrite.ts';
import { sageCatalogueToCategory, sageFamilyToCategory } from '../../../transforms/sage/categories.ts';
import { sageArticleToProduct, type SageProductOptions } from '../../../transforms/sage/product.ts';
import type { SageArticleRow, SageCatalogueRow, SageFamilyRow } from '../../../transforms/sage/rows.ts';
import { catalogueRecords, encodeFormatSage } from '../../fixtures/erp/sage/make-catalogue.ts';
import { articleLine, documentItems, fixtureBytes, fixtureLines, tablesOf } from './support.ts';

const OPTIONS: SageProductOptions = { languages: { langue1: 'en', langue2: 'de' }, defaultLanguage: 'fr' };
const rowsOf = <R>(items: readonly DocumentItem[], kind: string): R[] => items.flatMap((i) => ('pipelines' in i && i.kind === kind ? [i.row as R] : []));

describe('Sage transforms on the fixture', () => {
  let items: DocumentItem[];
  let tables: Map<string, Map<string, unknown>>;
  let articles: Map<string, SageArticleRow>;
  const lines = fixtureLines();
  before(async () => {
    items = await documentItems(fixtureBytes());
    tables = tablesOf(items);
    articles = new Map(rowsOf<SageArticleRow>(items, 'article').map((a) => [a.reference, a]));
  });
  const product = (ref: string, o: SageProductOptions = OPTIONS) => sageArticleToProduct(articles.get(ref)!, tables, o);

  it('maps an article field by field: name per language, price, VAT, unit, weight, EAN13, catalogue path, active', () => {
    expect(product('ART001')).to.deep.equal({
      line: articleLine(lines, 'ART001'), key: 'ART001',
      record: {
        reference: 'ART001', name: 'Café filtre', names: { en: 'Filter coffee', de: 'Filterkaffee', fr: 'Café filtre' },
        priceTaxExcl: '3.000000', vatRate: '20.000', unity: 'Pièce', unitPriceRatio: '1', weightKg: '1.000000', ean13: '3000000000001',
        categoryKeys: ['CAT:Boissons', 'CAT:Boissons/Cafés', 'CAT:Boissons/Cafés/Café moulu'], active: true,
      },
    });
  });

  it('gives a language without its own text the designation, and reads accents from CP850', () => {
    const p = product('ART002');
    expect(p).to.have.nested.property('record.names').that.deep.equals({ en: 'Pâte à tartiner', de: 'Pâte à tartiner', fr: 'Pâte à tartiner' });
    expect(p).to.have.nested.property('record.vatRate', '5.500');
    expect(p).to.have.nested.property('record.categoryKeys').that.deep.equals(['CAT:Épicerie', 'CAT:Épicerie/Petit-déjeuner', 'CAT:Épicerie/Petit-déjeuner/Pâtes à tartiner']);
  });

  it('converts the weight by its unit (#CART 7): grams, milligrams, kilograms', () => {
    expect(product('ART002')).to.have.nested.property('record.weightKg', '0.250000'); // 250 g
    expect(product('ART003')).to.have.nested.property('record.weightKg', '0.500000'); // 500 000 mg
    expect(product('ART009')).to.have.nested.property('record.weightKg', '1.000000'); // 1 kg
  });

  it('keeps an EAN13 only when #CART 34 has 13 digits', () => {
    expect(product('ART004')).to.not.have.nested.property('record.ean13'); // 21731006
    expect(product('ART005')).to.have.nested.property('record.ean13', '3000000000005');
  });

  it('takes the tax out of a price given tax included (#CART 24 = 1)', () => {
    expect(product('ART005')).to.have.nested.property('record.priceTaxExcl', '11.374408'); // 12,00 / 1,055
  });

  it('takes the VAT from the family (#CFAC) when the article has no accounting (#CACP)', () => {
    expect(articles.get('ART009')!.hasAccounting).to.equal(false);
    expect(product('ART009')).to.have.nested.property('record.vatRate', '20.000');
    expect(product('ART019')).to.have.nested.property('record.vatRate', '5.500');
  });

  it('takes the catalogue path of the family (#CFAM 34–37) when the article names none', () => {
    expect(product('ART006')).to.have.nested.property('record.categoryKeys').that.deep.equals(['CAT:Épicerie']);
  });

  it('rejects an article whose VAT rate the shop cannot apply, naming the rate, with its line', () => {
    expect(product('ART007')).to.have.nested.property('record.vatRate', '7.000');
    const rates = new Set(['20.000', '5.500', '10.000', '2.100']);
    expect(product('ART007', { ...OPTIONS, rates })).to.deep.equal({
      line: articleLine(lines, 'ART007'), key: 'ART007',
      reject: `article ART007 : taux de TVA 7,000 % (code taxe « C07 » de l'article (#CACP), ligne ${articleLine(lines, 'ART007') + 82}) : aucun groupe de taxes de la boutique pour ce taux`,
    });
    expect(product('ART001', { ...OPTIONS, rates })).to.have.property('record');
  });

  it('makes an article asleep (#CART 28) or not published (#CART 49) inactive', () => {
    expect(product('ART013')).to.have.nested.property('record.active', false);
    expect(product('ART014')).to.have.nested.property('record.active', false);
    expect(product('ART015')).to.have.nested.property('record.active', true);
  });

  it('rejects what it cannot read for sure, naming the line', () => {
    const a = articles.get('ART001')!;
    const at = a.line;
    const cases: Array<[Partial<SageArticleRow>, string]> = [
      [{ price: '12.50' }, `prix de vente (ligne ${at + 13}) : nombre invalide : « 12.50 » (séparateur décimal attendu « , »)`],
      [{ priceType: '2' }, `type de prix « 2 » (ligne ${at + 24}) : 0 (HT) ou 1 (TTC) attendu`],
      [{ weightUnit: '9' }, `unité de poids « 9 » (ligne ${at + 7}) : 1 (t), 2 (q), 3 (kg), 4 (g) ou 5 (mg) attendu`],
      [{ accounting: a.accounting.map((b) => ({ ...b, taxCode1: b.taxCode1 === 'C20' ? 'C99' : b.taxCode1 })) }, `code taxe « C99 » de l'article (#CACP), ligne ${at + 82} absent des taux de taxes (#MTAX) reçus : taux de TVA inconnu`],
      [{ catalogue: ['Boissons', '', 'Café moulu', ''] }, `catalogue incomplet (ligne ${at + 61} vide, un niveau plus bas renseigné)`],
      [{ catalogue: ['Boissons', 'Sodas', '', ''] }, `catalogue « Boissons > Sodas » (lignes ${at + 60}–${at + 61}) absent de l'arbre #CCATAL reçu`],
      [{ hasAccounting: false, accounting: [], family: 'XYZ' }, `TVA inconnue : pas de comptabilité article (#CACP) et famille « XYZ » (ligne ${at + 3}) absente de cet export et des précédents`],
    ];
    for (const [change, reason] of cases) {
      expect(sageArticleToProduct({ ...a, ...change }, tables, OPTIONS), reason).to.deep.equal({ line: at, key: 'ART001', reject: `article ART001 : ${reason}` });
    }
    expect(sageArticleToProduct({ ...a, reference: '  ' }, tables, OPTIONS)).to.deep.equal({ line: at, reject: `article sans référence (ligne ${at + 1})` });
    // a TTC price needs the rate to take the tax out (ALIM has an empty #CFAC: no VAT code at all)
    expect(sageArticleToProduct({ ...a, priceType: '1', accounting: [], hasAccounting: true, family: 'ALIM' }, tables, OPTIONS)).to.have.property('reject').that.contains('prix TTC');
  });

  it('trims the reference and the designation only in the mapping', () => {
    const a = articles.get('ART001')!;
    const p = sageArticleToProduct({ ...a, reference: ' ART001 ', designation: ' Café filtre  ' }, tables, OPTIONS);
    expect(p).to.include({ key: 'ART001' });
    expect(p).to.have.nested.property('record.name', 'Café filtre');
  });

  it('makes catalogue nodes categories under their parent path', () => {
    const nodes = rowsOf<SageCatalogueRow>(items, 'catalogue');
    const lines = nodes.map((n) => sageCatalogueToCategory(n, tables));
    expect(lines.every((l) => 'record' in l)).to.equal(true);
    expect(lines.find((l) => l.key === 'CAT:Boissons/Bio/Jus bio')).to.deep.include({ record: { key: 'CAT:Boissons/Bio/Jus bio', name: 'Jus bio', parentKey: 'CAT:Boissons/Bio', active: true } });
    expect(lines.find((l) => l.key === 'CAT:Épicerie')).to.deep.include({ record: { key: 'CAT:Épicerie', name: 'Épicerie', parentKey: null, active: true } });
    expect(sageCatalogueToCategory({ ...nodes[0]!, path: null, problem: 'parent « X » (niveau 2) absent' }, tables)).to.deep.equal({ line: nodes[0]!.line, reject: 'nœud de catalogue « Épicerie » non placé dans l\'arbre : parent « X » (niveau 2) absent' });
  });
});

describe('Sage families without catalogue', () => {
  it('makes families categories under their centralising family, and articles go to their family', async () => {
    const items = await documentItems(encodeFormatSage(catalogueRecords().filter(([flag]) => flag !== '#CCATAL')));
    const tables = tablesOf(items);
    const families = rowsOf<SageFamilyRow>(items, 'famille').map((f) => sageFamilyToCategory(f, tables));
    expect(families.map((f) => ('record' in f ? f.record : f))).to.deep.equal([
      { key: 'FAM:ALIM', name: 'Alimentation', parentKey: null, active: true },
      { key: 'FAM:EPI', name: 'Épicerie fine', parentKey: 'FAM:ALIM', active: true },
      { key: 'FAM:BOI', name: 'Boissons', parentKey: 'FAM:ALIM', active: true },
    ]);
    const art = rowsOf<SageArticleRow>(items, 'article').find((a) => a.reference === 'ART009')!;
    // its own labels #CART 60–63 name a catalogue this dossier does not have
    expect(sageArticleToProduct(art, tables, OPTIONS)).to.have.property('reject').that.contains('absent de l\'arbre #CCATAL reçu');
    const noPath = sageArticleToProduct({ ...art, catalogue: ['', '', '', ''], family: 'BOI' }, new Map([...tables, ['families', new Map([['BOI', { ...(tables.get('families')!.get('BOI') as SageFamilyRow), catalogue: ['', '', '', ''] }]])]]), OPTIONS);
    expect(noPath).to.have.nested.property('record.categoryKeys').that.deep.equals(['FAM:ALIM', 'FAM:BOI']);
    expect(sageFamilyToCategory({ ...(tables.get('families')!.get('EPI') as SageFamilyRow), published: '0' }, tables)).to.have.nested.property('record.active', false);
  });
});

describe('linkRewrite', () => {
  it('follows PrestaShop: lower case, accents folded, other characters dropped, separators one « - », trimmed', () => {
    expect(linkRewrite('Pâte à tartiner')).to.equal('pate-a-tartiner');
    expect(linkRewrite('Café & Thé')).to.equal('cafe-the');
    expect(linkRewrite('1.5 kg')).to.equal('15-kg');
    expect(linkRewrite(' --Œufs frais-- ')).to.equal('oeufs-frais');
    expect(linkRewrite("L'été : [promo]/2")).to.equal('l-ete-promo-2');
    expect(linkRewrite('x'.repeat(200))).to.have.length(128);
    expect(linkRewrite('€€€')).to.equal('');
  });
});
