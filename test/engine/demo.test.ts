// `prestasync demo` as a new user runs it: every step prints what it did (a demo that breaks is the first
// thing an integrator sees).
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function demo(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), 'demo'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    p.on('exit', (code) => resolve({ code, out }));
  });
}

describe('prestasync demo (Sage 100)', function () {
  this.timeout(120_000);

  it('shows the catalogue, the stock, the orders exported once, a shipped order and a published invoice', async () => {
    const { code, out } = await demo();
    expect(code, out).to.equal(0);
    expect(out).to.contain('catégories : 14 lu(s), 14 créé(s)');
    expect(out).to.match(/PERCEUSE-18V +Perceuse-visseuse sans fil 18 V +89\.00 € +1\.600 kg +Outillage > Électroportatif > Perceuses/);
    expect(out).to.contain('18 V cordless drill driver');
    expect(out).to.match(/Menuiserie Leclerc SARL +achats@menuiserie-leclerc\.fr +groupe « Revendeurs », 2 adresse\(s\)/);
    expect(out).to.contain('1 client(s) sans e-mail, non publié(s) : COMPTOIR');
    expect(out).to.match(/CHEVILLE-NYL-8 +groupe « Grossistes » +-8 % +à partir de 50/);
    expect(out).to.match(/PERCEUSE-18V +groupe « Grossistes » +79\.00 € +à partir de 1/);
    expect(out).to.contain('Relance de l’export : 0 nouvelle commande exportée');
    expect(out).to.match(/→ 4 « Expédié », n° de suivi/);
    expect(out).to.contain('Votre facture FA00001 est disponible');
  });
});
