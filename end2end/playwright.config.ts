import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';

// The real server on its own port and a throw-away database, serving the release build in dist/.
const port = Number(process.env.OFFICINA_E2E_PORT ?? 8091);
const root = path.resolve(__dirname, '..');
// Set once in the main process; the test workers inherit it, so tests can reach the same database.
process.env.OFFICINA_E2E_DB ??= path.join(os.tmpdir(), `officina-e2e-${Date.now()}.db`);
const database = process.env.OFFICINA_E2E_DB;

export default defineConfig({
  testDir: './tests',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 360, height: 740 },
    locale: 'it-IT',
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `${root}/target/server/officina-server serve`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      OFFICINA_ADDR: `127.0.0.1:${port}`,
      OFFICINA_PUBLIC_URL: `http://127.0.0.1:${port}`,
      OFFICINA_DB: database,
      OFFICINA_DIST: `${root}/dist`,
      OFFICINA_CONTENT: process.env.OFFICINA_E2E_CONTENT ?? `${root}/content`,
      // As deploy/officina.service: https.spec.ts reaches it through Caddy on the loopback.
      OFFICINA_TRUSTED_PROXIES: '127.0.0.1/32,::1/128',
      RUST_LOG: 'warn',
    },
  },
});
