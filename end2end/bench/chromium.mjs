// Chromium for the benchmarks: Debian's, with the end-to-end tests' flags, in a persistent
// profile (a fresh context is incognito-like: in-memory storage, no service worker install).
import { chromium } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export async function launch({ width = 360, height = 740 } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'officina-bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width, height },
    locale: 'it-IT',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const close = async () => {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { context, page: context.pages()[0] ?? (await context.newPage()), close };
}

/** Percentile `p` (0–100) of `values`, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (v) => (v == null ? '—' : `${v.toFixed(1)} ms`);
