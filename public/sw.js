// The service worker: keeps the app shell so the app opens with no network.
// scripts/post-build.sh fills in BUILD and SHELL for every build, so a new
// build is a new worker with its own cache; the old cache goes when it takes over.
const BUILD = "__BUILD__";
const SHELL = __SHELL__;
const CACHE = `common-ground-${BUILD}`;

const url = (path) => new URL(path, self.registration.scope).href;

// Fetches a shell file past the HTTP cache (a host may cache for minutes,
// which could pair a new index.html with old files), and unwraps redirects
// (hosts that send /index.html to /), which a page load may not be served.
async function fresh(path) {
  const response = await fetch(new Request(url(path), { cache: "reload" }));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.redirected
    ? new Response(await response.blob(), { status: 200, headers: response.headers })
    : response;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const responses = await Promise.all(SHELL.map(fresh));
    await Promise.all(SHELL.map((path, n) => cache.put(url(path), responses[n])));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("common-ground-") && name !== CACHE)
          .map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

// The shell never changes within a build, so it is served from the cache
// first; a page load (any #/ address) is the cached index.html.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  const key = request.mode === "navigate" ? url("index.html") : request.url;
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(key, { ignoreSearch: request.mode === "navigate" }))
      .then((hit) => hit || fetch(request)),
  );
});
