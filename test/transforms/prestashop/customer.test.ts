// Names and address fields cleaned to PrestaShop's validators (validate.json, 8.1.2): whatever goes in, what
// comes out passes the shop's own pattern, or is null and the line is rejected.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { changedCustomerFields, cleanName, customerChange, phoneText, postcodeText, splitName, type CustomerFields } from '../../../transforms/prestashop/customer.ts';

const validators = (JSON.parse(readFileSync(new URL('../../../src/prestashop/reference/validate.json', import.meta.url), 'utf8')) as { validators: Record<string, { js_pattern: string; js_pattern_flags: string; js_pattern_dot_spaced?: string }> }).validators;
const customerName = new RegExp(validators.isCustomerName!.js_pattern, validators.isCustomerName!.js_pattern_flags);
const dotSpaced = new RegExp(validators.isCustomerName!.js_pattern_dot_spaced!, 'u');
const isName = new RegExp(validators.isName!.js_pattern, validators.isName!.js_pattern_flags);
const accepted = (n: string) => customerName.test(n) && (!/[.。]/.test(n) || dotSpaced.test(n)) && isName.test(n);

describe('PrestaShop customer names and fields', () => {
  it('cleans what the shop refuses and keeps what it accepts', () => {
    const cases: Array<[string, string | null]> = [
      ['Jean-Pierre', 'Jean-Pierre'], ["L'Atelier (Lyon) #2", "L'Atelier Lyon"], ['J.Dupuis', 'J. Dupuis'], ['Dupuis.', 'Dupuis.'],
      ['Zoë  Ölçer', 'Zoë Ölçer'], ['SARL 2000 & Fils', 'SARL & Fils'], ['a_b@c', 'a b c'], ['1234', null], ['(#) 42 !', null], ['   ', null],
      ['www.exemple.com', 'www. exemple. com'],
    ];
    for (const [raw, want] of cases) {
      const got = cleanName(raw);
      expect(got, raw).to.equal(want);
      if (got !== null) expect(accepted(got), `${got} passes isCustomerName and isName`).to.equal(true);
    }
    expect(accepted('J.Dupuis'), 'the validator itself refuses the raw value').to.equal(false);
  });

  it('splits one name field: civility dropped, first word the first name, one word both', () => {
    expect(splitName('Mme Marie Durand')).to.deep.equal({ firstname: 'Marie', lastname: 'Durand', cleaned: false });
    expect(splitName('Jean de La Fontaine')).to.deep.equal({ firstname: 'Jean', lastname: 'de La Fontaine', cleaned: false });
    expect(splitName('ACME')).to.deep.equal({ firstname: 'ACME', lastname: 'ACME', cleaned: false });
    expect(splitName('3D Concept')).to.deep.equal({ firstname: 'D', lastname: 'Concept', cleaned: true });
    expect(splitName('2024')).to.equal(null);
  });

  it('phone and postcode keep only what the validators allow', () => {
    expect(phoneText('04.78.12.34.56 (standard)')).to.equal('04.78.12.34.56 ()');
    expect(phoneText('inconnu')).to.equal('');
    expect(postcodeText(' 75016 ')).to.equal('75016');
    expect(postcodeText('L-1234 Éch')).to.equal('L-1234 ECH');
  });

  it('diffs the owned fields (e-mail case-insensitively) and sends the membership as the groups association', () => {
    const have: CustomerFields = { firstname: 'Paul', lastname: 'Martin', email: 'Paul@X.fr', company: '', siret: '', active: '1', id_default_group: '3', groups: ['3'] };
    expect(changedCustomerFields({ ...have, email: 'paul@x.fr' }, have)).to.deep.equal({});
    const change = changedCustomerFields({ ...have, id_default_group: '4', groups: ['3', '4'] }, have);
    expect(customerChange(change)).to.deep.equal({ id_default_group: '4', associations: { groups: [{ id: '3' }, { id: '4' }] } });
  });
});
