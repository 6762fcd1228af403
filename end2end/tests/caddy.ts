import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** deploy/Caddyfile.lab, the lab's configuration that the README installs. */
const LAB = path.resolve(__dirname, '../../deploy/Caddyfile.lab');
/** The lab server's address and Caddy's storage in that file. */
const LAB_ADDRESS = '192.168.1.10';
const LAB_STORAGE = '/var/lib/caddy/.local/share/caddy';

/** A Caddy started by a test: the app at `origin` over https, and the root certificate (PEM) of
 *  its internal CA, as a phone downloads it from the lab's http://…/officina-ca.crt. */
export type Proxy = { origin: string; root: string; stop: () => Promise<void> };

/**
 * Starts Caddy (Debian's package, which scripts/setup.sh installs) with deploy/Caddyfile.lab in
 * front of the server at `upstream` (host:port), as a non-root process would: on two free
 * loopback ports (bound to 127.0.0.1 alone), with no admin endpoint and its storage (the internal
 * CA too) in a temporary folder. Fails if Caddy is missing: the test must not pass without it.
 */
export async function startLabProxy(upstream: string): Promise<Proxy> {
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'officina-caddy-'));
  const data = path.join(dir, 'data');
  let caddy: ChildProcess | undefined;
  let log = '';
  const stop = async () => {
    if (caddy) await stopProcess(caddy);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const config = path.join(dir, 'Caddyfile');
    fs.writeFileSync(config, labOnLoopback({ httpsPort, httpPort, upstream, storage: path.join(data, 'caddy') }));
    // Nothing written outside the folder (Caddy saves its last config in XDG_CONFIG_HOME).
    const env = { ...process.env, HOME: dir, XDG_DATA_HOME: data, XDG_CONFIG_HOME: path.join(dir, 'config') };
    caddy = spawn('caddy', ['run', '--config', config, '--adapter', 'caddyfile'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    caddy.stderr!.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
    const origin = `https://127.0.0.1:${httpsPort}`;
    const root = await untilServing(caddy, origin, `http://127.0.0.1:${httpPort}/officina-ca.crt`, () => log);
    return { origin, root, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The lab's Caddyfile, without its comments, with loopback ports for its address, each site bound
 *  to 127.0.0.1, no admin endpoint, and the storage of this run; fails if the file no longer has
 *  what is replaced. */
function labOnLoopback(o: { httpsPort: number; httpPort: number; upstream: string; storage: string }): string {
  const site = (scheme: string) => new RegExp(`^${scheme}://${literal(LAB_ADDRESS)} \\{$`, 'm');
  const replacements: Array<[RegExp, string]> = [
    [/^\{$/m, `{\n\tadmin off\n\thttp_port ${o.httpPort}\n\tstorage file_system ${o.storage}`],
    [site('https'), `https://127.0.0.1:${o.httpsPort} {\n\tbind 127.0.0.1`],
    [site('http'), `http://127.0.0.1:${o.httpPort} {\n\tbind 127.0.0.1`],
    [/reverse_proxy 127\.0\.0\.1:8080/, `reverse_proxy ${o.upstream}`],
    [new RegExp(literal(LAB_STORAGE), 'g'), o.storage],
  ];
  let text = fs.readFileSync(LAB, 'utf8').replace(/^\s*#.*\n/gm, '');
  for (const [pattern, replacement] of replacements) {
    if (!pattern.test(text)) throw new Error(`${LAB} no longer matches ${pattern}`);
    text = text.replace(pattern, replacement);
  }
  if (text.includes(LAB_ADDRESS)) throw new Error(`${LAB}: ${LAB_ADDRESS} left after the replacements`);
  return text;
}

/** A regular expression matching `text` as it is. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Waits until the root certificate can be downloaded and the app answers over https signed by
 *  it; returns the root. */
async function untilServing(caddy: ChildProcess, origin: string, rootUrl: string, log: () => string): Promise<string> {
  let failure: Error | undefined;
  caddy.on('error', (err) => (failure = err));
  caddy.on('exit', (code) => (failure ??= new Error(`caddy exited with ${code}`)));
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (failure) throw new Error(`${failure.message}\n${log()}`);
    try {
      const root = await get(rootUrl);
      await get(`${origin}/api/health`, root);
      return root;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Caddy is not serving: ${err}\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A 200 response's body; with `ca`, over https verified against that root alone. */
function get(url: string, ca?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const callback = (response: http.IncomingMessage) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => (response.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${response.statusCode}`))));
    };
    const request = ca === undefined ? http.get(url, callback) : https.get(url, { ca }, callback);
    request.on('error', reject);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
