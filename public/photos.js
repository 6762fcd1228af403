// Photos on the device: shrinking a picture and keeping it in IndexedDB until it is uploaded.
// The app calls it as `officinaPhotos.*` (src/photos/mod.rs). Why plain JS, loaded after the
// first paint like pwa.js: see src/photos/mod.rs.
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

self.officinaPhotos = { pick, forget, shrink, keep, getPhoto, setReceived };
})();
