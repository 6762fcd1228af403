import { chromium, expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import config from '../playwright.config';
import { startLabProxy, type Proxy } from './caddy';
import { createCohort, joinThroughScreens } from './helpers';

// The lab deployment of README's "Metterlo in produzione": Caddy with deploy/Caddyfile.lab and its
// internal CA in front of the release server (the config's webServer, started with
// --trusted-proxy 127.0.0.1 as the systemd unit does), a phone that trusts the downloaded root.

let proxy: Proxy | undefined;
let home: string | undefined;

test.beforeAll(async () => {
  proxy = await startLabProxy(new URL(config.use!.baseURL!).host);
  home = trustingHome(proxy.root);
});

test.afterAll(async () => {
  await proxy?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

/**
 * A HOME whose NSS database (~/.pki/nssdb, where Chromium on Linux looks) trusts `root` to sign
 * websites, as a phone does once the root is installed. Chromium is not told to ignore certificate
 * errors: with Playwright's `ignoreHTTPSErrors` the page loads but the service worker is refused
 * ("An SSL certificate error occurred when fetching the script"), so the app would never be
 * offline; `--ignore-certificate-errors-spki-list` would work but trusts one leaf certificate,
 * not the root that the README tells people to install.
 */
function trustingHome(root: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'officina-phone-'));
  const nssdb = path.join(dir, '.pki', 'nssdb');
  fs.mkdirSync(nssdb, { recursive: true });
  fs.writeFileSync(path.join(dir, 'officina-ca.crt'), root);
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-N', '--empty-password']);
  execFileSync('certutil', ['-d', `sql:${nssdb}`, '-A', '-t', 'C,,', '-n', 'Officina lab CA', '-i', path.join(dir, 'officina-ca.crt')]);
  return dir;
}

test('over https through Caddy and its internal CA, the service worker takes control and the app opens offline', async () => {
  const browser = await chromium.launch({ ...config.use!.launchOptions, env: { ...process.env, HOME: home! } });
  try {
    const { viewport, locale } = config.use!;
    const context = await browser.newContext({ baseURL: proxy!.origin, viewport, locale });
    const page = await context.newPage();
    const response = await page.goto('/');
    expect(await page.evaluate(() => window.isSecureContext && location.protocol)).toBe('https:');
    // The server's own headers pass through the proxy untouched.
    expect(response!.headers()['cache-control']).toBe('no-cache');
    expect(response!.headers()['content-security-policy']).toContain("default-src 'self'");

    await joinThroughScreens(page, { code: createCohort(), nickname: 'Vega', pin: 'nebulosa-9', who: 'learner' });
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    const controller = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
    expect(controller).toBe(`${proxy!.origin}/sw.js`);

    await page.goto('/');
    const spaceCamp = page.getByRole('link', { name: /Space Camp/ });
    await expect(spaceCamp).toBeVisible();
    await context.setOffline(true);
    await page.reload();
    await expect(spaceCamp).toBeVisible();
    await spaceCamp.click();
    await expect(page.getByRole('heading', { level: 1, name: /Space Camp/ })).toBeVisible();
  } finally {
    await browser.close();
  }
});
