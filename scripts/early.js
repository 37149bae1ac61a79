// The page's first script (scripts/build-wasm.sh puts it in index.html,
// before the stylesheet, so nothing waits for it): on a group's or a
// garden's address, starts reading the group's cached first screen
// (src/web/first_screen.rs) while the app downloads and compiles, so the
// record is in memory by the time the app can draw it. Only reads; opens
// neither database if it does not exist yet.
(() => {
  const address = /^#\/g\/([^/?]+)\/?(?:site\/[^/?]+\/?)?(?:\?.*)?$/.exec(location.hash);
  if (!address || !window.indexedDB) return;
  const group = address[1];
  // Opens a database only if it exists: an open that would create it is
  // aborted, so the engine later creates it with its stores.
  const existing = (name) => new Promise((resolve) => {
    const request = indexedDB.open(name);
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
  const ask = (request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  // The database names of src/web/idb.rs and src/web/first_screen.rs.
  const read = async () => {
    const [docs, cached] = await Promise.all([existing("automerge"), existing("common-ground-first-screen")]);
    try {
      if (!docs || !cached || !docs.objectStoreNames.contains("documents")
          || !cached.objectStoreNames.contains("groups")) return null;
      const range = IDBKeyRange.bound([group], [group, "\uffff"]);
      const [record, keys] = await Promise.all([
        ask(cached.transaction("groups").objectStore("groups").get(group)),
        ask(docs.transaction("documents").objectStore("documents").getAllKeys(range)),
      ]);
      return record instanceof Uint8Array ? [record, keys] : null;
    } catch {
      return null;
    } finally {
      docs?.close();
      cached?.close();
    }
  };
  window.__firstScreen = { group, read: read() };
})();
