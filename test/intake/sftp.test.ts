import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { ConfigError, FileFatalError, RetriableError } from '../../src/errors.ts';
import { SftpDrop, SftpHostKeyMismatch, type SftpConfig, type SftpDropDeps } from '../../src/intake/sftp.ts';
import { startTestSshd, type TestSshd } from '../support/sshd.ts';
import { failure } from '../support/failure.ts';

const quietLog = { info: (): void => undefined, warn: (): void => undefined };


async function listDir(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).sort();
}

/** The server's own suite runs against OpenSSH when installed, and always against the ssh2 fallback. */
const kinds: Array<'openssh' | 'ssh2' | undefined> = existsSync('/usr/sbin/sshd') ? [undefined, 'ssh2'] : [undefined];

for (const kind of kinds) {
  describe(`SftpDrop (${kind ?? 'default'} test server)`, function () {
    let sshd: TestSshd;
    let local: string;
    let inbound: string;
    let outbound: string;
    let testNo = 0;

    before(async () => {
      sshd = await startTestSshd(kind);
    });
    after(async () => {
      await sshd?.stop();
    });
    beforeEach(async () => {
      testNo++;
      inbound = path.join(sshd.root, `t${testNo}`, 'inbound');
      outbound = path.join(sshd.root, `t${testNo}`, 'outbound');
      await fsp.mkdir(inbound, { recursive: true });
      await fsp.mkdir(outbound, { recursive: true });
      local = await fsp.mkdtemp(path.join(os.tmpdir(), 'prestasync-sftp-local-'));
    });
    afterEach(async () => {
      await fsp.rm(local, { recursive: true, force: true });
    });

    function config(over: Partial<SftpConfig> = {}): SftpConfig {
      return {
        host: sshd.host,
        port: sshd.port,
        username: sshd.username,
        privateKey: sshd.privateKeyPath,
        hostKeySha256: sshd.hostKeySha256,
        inbound,
        outbound,
        timeoutMs: 10_000,
        ...over,
      };
    }
    const drop = (over: Partial<SftpConfig> = {}, deps: SftpDropDeps = {}): SftpDrop =>
      new SftpDrop(config(over), quietLog, deps);
    const fast = { stableMs: 10, ignoreMinAge: true };

    it('pulls a complete file byte for byte and moves it to processed/ on the server', async () => {
      // Several SFTP read chunks, and bytes that are not UTF-8 (a cp1252 export).
      const content = Buffer.concat([Buffer.from('réf;libellé\n', 'latin1'), randomBytes(300_000)]);
      await fsp.writeFile(path.join(inbound, 'ARTICLES.csv'), content);

      const pulled = await drop().pull(local, fast);

      expect(pulled).to.deep.equal([
        { remoteName: 'ARTICLES.csv', localPath: path.join(local, 'ARTICLES.csv'), size: content.length },
      ]);
      expect((await fsp.readFile(path.join(local, 'ARTICLES.csv'))).equals(content)).to.equal(true);
      expect(await listDir(local)).to.deep.equal(['ARTICLES.csv']);
      expect(await listDir(inbound)).to.deep.equal(['processed']);
      expect((await fsp.readFile(path.join(inbound, 'processed', 'ARTICLES.csv'))).equals(content)).to.equal(true);
    });

    it('leaves .part, .tmp, dot files and sub-folders alone', async () => {
      const ignored = ['stock.csv.part', 'stock.TMP', '.stock.csv', 'stock.tmp'];
      for (const name of ignored) await fsp.writeFile(path.join(inbound, name), 'x;1\n');
      await fsp.mkdir(path.join(inbound, 'old'));
      await fsp.writeFile(path.join(inbound, 'old', 'inside.csv'), 'x;1\n');
      await fsp.writeFile(path.join(inbound, 'stock.csv'), 'x;1\n');

      const pulled = await drop().pull(local, fast);

      expect(pulled.map((f) => f.remoteName)).to.deep.equal(['stock.csv']);
      expect(await listDir(inbound)).to.deep.equal([...ignored, 'old', 'processed'].sort());
      expect(await listDir(path.join(inbound, 'old'))).to.deep.equal(['inside.csv']);
      expect(await listDir(local)).to.deep.equal(['stock.csv']);
    });

    it('leaves a file younger than minAgeMs for a later poll, and takes it once old enough', async () => {
      const file = path.join(inbound, 'commandes.csv');
      await fsp.writeFile(file, 'cmd;1\n');
      const sftp = drop({ minAgeMs: 3_600_000 });

      expect(await sftp.pull(local, { stableMs: 10, ignoreMinAge: false })).to.deep.equal([]);
      expect(await listDir(inbound)).to.deep.equal(['commandes.csv']);
      expect(await listDir(local)).to.deep.equal([]);

      const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
      await fsp.utimes(file, twoHoursAgo, twoHoursAgo);
      const pulled = await sftp.pull(local, { stableMs: 10, ignoreMinAge: false });
      expect(pulled.map((f) => f.remoteName)).to.deep.equal(['commandes.csv']);
    });

    it('does not take a file whose size changes between the two listings', async () => {
      const file = path.join(inbound, 'stock.csv');
      await fsp.writeFile(file, 'ref;qte\nA;1\n');
      // The ERP is still writing: a line is appended while SftpDrop waits between its two listings.
      const writer: SftpDropDeps = { sleep: () => fsp.appendFile(file, 'B;2\n') };

      expect(await drop({}, writer).pull(local, fast)).to.deep.equal([]);
      expect(await listDir(inbound)).to.deep.equal(['stock.csv']);
      expect(await listDir(local)).to.deep.equal([]);

      // Writer done: the next poll takes the whole file.
      const pulled = await drop().pull(local, fast);
      expect(pulled.map((f) => f.remoteName)).to.deep.equal(['stock.csv']);
      expect(await fsp.readFile(path.join(local, 'stock.csv'), 'utf8')).to.equal('ref;qte\nA;1\nB;2\n');
    });

    it('never overwrites a same-named local file: the new one gets a " (2)" suffix', async () => {
      await fsp.writeFile(path.join(local, 'clients.csv'), 'earlier export\n');
      await fsp.writeFile(path.join(local, 'clients (2).csv'), 'even earlier\n');
      await fsp.writeFile(path.join(inbound, 'clients.csv'), 'new export\n');

      const pulled = await drop().pull(local, fast);

      expect(pulled.map((f) => f.localPath)).to.deep.equal([path.join(local, 'clients (3).csv')]);
      expect(await fsp.readFile(path.join(local, 'clients.csv'), 'utf8')).to.equal('earlier export\n');
      expect(await fsp.readFile(path.join(local, 'clients (2).csv'), 'utf8')).to.equal('even earlier\n');
      expect(await fsp.readFile(path.join(local, 'clients (3).csv'), 'utf8')).to.equal('new export\n');
    });

    it('never overwrites a same-named file in the remote processed/ folder', async () => {
      await fsp.mkdir(path.join(inbound, 'processed'));
      await fsp.writeFile(path.join(inbound, 'processed', 'tarifs.csv'), 'last week\n');
      await fsp.writeFile(path.join(inbound, 'tarifs.csv'), 'this week\n');

      await drop().pull(local, fast);

      expect(await listDir(path.join(inbound, 'processed'))).to.deep.equal(['tarifs (2).csv', 'tarifs.csv']);
      expect(await fsp.readFile(path.join(inbound, 'processed', 'tarifs.csv'), 'utf8')).to.equal('last week\n');
      expect(await fsp.readFile(path.join(inbound, 'processed', 'tarifs (2).csv'), 'utf8')).to.equal('this week\n');
    });

    it('pushes under the final name, and a second push of the same file is idempotent', async () => {
      const src = path.join(local, 'commandes-web.txt');
      const content = randomBytes(70_000);
      await fsp.writeFile(src, content);
      const sftp = drop();

      await sftp.push(src, 'CMD0001.txt');
      await sftp.push(src, 'CMD0001.txt');

      expect(await listDir(outbound)).to.deep.equal(['CMD0001.txt']);
      expect((await fsp.readFile(path.join(outbound, 'CMD0001.txt'))).equals(content)).to.equal(true);
    });

    it('pushes through a temporary dot name: when that name cannot be written, the final name never appears', async () => {
      const src = path.join(local, 'commande.txt');
      await fsp.writeFile(src, 'ligne\n');
      // A directory squatting the temporary name makes the upload fail before any rename.
      await fsp.mkdir(path.join(outbound, '.CMD0002.txt.part'));

      const err = await failure(drop().push(src, 'CMD0002.txt'));

      expect(err).to.be.instanceOf(RetriableError);
      expect(await listDir(outbound)).to.deep.equal(['.CMD0002.txt.part']);
    });

    it('refuses to overwrite a different remote file of the same name', async () => {
      const src = path.join(local, 'commande.txt');
      await fsp.writeFile(src, 'our order, longer\n');
      await fsp.writeFile(path.join(outbound, 'CMD0003.txt'), 'ERP not done yet\n');

      const err = await failure(drop().push(src, 'CMD0003.txt'));

      expect(err).to.be.instanceOf(FileFatalError);
      expect(err.message).to.contain('CMD0003.txt').and.contain("n'est pas écrasé");
      expect(await fsp.readFile(path.join(outbound, 'CMD0003.txt'), 'utf8')).to.equal('ERP not done yet\n');
    });

    it('fails with a RetriableError when the connection goes away mid-pull, leaving the file on the server', async () => {
      await fsp.writeFile(path.join(inbound, 'stock.csv'), 'A;1\n');
      // close() between the two listings: the session ends under the pull's feet.
      const sftp: SftpDrop = drop({}, { sleep: () => sftp.close() });

      const err = await failure(sftp.pull(local, fast));

      expect(err).to.be.instanceOf(RetriableError);
      expect(await listDir(inbound)).to.deep.equal(['stock.csv']);
      expect(await listDir(local)).to.deep.equal([]);
    });

    it('refuses a server whose host key is not the pinned one, naming both fingerprints, and downloads nothing', async () => {
      await fsp.writeFile(path.join(inbound, 'ARTICLES.csv'), 'a;b\n');
      const pinned = 'SHA256:' + Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '');
      const sftp = drop({ hostKeySha256: pinned });

      const err = await failure(sftp.pull(local, fast));

      expect(err).to.be.instanceOf(ConfigError).and.instanceOf(SftpHostKeyMismatch);
      expect(err.message).to.contain(
        `Empreinte de la clé d'hôte SFTP inattendue : reçue ${sshd.hostKeySha256}, attendue ${pinned}`,
      );
      expect(sftp.serverHostKeySha256).to.equal(sshd.hostKeySha256);
      expect(await listDir(local)).to.deep.equal([]);
      expect(await listDir(inbound)).to.deep.equal(['ARTICLES.csv']);
    });

    it('accepts the pinned fingerprint with a trailing "="', async () => {
      await fsp.writeFile(path.join(inbound, 'a.csv'), 'a\n');
      const pulled = await drop({ hostKeySha256: `${sshd.hostKeySha256}=` }).pull(local, fast);
      expect(pulled).to.have.length(1);
    });

    it('reports a rejected user key as a ConfigError that never contains the key', async () => {
      const otherKey = path.join(local, 'not-authorized');
      const keyText = ssh2.utils.generateKeyPairSync('ed25519').private;
      await fsp.writeFile(otherKey, keyText, { mode: 0o600 });

      const err = await failure(drop({ privateKey: otherKey }).pull(path.join(local, 'in'), fast));

      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.contain('Authentification SFTP refusée').and.contain(sshd.username);
      const body = keyText.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));
      expect(body.length).to.be.greaterThan(0);
      const shown = `${err.message}\n${err.stack ?? ''}\n${JSON.stringify(err)}`;
      for (const line of body) expect(shown).not.to.contain(line);
    });

    it('reports a private key path that does not exist as a ConfigError', async () => {
      const missing = path.join(local, 'nowhere', 'id_ed25519');
      const err = await failure(drop({ privateKey: missing }).pull(local, fast));
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.contain('Clé privée SFTP introuvable').and.contain(missing);
    });
  });
}

describe('SftpDrop without a usable server', () => {
  let keyDir: string;
  let key: string;
  before(async () => {
    keyDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'prestasync-sftp-key-'));
    key = path.join(keyDir, 'id');
    await fsp.writeFile(key, ssh2.utils.generateKeyPairSync('ed25519').private);
  });
  after(async () => {
    await fsp.rm(keyDir, { recursive: true, force: true });
  });

  const pullFrom = (port: number, timeoutMs = 10_000): Promise<Error> =>
    failure(
      new SftpDrop(
        {
          host: '127.0.0.1',
          port,
          username: 'u',
          privateKey: key,
          hostKeySha256: 'SHA256:x',
          inbound: '/in',
          outbound: '/out',
          timeoutMs,
        },
        quietLog,
      ).pull(path.join(keyDir, 'local'), { stableMs: 10, ignoreMinAge: true }),
    );

  /** A TCP server on 127.0.0.1 that treats each connection with `onSocket`. */
  async function tcpServer(onSocket: (s: net.Socket) => void): Promise<{ port: number; close(): Promise<void> }> {
    const sockets = new Set<net.Socket>();
    const srv = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      onSocket(s);
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const addr = srv.address();
    if (addr === null || typeof addr === 'string') throw new Error('no port');
    return {
      port: addr.port,
      close: () => {
        for (const s of sockets) s.destroy();
        return new Promise<void>((resolve) => srv.close(() => resolve()));
      },
    };
  }

  it('reports an encrypted private key without its passphrase as a ConfigError', async () => {
    const encrypted = path.join(keyDir, 'encrypted');
    const opts = { passphrase: 'secret-phrase', cipher: 'aes256-ctr', rounds: 16 };
    await fsp.writeFile(encrypted, ssh2.utils.generateKeyPairSync('ed25519', opts).private);
    const err = await failure(
      new SftpDrop(
        { host: '127.0.0.1', port: 1, username: 'u', privateKey: encrypted, hostKeySha256: 'x', inbound: '/', outbound: '/' },
        quietLog,
      ).push(encrypted, 'x.txt'),
    );
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.contain('Clé privée SFTP illisible');
  });

  it('reports a refused connection as a RetriableError', async () => {
    const srv = await tcpServer(() => undefined);
    await srv.close();
    const err = await pullFrom(srv.port);
    expect(err).to.be.instanceOf(RetriableError);
    expect(err.message).to.contain('connexion refusée');
  });

  it('reports a connection reset before the handshake as a RetriableError', async () => {
    const srv = await tcpServer((s) => s.resetAndDestroy());
    try {
      expect(await pullFrom(srv.port)).to.be.instanceOf(RetriableError);
    } finally {
      await srv.close();
    }
  });

  it('reports a server that never answers as a RetriableError', async () => {
    const srv = await tcpServer(() => undefined);
    try {
      const err = await pullFrom(srv.port, 300);
      expect(err).to.be.instanceOf(RetriableError);
      expect(err.message).to.contain('Délai dépassé');
    } finally {
      await srv.close();
    }
  });
});
