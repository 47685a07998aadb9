import { expect } from 'chai';
import { boundedList, cut } from '../../src/text/bounded.ts';

describe('boundedList (reasons a person can read, issue #7)', () => {
  it('shows short lists whole, quoted, and an empty one as « (aucune) »', () => {
    expect(boundedList(['AR_Ref', 'DE_No'])).to.equal('« AR_Ref », « DE_No »');
    expect(boundedList([])).to.equal('(aucune)');
  });

  it('shows the first items then « … et N autres », a few hundred characters whatever the list', () => {
    const many = Array.from({ length: 2_000_000 }, (_, i) => `C${i}`);
    const text = boundedList(many);
    expect(text).to.match(/^« C0 », « C1 », .*, « C19 » … et 1 999 980 autres$/);
    expect(text.length).to.be.below(400);
    expect(boundedList(['a', 'b', 'c'], { maxItems: 2 })).to.equal('« a », « b » … et 1 autre');
  });

  it('cuts one huge item instead of showing it whole', () => {
    const text = boundedList(['x'.repeat(1_000_000), 'y']);
    expect(text.length).to.be.below(100);
    expect(text).to.match(/^« x+… », « y »$/);
    expect(cut('ab😀cd', 4)).to.equal('ab…');
  });
});
