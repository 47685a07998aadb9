// A real SFTP server for the tests: OpenSSH's sshd when installed (what the ERP side runs in real life),
// otherwise an in-process ssh2 Server that speaks the SFTP subset SftpDrop uses. Both serve the local
// folder `root` under the same absolute paths, so a test writes `join(root, 'inbound', x)` locally and
// gives `join(root, 'inbound')` as the remote folder.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp, type Stats } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import type { Attributes, Connection, SFTPWrapper } from 'ssh2';

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  username: string;
  privateKeyPath: string;
  hostKeySha256: string;
  /** Local path that the SFTP user sees as its remote paths (same absolute path on both sides). */
  root: string;
  kind: 'openssh' | 'ssh2';
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';
const { Server, utils } = ssh2;
const STATUS = utils.sftp.STATUS_CODE;

/** Stops still running at process exit (a failed or interrupted test run must not leave sshd behind). */
const pendingStops = new Set<() => void>();
process.once('exit', () => {
  for (const stopNow of pendingStops) stopNow();
});

let fallbackAnnounced = false;

/** `kind` forces one implementation (the suite runs against both); by default sshd when installed. */
export async function startTestSshd(kind?: 'openssh' | 'ssh2'): Promise<TestSshd> {
  // sshd needs root for its privilege-separation directory; CI runs as root, a developer may not.
  const isRoot = process.getuid?.() === 0;
  const useOpenssh = kind ? kind === 'openssh' : existsSync(SSHD) && isRoot;
  if (!useOpenssh && !kind && !fallbackAnnounced) {
    fallbackAnnounced = true;
    console.log(existsSync(SSHD) ? 'not running as root: SFTP tests use the ssh2 test server instead of sshd' : 'sshd not found: SFTP tests use the ssh2 test server');
  }
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'prestasync-sshd-'));
  const root = path.join(dir, 'root');
  await fsp.mkdir(root);
  try {
    return useOpenssh ? await startOpenssh(dir, root) : await startSsh2(dir, root);
  } catch (err) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** ssh-keygen's own rendering of the fingerprint: an oracle independent of SftpDrop's hashing. */
function keygenFingerprint(pubPath: string): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath], { encoding: 'utf8' });
  const fp = out.split(' ')[1];
  if (!fp?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -l output: ${out}`);
  return fp;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const addr = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

async function startOpenssh(dir: string, root: string): Promise<TestSshd> {
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  const userKey = path.join(dir, 'id_ed25519');
  for (const key of [hostKey, userKey]) {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'prestasync-test', '-f', key]);
  }
  await fsp.copyFile(`${userKey}.pub`, path.join(dir, 'authorized_keys'));
  // sshd refuses to start without its privilege-separation directory, which a fresh container lacks.
  if (process.getuid?.() === 0) await fsp.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const username = os.userInfo().username;

  // A port picked here can be taken before sshd binds it: retry with another one.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = path.join(dir, 'sshd_config');
    await fsp.writeFile(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
        'UsePAM no',
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        `AllowUsers ${username}`,
        'LogLevel VERBOSE',
        'Subsystem sftp internal-sftp',
        '',
      ].join('\n'),
    );
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString('utf8');
    });
    const stopNow = (): void => killGroup(child, 'SIGKILL');
    pendingStops.add(stopNow);
    try {
      await waitForPort(child, port, () => stderr);
    } catch (err) {
      lastError = err;
      stopNow();
      pendingStops.delete(stopNow);
      continue;
    }
    return {
      host: '127.0.0.1',
      port,
      username,
      privateKeyPath: userKey,
      hostKeySha256: keygenFingerprint(`${hostKey}.pub`),
      root,
      kind: 'openssh',
      stop: async () => {
        pendingStops.delete(stopNow);
        await stopChild(child);
        await fsp.rm(dir, { recursive: true, force: true });
      },
    };
  }
  throw lastError;
}

async function waitForPort(child: ChildProcess, port: number, stderr: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`sshd exited (${child.exitCode ?? child.signalCode}): ${stderr()}`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${stderr()}`);
}

/** sshd was started as a process-group leader: the group includes the children it forked. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------------------
// Fallback: in-process ssh2 server, public-key auth for one key, SFTP over the real file system.

function fingerprintOf(publicSsh: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicSsh).digest('base64').replace(/=+$/, '')}`;
}

async function startSsh2(dir: string, root: string): Promise<TestSshd> {
  const hostPair = utils.generateKeyPairSync('ed25519');
  const userPair = utils.generateKeyPairSync('ed25519');
  const privateKeyPath = path.join(dir, 'id_ed25519');
  await fsp.writeFile(privateKeyPath, userPair.private, { mode: 0o600 });
  const userKey = utils.parseKey(userPair.public);
  const hostKey = utils.parseKey(hostPair.public);
  if (userKey instanceof Error || hostKey instanceof Error) throw new Error('ssh2 key generation failed');
  const username = 'prestasync';

  const connections = new Set<Connection>();
  const server = new Server({ hostKeys: [hostPair.private] }, (client) => {
    connections.add(client);
    client.on('close', () => connections.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.username !== username) return ctx.reject(['publickey']);
      const sameKey = ctx.key.algo === userKey.type && ctx.key.data.equals(userKey.getPublicSSH());
      if (!sameKey) return ctx.reject(['publickey']);
      if (ctx.signature === undefined || ctx.blob === undefined) return ctx.accept();
      if (userKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.accept();
      return ctx.reject(['publickey']);
    });
    client.on('session', (acceptSession) => {
      acceptSession().on('sftp', (acceptSftp) => serveSftp(acceptSftp(), root));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  const stopNow = (): void => {
    for (const c of connections) c.end();
    server.close();
  };
  pendingStops.add(stopNow);
  return {
    host: '127.0.0.1',
    port: addr.port,
    username,
    privateKeyPath,
    hostKeySha256: fingerprintOf(hostKey.getPublicSSH()),
    root,
    kind: 'ssh2',
    stop: async () => {
      pendingStops.delete(stopNow);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) c.end();
      await closed;
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

function attrsOf(st: Stats): Attributes {
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

/** ssh2-sftp-client reads the entry type from the first character of `ls -l`'s long name. */
function longnameOf(name: string, st: Stats): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : '-';
  return `${type}rw-r--r-- 1 ${st.uid} ${st.gid} ${st.size} Jan 1 00:00 ${name}`;
}

function serveSftp(sftp: SFTPWrapper, root: string): void {
  type Handle = { kind: 'file'; fh: fsp.FileHandle } | { kind: 'dir'; path: string; listed: boolean };
  const handles = new Map<number, Handle>();
  let nextHandle = 1;
  const newHandle = (h: Handle): Buffer => {
    const id = nextHandle++;
    handles.set(id, h);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    return buf;
  };
  const handleOf = (buf: Buffer): Handle | undefined => (buf.length === 4 ? handles.get(buf.readUInt32BE()) : undefined);
  // Confine the client to `root`, as a chroot would.
  const resolve = (p: string): string | undefined => {
    const abs = path.resolve(root, p);
    return abs === root || abs.startsWith(root + path.sep) ? abs : undefined;
  };
  const fail = (id: number, err: unknown): void => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') sftp.status(id, STATUS.NO_SUCH_FILE);
    else if (code === 'EACCES' || code === 'EPERM') sftp.status(id, STATUS.PERMISSION_DENIED);
    else sftp.status(id, STATUS.FAILURE, String(code ?? err));
  };
  /** Runs one request; file-system errors become SFTP status codes. */
  const run = (id: number, p: string | undefined, work: (abs: string) => Promise<void>): void => {
    const abs = p === undefined ? root : resolve(p);
    if (abs === undefined) return sftp.status(id, STATUS.PERMISSION_DENIED);
    work(abs).catch((err: unknown) => fail(id, err));
  };
  const withHandle = (id: number, buf: Buffer, work: (h: Handle) => Promise<void>): void => {
    const h = handleOf(buf);
    if (h === undefined) return sftp.status(id, STATUS.FAILURE, 'bad handle');
    work(h).catch((err: unknown) => fail(id, err));
  };

  sftp.on('OPEN', (id, filename, flags) =>
    run(id, filename, async (abs) => {
      const mode = utils.sftp.flagsToString(flags);
      if (mode === null) return sftp.status(id, STATUS.OP_UNSUPPORTED);
      sftp.handle(id, newHandle({ kind: 'file', fh: await fsp.open(abs, mode) }));
    }),
  );
  sftp.on('READ', (id, buf, offset, len) =>
    withHandle(id, buf, async (h) => {
      if (h.kind !== 'file') return sftp.status(id, STATUS.FAILURE);
      const out = Buffer.alloc(len);
      const { bytesRead } = await h.fh.read(out, 0, len, offset);
      if (bytesRead === 0) sftp.status(id, STATUS.EOF);
      else sftp.data(id, out.subarray(0, bytesRead));
    }),
  );
  sftp.on('WRITE', (id, buf, offset, data) =>
    withHandle(id, buf, async (h) => {
      if (h.kind !== 'file') return sftp.status(id, STATUS.FAILURE);
      await h.fh.write(data, 0, data.length, offset);
      sftp.status(id, STATUS.OK);
    }),
  );
  sftp.on('FSTAT', (id, buf) =>
    withHandle(id, buf, async (h) => {
      sftp.attrs(id, attrsOf(h.kind === 'file' ? await h.fh.stat() : await fsp.stat(h.path)));
    }),
  );
  const okAttrs = (id: number): void => sftp.status(id, STATUS.OK);
  sftp.on('FSETSTAT', okAttrs);
  sftp.on('SETSTAT', okAttrs);
  sftp.on('CLOSE', (id, buf) =>
    withHandle(id, buf, async (h) => {
      handles.delete(buf.readUInt32BE());
      if (h.kind === 'file') await h.fh.close();
      sftp.status(id, STATUS.OK);
    }),
  );
  sftp.on('OPENDIR', (id, p) =>
    run(id, p, async (abs) => {
      if (!(await fsp.stat(abs)).isDirectory()) return sftp.status(id, STATUS.FAILURE, 'not a directory');
      sftp.handle(id, newHandle({ kind: 'dir', path: abs, listed: false }));
    }),
  );
  sftp.on('READDIR', (id, buf) =>
    withHandle(id, buf, async (h) => {
      if (h.kind !== 'dir') return sftp.status(id, STATUS.FAILURE);
      if (h.listed) return sftp.status(id, STATUS.EOF);
      h.listed = true;
      const names = await fsp.readdir(h.path);
      const entries = await Promise.all(
        names.map(async (filename) => {
          const st = await fsp.lstat(path.join(h.path, filename));
          return { filename, longname: longnameOf(filename, st), attrs: attrsOf(st) };
        }),
      );
      sftp.name(id, entries);
    }),
  );
  sftp.on('STAT', (id, p) => run(id, p, async (abs) => sftp.attrs(id, attrsOf(await fsp.stat(abs)))));
  sftp.on('LSTAT', (id, p) => run(id, p, async (abs) => sftp.attrs(id, attrsOf(await fsp.lstat(abs)))));
  sftp.on('REALPATH', (id, p) =>
    run(id, p, async (abs) => sftp.name(id, [{ filename: abs, longname: abs, attrs: {} as Attributes }])),
  );
  sftp.on('MKDIR', (id, p) => run(id, p, async (abs) => (await fsp.mkdir(abs), sftp.status(id, STATUS.OK))));
  sftp.on('RMDIR', (id, p) => run(id, p, async (abs) => (await fsp.rmdir(abs), sftp.status(id, STATUS.OK))));
  sftp.on('REMOVE', (id, p) => run(id, p, async (abs) => (await fsp.unlink(abs), sftp.status(id, STATUS.OK))));
  sftp.on('RENAME', (id, from, to) =>
    run(id, from, async (absFrom) => {
      const absTo = resolve(to);
      if (absTo === undefined) return sftp.status(id, STATUS.PERMISSION_DENIED);
      // SFTP v3 rename, as OpenSSH implements it (link + unlink): never replaces an existing target.
      if ((await fsp.lstat(absFrom)).isDirectory()) {
        if (existsSync(absTo)) return sftp.status(id, STATUS.FAILURE, 'target exists');
        await fsp.rename(absFrom, absTo);
      } else {
        await fsp.link(absFrom, absTo);
        await fsp.unlink(absFrom);
      }
      sftp.status(id, STATUS.OK);
    }),
  );
  sftp.on('EXTENDED', (id) => sftp.status(id, STATUS.OP_UNSUPPORTED));
  sftp.on('close', () => {
    for (const h of handles.values()) if (h.kind === 'file') void h.fh.close().catch(() => undefined);
    handles.clear();
  });
}
