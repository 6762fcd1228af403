import { expect, test, type Page } from '@playwright/test';
import * as path from 'node:path';
import { createCohort, expectAccessible, serverEvents, signedIn, storedEvents } from './helpers';

// A phone camera's JPEG: 64×48 px, EXIF with a GPS position near Lecce and Orientation 6 (made by
// server/tests/fixtures/photos/make_gps_jpeg.py, shared with the server's photo tests).
const GPS_PHOTO = path.resolve(__dirname, '../../server/tests/fixtures/photos/gps.jpg');

type StoredPhoto = { id: string; done: boolean; received: number; width: number; height: number; size: number; hasExif: boolean; jpeg: boolean };

/** The photos the app keeps in IndexedDB, with what their bytes hold. */
async function storedPhotos(page: Page): Promise<StoredPhoto[]> {
  return page.evaluate(async () => {
    const db: IDBDatabase = await new Promise((done, fail) => {
      const request = indexedDB.open('officina-photos');
      request.onsuccess = () => done(request.result);
      request.onerror = () => fail(request.error);
    });
    const records: Array<{ id: string; blob: Blob; received: number; done: boolean }> = await new Promise((done, fail) => {
      const request = db.transaction('photos').objectStore('photos').getAll();
      request.onsuccess = () => done(request.result);
      request.onerror = () => fail(request.error);
    });
    db.close();
    return Promise.all(
      records.map(async (r) => {
        const bytes = new Uint8Array(await r.blob.arrayBuffer());
        const bitmap = await createImageBitmap(r.blob);
        const text = Array.from(bytes, (b) => String.fromCharCode(b)).join('');
        return {
          id: r.id, done: r.done, received: r.received, width: bitmap.width, height: bitmap.height, size: bytes.length,
          hasExif: text.includes('Exif'), jpeg: bytes[0] === 0xff && bytes[1] === 0xd8,
        };
      }),
    );
  });
}

test('a challenge photo taken offline is kept on the phone without its GPS position, then uploaded once', async ({ page }) => {
  const session = await signedIn(page, 'Nadia');
  await page.goto('/attivita/spazio-sfida-razzo-ad-acqua');
  await expect(page.getByRole('button', { name: 'Invia la sfida' })).toBeDisabled();

  await page.context().setOffline(true);
  await page.getByLabel(/Che cosa hai fatto/).fill('Il razzo è salito oltre il tetto della palestra, foto del lancio.');
  await page.getByLabel('Scegli dalla galleria').setInputFiles(GPS_PHOTO);
  await expect(page.getByRole('img', { name: 'Foto 1' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Togli la foto 1' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Invia la sfida' }).click();
  await expect(page.getByText('✓ Sfida inviata')).toBeVisible();
  await expect(page.getByText('Salvata sul telefono')).toBeVisible();

  const [photo] = await storedPhotos(page);
  expect(photo).toMatchObject({ done: false, received: 0, jpeg: true, hasExif: false });
  // Orientation 6 applied while shrinking: the 64×48 picture stands upright, 48×64.
  expect([photo.width, photo.height]).toEqual([48, 64]);
  const submission = (await storedEvents(page)).find((e) => e.kind === 'challenge_submitted');
  expect(submission?.data).toEqual({ text: 'Il razzo è salito oltre il tetto della palestra, foto del lancio.', photos: [photo.id] });

  await page.context().setOffline(false);
  await expect(page.getByText('Inviata', { exact: true })).toBeVisible({ timeout: 15_000 });
  expect(await storedPhotos(page)).toEqual([{ ...photo, done: true, received: photo.size }]);

  const auth = { Authorization: `Bearer ${session.token}` };
  const upload = await page.request.get(`/api/photos/${photo.id}/upload`, { headers: auth });
  expect((await upload.json()).done).toBe(true);
  const stored = await page.request.get(`/api/photos/${photo.id}`, { headers: auth });
  expect(stored.status()).toBe(200);
  expect(stored.headers()['content-type']).toBe('image/jpeg');
  expect((await stored.body()).includes('Exif')).toBe(false);
  const submissions = (await serverEvents(page, session)).filter((e) => e.kind === 'challenge_submitted');
  expect(submissions.map((e) => e.data)).toEqual([submission?.data]);

  // Back later: the photo is done on the device, so nothing is sent again.
  const puts: string[] = [];
  page.on('request', (r) => { if (r.method() === 'PUT' && r.url().includes('/api/photos/')) puts.push(r.url()); });
  await page.reload();
  await expect(page.getByText('Inviata', { exact: true })).toBeVisible();
  expect(puts).toEqual([]);
});

test('a join code in the address of an educator QR code fills in the join form', async ({ page }) => {
  const code = createCohort();
  await page.goto(`/?codice=${code}`);
  await expect(page.getByLabel('Codice del gruppo')).toHaveValue(code);
  // The code is checked at once: the form goes straight to the questions for this group.
  await expect(page.getByRole('group', { name: 'Quanti anni hai?' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('14 o più').check();
  await page.getByLabel('Soprannome').fill('Orione');
  await page.getByLabel('PIN', { exact: true }).fill('stelle-cadenti-3');
  await page.getByRole('button', { name: 'Entra nel gruppo' }).click();
  await expect(page.getByText('Sei nel gruppo come Orione.')).toBeVisible();
});
