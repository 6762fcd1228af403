import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, stopProcess } from './caddy';

const root = path.resolve(__dirname, '../..');

/** A release server with a port, a database and a copy of dist/ of its own. `restart` stops it and
 *  starts it again on the same port, as README's "Aggiornare" does: the server reads the app's
 *  files once, at start-up, so a new version is deployed by a restart. */
export type OwnServer = { origin: string; dist: string; restart: () => Promise<void>; stop: () => Promise<void> };

export async function startOwnServer(): Promise<OwnServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'officina-own-'));
  const dist = path.join(dir, 'dist');
  fs.cpSync(path.join(root, 'dist'), dist, { recursive: true });
  const origin = `http://127.0.0.1:${await freePort()}`;
  const env = {
    ...process.env,
    OFFICINA_ADDR: new URL(origin).host,
    OFFICINA_PUBLIC_URL: origin,
    OFFICINA_DB: path.join(dir, 'officina.db'),
    OFFICINA_DIST: dist,
    OFFICINA_CONTENT: path.join(root, 'content'),
    RUST_LOG: 'warn',
  };
  let server: ChildProcess | undefined;
  const start = async () => {
    server = spawn(path.join(root, 'target/server/officina-server'), ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    await untilHealthy(origin, server);
  };
  const halt = async () => {
    if (server) await stopProcess(server);
  };
  try {
    await start();
  } catch (err) {
    await halt();
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    origin,
    dist,
    restart: async () => {
      await halt();
      await start();
    },
    stop: async () => {
      await halt();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function untilHealthy(origin: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`the server at ${origin} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
