// The comparator: what a developer would build with the JavaScript
// automerge-repo stack. It opens a group document from the same IndexedDB
// the app uses (automerge-repo's own layout) and lists a site's plots as a
// bare list. Bundled by bench/side-by-side.mjs with esbuild; nothing here
// is part of the app.
//   index.html?doc=<documentId>&site=<siteId>
import { Repo, initializeWasm } from '@automerge/automerge-repo/slim';
import { IndexedDBStorageAdapter } from '@automerge/automerge-repo-storage-indexeddb';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';

const params = new URLSearchParams(location.search);
const natural = new Intl.Collator(undefined, { numeric: true }).compare;

async function main() {
  // The wasm streamed from the same origin, as a bundler would serve it.
  await initializeWasm(fetch('automerge.wasm'));
  const server = params.get('server');
  const repo = new Repo({
    storage: new IndexedDBStorageAdapter(),
    network: server ? [new WebSocketClientAdapter(server)] : [],
  });
  const handle = await repo.find(params.get('doc'));
  if (server) joinAll(repo, handle);
  const site = params.get('site');
  const list = document.createElement('ul');
  list.dataset.testid = 'plots';
  const only = params.get('plot');
  const render = () => {
    const doc = handle.doc();
    if (only) {
      // A plot's own page: its fields only, as the app's plot page.
      const plot = doc.plots[only];
      list.replaceChildren(Object.assign(document.createElement('li'), {
        textContent: `${plot.label} · ${plot.status} · ${plot.size}`,
      }));
      return;
    }
    const plots = Object.entries(doc.plots ?? {})
      // Strings the app writes read as automerge's ImmutableString here.
      .filter(([, plot]) => String(plot.site) === site)
      .sort(([a, p], [b, q]) => natural(String(p.label), String(q.label)) || (a < b ? -1 : 1));
    const items = plots.map(([id, plot]) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = `#/plot/${id}`;
      a.textContent = `${plot.label} · ${plot.status} · ${plot.size}`;
      li.append(a);
      return li;
    });
    list.replaceChildren(...items);
  };
  render();
  document.body.append(list);
  handle.on('change', render);
  // What the benchmark drives: one field edit, durable once flushed.
  window.bench = {
    repo,
    handle,
    async edit(plot, size) {
      handle.change((doc) => { doc.plots[plot].size = size; });
      await repo.flush([handle.documentId]);
    },
  };
}

// Joining: the group, then every meeting it lists, until all are stored.
async function joinAll(repo, handle) {
  const meetings = Object.keys(handle.doc().meetings ?? {});
  await Promise.all(meetings.map((id) => repo.find(id)));
  await repo.flush();
  window.joined = true;
}

main().catch((error) => {
  document.body.textContent = `failed: ${error}`;
  console.error(error);
});
