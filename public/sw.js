// Officina's service worker. scripts/service-worker.sh fills in BUILD and PRECACHE at build time.
// The app shell is served from the cache (so the app opens offline, deep links included);
// content images are cached as they are seen; /api/* is never cached here (the app keeps its
// own data in browser storage). The educator workspace (/educator/) is another page that needs the
// network: its navigations go to the server. A new version waits until the learner taps "Aggiorna".
const BUILD = '__BUILD__';
const PRECACHE = __PRECACHE__;
const SHELL = `officina-shell-${BUILD}`;
const IMAGES = 'officina-images';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('officina-shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (url.pathname === '/educator' || url.pathname.startsWith('/educator/')) return;
  if (request.mode === 'navigate') {
    event.respondWith(caches.match('/index.html', { cacheName: SHELL }).then((shell) => shell || fetch(request)));
  } else if (url.pathname.startsWith('/content/images/')) {
    event.respondWith(cacheAsSeen(request));
  } else {
    event.respondWith(caches.match(request, { cacheName: SHELL }).then((hit) => hit || fetch(request)));
  }
});

async function cacheAsSeen(request) {
  const cache = await caches.open(IMAGES);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
  return response;
}
