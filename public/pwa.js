// Registers the service worker and tells the app when a new version is ready. The app shows
// "Nuova versione disponibile — Aggiorna" and, on tap, dispatches `officina:apply-update`.
(() => {
  if (!('serviceWorker' in navigator)) return;
  const announce = () => {
    document.documentElement.dataset.updateReady = '1';
    window.dispatchEvent(new Event('officina:update-ready'));
  };
  navigator.serviceWorker.register('/sw.js').then((registration) => {
    if (registration.waiting && navigator.serviceWorker.controller) announce();
    registration.addEventListener('updatefound', () => {
      const worker = registration.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) announce();
      });
    });
    window.addEventListener('officina:apply-update', () => registration.waiting?.postMessage('skip-waiting'));
  });
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!reloading && document.documentElement.dataset.updateReady) {
      reloading = true;
      window.location.reload();
    }
  });
})();

// Images for offline use. Once the programme is on the device, the app calls `keep` with the text
// that names the images of the learner's own paths (covers, lessons, badges: see core's
// placement.rs); they go, in order, into the service worker's image cache (sw.js serves them from
// there), skipping those already in it and stopping at `budget` bytes.
// `stored` says what that cache holds, for the profile. Plain JavaScript: through web-sys this
// would be bindings and closures in the learner's first load.
window.officinaImages = (() => {
  const CACHE = 'officina-images';
  const bytes = async (response) => (await response.clone().blob()).size;
  // A request made while a run is under way (the cohort's path just learnt, say) runs after it.
  let running = false;
  let next = null;
  async function fill(urls, budget) {
    const cache = await caches.open(CACHE);
    let used = 0;
    for (const url of urls) {
      const hit = await cache.match(url);
      const response = hit || (await fetch(url).catch(() => null));
      if (!response?.ok) continue;
      used += await bytes(response);
      if (used > budget) return;
      if (!hit) await cache.put(url, response);
    }
  }
  return {
    async keep(text, budget) {
      if (!('caches' in window)) return;
      next = [...new Set(text.match(/\/content\/images\/[^"'\s<>]+/g) ?? [])];
      if (running) return;
      running = true;
      while (next) {
        const urls = next;
        next = null;
        await fill(urls, budget).catch(() => {});
      }
      running = false;
    },
    async stored() {
      if (!('caches' in window)) return [0, 0];
      const cache = await caches.open(CACHE);
      const responses = await cache.matchAll();
      const sizes = await Promise.all(responses.map(bytes));
      return [responses.length, sizes.reduce((a, b) => a + b, 0)];
    },
  };
})();

// The characters this origin keeps in localStorage, keys and values: what browsers count against
// its quota (about five million), which no API reports. Plain JavaScript: reading every value
// through web-sys would copy each one into the wasm.
window.officinaStorageUsed = () => {
  let used = 0;
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    used += key.length + (localStorage.getItem(key)?.length ?? 0);
  }
  return used;
};
