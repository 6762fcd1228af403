// Photos on the device: shrinking a picture, keeping it in IndexedDB and uploading it in chunks.
// The app calls it as `officinaPhotos.*` (src/photos/mod.rs), which loads this file the first
// time a photo is needed. Why plain JS, and not on the first load: see src/photos/mod.rs.
(() => {

const MAX_SIDE = 1280;
const MAX_BYTES = 300 * 1024;

// The shrunk photos of the form being filled in, by their object URL: Rust holds only the URL.
const picked = new Map();

// Drawing the decoded pixels onto a canvas and encoding them afresh keeps nothing of the file but
// its picture: EXIF (GPS position, camera, time), XMP and comments are all gone. The orientation
// is applied while decoding, so the picture stays the right way up without its EXIF tag.
// Gives the object URL of the shrunk photo.
async function pick(file) {
  const blob = await shrink(file);
  const url = URL.createObjectURL(blob);
  picked.set(url, blob);
  return url;
}

function forget(url) {
  picked.delete(url);
  URL.revokeObjectURL(url);
}

async function shrink(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  let scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  for (;;) {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    // Lower the quality step by step; only a picture still too big at 0.4 gets smaller.
    for (let quality = 0.85; quality > 0.35; quality -= 0.15) {
      const blob = await new Promise((done) => canvas.toBlob(done, 'image/jpeg', quality));
      if (blob && blob.size < MAX_BYTES) {
        bitmap.close();
        return blob;
      }
    }
    scale *= 0.75;
  }
}

let opened;
function db() {
  opened ??= new Promise((done, fail) => {
    const request = indexedDB.open('officina-photos', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('photos', { keyPath: 'id' });
    request.onsuccess = () => done(request.result);
    request.onerror = () => fail(request.error);
  });
  return opened;
}

async function run(mode, act) {
  const store = (await db()).transaction('photos', mode).objectStore('photos');
  return new Promise((done, fail) => {
    const request = act(store);
    request.onsuccess = () => done(request.result);
    request.onerror = () => fail(request.error);
  });
}

// Keeps a picked photo under its id: nothing of it has reached the server yet.
function keep(id, url) {
  return run('readwrite', (s) => s.put({ id, blob: picked.get(url), received: 0, done: false }));
}

// {id, blob, received, done}, or undefined when this device does not hold the photo.
function getPhoto(id) {
  return run('readonly', (s) => s.get(id));
}

// Records how much the server holds; a photo marked done is never sent again.
async function setReceived(id, received, done) {
  const photo = await getPhoto(id);
  if (photo) await run('readwrite', (s) => s.put({ ...photo, received, done }));
}

// Well under the server's 256 KiB, so one chunk gets through a slow connection in a few seconds.
const CHUNK = 64 * 1024;

// Uploads the photos `ids` (of submissions the server accepted) that this device holds unsent,
// resuming from what the server already holds: after an interruption, a reload or on another day
// nothing is sent twice, and a photo marked done is never sent again. Calls
// `progress(id, received, total, done)` as it goes. Only a lost connection ({network}) or a
// refused token ({status: 401, code, message}) end the round; a photo the server refuses is
// reported and the others still go.
async function upload(token, ids, progress) {
  for (const id of ids) {
    try {
      await uploadOne(token, id, progress);
    } catch (err) {
      if (err.network || err.status === 401) throw err;
      console.warn(`photo ${id} not uploaded: ${err.message}`);
    }
  }
}

async function uploadOne(token, id, progress) {
  // Photos of submissions made on another device are not here: that device sends them.
  const photo = await getPhoto(id).catch(() => undefined);
  if (!photo) return;
  const total = photo.blob.size;
  if (!photo.done) {
    let at = await call(token, 'GET', `/api/photos/${id}/upload`);
    while (!at.done) {
      progress(id, at.received, total, false);
      const end = Math.min(at.received + CHUNK, total);
      const path = `/api/photos/${id}/upload?offset=${at.received}&total=${total}`;
      const next = await call(token, 'PUT', path, photo.blob.slice(at.received, end));
      // The server keeps answering the same offset: stop instead of sending the same bytes forever.
      if (!next.done && next.received <= at.received) {
        throw { status: 409, code: 'upload_stalled', message: `stalled at ${at.received} bytes` };
      }
      at = next;
      await mark(id, at.received, at.done);
    }
    await mark(id, total, true);
  }
  progress(id, total, total, true);
}

// {received, done} from the server. A wrong offset (409) is no error: its answer says where the
// server is (or, without one, a GET does), and the upload resumes from there.
async function call(token, method, path, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body) headers['Content-Type'] = 'application/octet-stream';
  let response, answer;
  try {
    response = await fetch(path, { method, headers, body });
    answer = await response.json().catch(() => ({}));
  } catch (err) {
    throw { network: true, message: String(err) };
  }
  if (response.ok || (response.status === 409 && typeof answer.received === 'number')) {
    return { received: answer.received, done: !!answer.done };
  }
  if (response.status === 409 && body) return call(token, 'GET', path.split('?')[0]);
  const { code = 'unexpected', message = `HTTP ${response.status}` } = answer.error ?? {};
  throw { status: response.status, code, message };
}

// Not being able to store the progress is no harm: the server says again how much it holds, and
// answers done for a photo it has.
function mark(id, received, done) {
  return setReceived(id, received, done).catch((err) => console.warn(`photo ${id}: progress not stored: ${err}`));
}

self.officinaPhotos = { pick, forget, shrink, keep, getPhoto, upload };
})();
