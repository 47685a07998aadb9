import { expect } from 'chai';
import iconv from 'iconv-lite';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import { writeCancellationNotice } from '../../../transforms/orders/cancellation.ts';

const cfg = parseOrdersConfig(undefined);
const notice = { idOrder: 42, reference: 'UUBOXOBGX', cancelledAt: '2026-11-29 10:15:00', exportedFileName: 'CMD-42-UUBOXOBGX.txt' };

describe('orders: cancellation notice', () => {
  it('says in French which order was cancelled after export, when, and as which ERP document', () => {
    const file = writeCancellationNotice(notice, 'sage', cfg);
    expect(file.fileName).to.equal('ANNUL-42-UUBOXOBGX.txt');
    const text = iconv.decode(file.bytes, 'cp850');
    expect(text).to.contain('UUBOXOBGX (id 42)');
    expect(text).to.contain('Annulée dans la boutique le 29/11/2026 à 10:15:00');
    expect(text).to.contain('CMD-42-UUBOXOBGX.txt');
    expect(text).to.contain('Pièce ERP (commande) : WEB000042');
    expect(text.split('\r\n').every((l) => !l.includes('\n'))).to.equal(true);
  });

  it('is written in the ERP\'s encoding', () => {
    const sage = writeCancellationNotice(notice, 'sage', cfg).bytes;
    expect(sage.includes(Buffer.from('Annul\x82e', 'latin1'))).to.equal(true); // é = 0x82 in CP850
    const ebp = writeCancellationNotice(notice, 'ebp', cfg).bytes;
    expect(ebp.includes(Buffer.from('Annul\xe9e', 'latin1'))).to.equal(true); // é = 0xE9 in cp1252
    const divalto = writeCancellationNotice(notice, 'divalto', parseOrdersConfig({ documentType: 'quote' })).bytes;
    expect([...divalto.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(divalto.toString('utf8')).to.contain('Pièce ERP (devis)');
  });
});
