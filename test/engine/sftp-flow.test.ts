// The ERP's SFTP drop, against a real OpenSSH sshd on 127.0.0.1 (the ssh2 test server when sshd is absent):
// a stock export pulled, applied and archived; order files pushed to the ERP's import folder.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import type { FileReport } from '../../src/report.ts';
import { startTestSshd, type TestSshd } from '../support/sshd.ts';
import { webOrder } from '../support/orders.ts';
import { listTree, makeWorkspace, type Workspace } from '../support/workspace.ts';

describe('SFTP drop (real sshd)', function () {
  this.timeout(60000);
  let sshd: TestSshd;
  let ws: Workspace;
  let inbound: string;
  let outbound: string;

  beforeEach(async () => {
    sshd = await startTestSshd();
    inbound = path.join(sshd.root, 'exports');
    outbound = path.join(sshd.root, 'imports');
    await fs.mkdir(inbound, { recursive: true });
    await fs.mkdir(outbound, { recursive: true });
    ws = await makeWorkspace({
      products: [{ reference: 'VIS-4X40', quantity: 5 }, { reference: 'CHEVILLE-6', quantity: 5 }],
      config: {
        sftp: {
          host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKeyPath,
          hostKeySha256: sshd.hostKeySha256, inbound, outbound, minAgeMs: 0,
        },
        orders: { since: '2000-01-01' },
      },
    });
  });
  afterEach(async () => {
    await ws.close();
    await sshd.stop();
  });

  it('pulls a stock export, applies it, archives it with its report and moves it to processed/ on the server', async () => {
    const text = 'AR_Ref;DE_No;AS_QteSto;AS_QteRes\r\nVIS-4X40;1;12,000;2,000\r\nCHEVILLE-6;1;30;0\r\n';
    await fs.writeFile(path.join(inbound, 'stock_sftp.csv'), iconv.encode(text, 'windows-1252'));
    await fs.writeFile(path.join(inbound, 'stock_encours.csv.part'), 'being written');
    const engine = await ws.engine();
    const summary = await engine.runOnce();
    expect(summary.pulled).to.equal(1);
    expect(engine.state.sql.prepare('SELECT name, origin, status FROM files').all()).to.deep.equal([{ name: 'stock_sftp.csv', origin: 'sftp', status: 'done' }]);
    expect(summary.files.map((f) => f.outcome.status)).to.deep.equal(['done']);
    expect(ws.quantityOf('VIS-4X40')).to.equal(10);
    expect(ws.quantityOf('CHEVILLE-6')).to.equal(30);
    const reportFile = (await listTree(ws.archive)).find((f) => f.endsWith('stock_sftp.csv.report.json'))!;
    const report = JSON.parse(await fs.readFile(path.join(ws.archive, reportFile), 'utf8')) as FileReport;
    expect(report).to.include({ status: 'done', writes: 2 });
    expect(report.records).to.include({ read: 2, updated: 2 });
    expect((await fs.readdir(inbound)).sort()).to.deep.equal(['processed', 'stock_encours.csv.part']);
    expect(await fs.readdir(path.join(inbound, 'processed'))).to.deep.equal(['stock_sftp.csv']);
  });

  it('pushes each order file to the ERP import folder, once', async () => {
    const id = ws.shop.store.placeOrder(webOrder(1));
    const engine = await ws.engine();
    await engine.runOnce({ pipeline: 'orders' });
    const pushed = await fs.readdir(outbound);
    expect(pushed).to.have.length(1);
    expect(pushed[0]).to.match(new RegExp(`^CMD-${id}-.*\\.txt$`));
    const local = await fs.readFile(path.join(ws.loaded.config.paths.outbox, pushed[0]!));
    expect(await fs.readFile(path.join(outbound, pushed[0]!))).to.deep.equal(local);
    await engine.runOnce({ pipeline: 'orders' });
    expect(await fs.readdir(outbound)).to.deep.equal(pushed);
  });

  it('reports an order file the ERP folder already holds with other content, and delivers the others', async () => {
    const first = ws.shop.store.placeOrder(webOrder(1));
    const second = ws.shop.store.placeOrder(webOrder(2));
    const engine = await ws.engine();
    // Someone left a different file under the name the first order will get.
    const { orderFileName } = await import('../../transforms/orders/common.ts');
    const name = orderFileName({ idOrder: first, reference: String(ws.shop.store.get('orders', first)!.reference) }, 'txt');
    await fs.writeFile(path.join(outbound, name), 'autre contenu');
    const run = await engine.runOnce({ pipeline: 'orders' });
    const report = run.shop[0]!.report;
    expect(report.status).to.equal('partial');
    expect(report.items.find((i) => i.outcome === 'non livrée')?.reason).to.match(/taille différente/);
    expect(await fs.readFile(path.join(outbound, name), 'utf8'), 'never overwritten').to.equal('autre contenu');
    expect((await fs.readdir(outbound)).some((f) => f.startsWith(`CMD-${second}-`))).to.equal(true);
  });
});
