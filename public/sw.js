// The service worker: keeps the app shell so the app opens with no network.
// scripts/post-build.sh fills in BUILD and SHELL for every build, so a new
// build is a new worker with its own cache. A new worker waits until the
// member taps "Reload" (the page posts "skip-waiting"), and the caches of
// older builds are deleted only once no other page is open that may use them.
const BUILD = "__BUILD__";
const SHELL = __SHELL__;
const CACHE = `common-ground-${BUILD}`;

const url = (path) => new URL(path, self.registration.scope).href;

// Trunk names the files it builds by a hash of their content, so a copy of
// such a file in the HTTP cache is the right one: taken from there, the first
// visit does not download the app twice. Other files (index.html, the
// manifest) are fetched past the HTTP cache, which a host may keep for
// minutes and could pair a new index.html with old files.
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;

// Unwraps redirects (hosts that send /index.html to /), which a page load
// may not be served.
async function fetchShell(path) {
  const cache = HASHED.test(path) ? "force-cache" : "reload";
  const response = await fetch(new Request(url(path), { cache }));
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.redirected
    ? new Response(await response.blob(), { status: 200, headers: response.headers })
    : response;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const responses = await Promise.all(SHELL.map(fetchShell));
    await Promise.all(SHELL.map((path, n) => cache.put(url(path), responses[n])));
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

// Older builds' caches go once at most one page is open: that page is the
// one reloading into this build, and no other page may still ask for an
// older build's files.
async function dropOldCaches() {
  // An older worker never deletes the cache of a newer one waiting.
  if (self.registration.installing || self.registration.waiting) return;
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  if (pages.length > 1) return;
  const names = await caches.keys();
  await Promise.all(
    names.filter((name) => name.startsWith("common-ground-") && name !== CACHE)
      .map((name) => caches.delete(name)),
  );
}

self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim().then(dropOldCaches));
});

// The shell never changes within a build, so it is served from the cache
// first (this build's, else an older one an open page still runs); a page
// load (any #/ address) is the cached index.html of this build.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  const navigate = request.mode === "navigate";
  const key = navigate ? url("index.html") : request.url;
  event.respondWith((async () => {
    const mine = await caches.open(CACHE);
    const hit = (await mine.match(key, { ignoreSearch: navigate }))
      || (!navigate && await caches.match(key));
    if (navigate) event.waitUntil(dropOldCaches());
    return hit || fetch(request);
  })());
});
