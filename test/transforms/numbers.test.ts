import { expect } from 'chai';
import { normalizeKey, parseDecimal, parseQuantity } from '../../transforms/common/numbers.ts';

const comma = { decimal: ',' } as const;
const dot = { decimal: '.' } as const;

describe('parseDecimal', () => {
  it('accepts French decimals, signs and thousands separated by space, NBSP or narrow NBSP', () => {
    expect(parseDecimal('12,5', comma)).to.deep.equal({ ok: true, value: 12.5 });
    expect(parseDecimal('-3', comma)).to.deep.equal({ ok: true, value: -3 });
    expect(parseDecimal(' 1 234,50 ', comma)).to.deep.equal({ ok: true, value: 1234.5 });
    expect(parseDecimal('1\u00A0234,50', comma)).to.deep.equal({ ok: true, value: 1234.5 });
    expect(parseDecimal('12\u202F345\u202F678', comma)).to.deep.equal({ ok: true, value: 12345678 });
    expect(parseDecimal('+0,000000', comma)).to.deep.equal({ ok: true, value: 0 });
    expect(parseDecimal(',5', comma)).to.deep.equal({ ok: true, value: 0.5 });
  });

  it("accepts '.' only when the profile declares it", () => {
    expect(parseDecimal('12.50', dot)).to.deep.equal({ ok: true, value: 12.5 });
    expect(parseDecimal('1 200.5', dot)).to.deep.equal({ ok: true, value: 1200.5 });
    const r = parseDecimal('12.50', comma);
    expect(r).to.deep.equal({ ok: false, reason: 'nombre invalide : « 12.50 » (séparateur décimal attendu « , »)' });
    expect(parseDecimal('12,5', dot).ok).to.equal(false);
  });

  it('rejects what it cannot read for sure, with the value in the reason', () => {
    for (const bad of ['12,5,3', 'abc', '1.234,5', '12 34', '-', ',', '12,', '1e3', '0x10', '12 €']) {
      const r = parseDecimal(bad, comma);
      expect(r.ok, bad).to.equal(false);
      if (!r.ok) expect(r.reason).to.contain(bad.trim());
    }
  });

  it('rejects an empty value with « valeur vide » (the caller decides whether blank means 0)', () => {
    expect(parseDecimal('', comma)).to.deep.equal({ ok: false, reason: 'valeur vide' });
    expect(parseDecimal('   ', comma)).to.deep.equal({ ok: false, reason: 'valeur vide' });
  });

  it('never returns -0', () => {
    const r = parseDecimal('-0,000', comma);
    expect(r.ok && Object.is(r.value, 0)).to.equal(true);
  });
});

describe('parseQuantity', () => {
  it('reads whole quantities, including Sage decimals that are whole', () => {
    expect(parseQuantity('12,000', comma)).to.deep.equal({ ok: true, value: 12 });
    expect(parseQuantity('1 200,000000', comma)).to.deep.equal({ ok: true, value: 1200 });
    expect(parseQuantity('-4', comma)).to.deep.equal({ ok: true, value: -4 });
    expect(parseQuantity('10.000', dot)).to.deep.equal({ ok: true, value: 10 });
  });

  it('rejects a fractional stock with « quantité non entière »', () => {
    expect(parseQuantity('12,5', comma)).to.deep.equal({ ok: false, reason: 'quantité non entière : 12,5' });
    expect(parseQuantity('abc', comma)).to.deep.equal({ ok: false, reason: 'nombre invalide : « abc »' });
  });
});

describe('normalizeKey', () => {
  it('trims and NFC-normalises, nothing else (references are exact)', () => {
    expect(normalizeKey('  BAAR01 ')).to.equal('BAAR01');
    expect(normalizeKey('E\u0301TUI')).to.equal('\u00C9TUI');
    expect(normalizeKey('AB 12')).to.equal('AB 12');
    expect(normalizeKey('ab12')).to.not.equal(normalizeKey('AB12'));
  });
});
