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
