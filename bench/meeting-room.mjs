// A meeting room of N phones (default 10) with no server: today's star (one
// host lets everyone in, one after another) against the tree (any phone
// that is in lets the next one in, pairings in parallel). Per layout: the
// scans in all and on the busiest phone, the time the pairings took (codes
// pasted, so this is the machine's part; a person scanning adds about the
// same few seconds to each round), and the time from the last pairing until
// every phone's status bar says the whole room has everything on it, after
// each phone added a plot before pairing. Bytes per link come from the
// engine in `tests/meeting_tree.rs` (cargo test --test meeting_tree -- --nocapture).
//   scripts/release && node bench/meeting-room.mjs [phones] [star|tree|both]
import { join } from 'node:path';
import { serve, scratchDir, launch, createGroup, addGarden, addPlot, saved } from '../tests/e2e/lib.mjs';

const PHONES = Number(process.argv[2] ?? 10);
const LAYOUTS = (process.argv[3] ?? 'both') === 'both' ? ['star', 'tree'] : [process.argv[3]];
const server = await serve();
const files = await scratchDir('cg-bench-');
const hashOf = (page) => new URL(page.url()).hash.match(/#\/g\/[^/]+/)[0];

async function shownCode(page, previous = null) {
  await page.waitForFunction((old) => {
    const value = document.querySelector('[data-testid=shown-code]')?.value;
    return value && value !== old;
  }, previous, { timeout: 60_000 });
  return page.getByTestId('shown-code').inputValue();
}

async function paste(page, code) {
  await page.getByLabel('Or paste the code').fill(code);
  await page.getByRole('button', { name: 'Connect' }).click();
}

async function openDoor(phone, href) {
  await phone.page.goto(`${server.url}${href}/phones`);
  const button = phone.page.getByTestId('let-next-in');
  if (await button.count()) await button.click();
  else await phone.page.getByRole('button', { name: 'Be the host' }).click();
  phone.lastCode = null;
}

/** `joiner` comes in through `door` (its door already open). */
async function letIn(door, joiner, href) {
  const code = await shownCode(door.page, door.lastCode);
  door.lastCode = code;
  await joiner.page.goto(`${server.url}${href}/phones`);
  await joiner.page.getByRole('button', { name: 'Join the host' }).click();
  await paste(joiner.page, code);
  await paste(door.page, await shownCode(joiner.page));
  await joiner.page.getByTestId('let-next-in').waitFor({ timeout: 60_000 });
  door.scans += 1;
  joiner.scans += 1;
}

async function run(layout) {
  const phones = [];
  const first = await launch();
  phones.push(first);
  await createGroup(first.page, server.url, `Room ${layout}`);
  const href = hashOf(first.page);
  await addGarden(first.page, 'Bed');
  const site = await first.page.getByRole('link', { name: /Bed/ }).getAttribute('href');
  await first.page.goto(`${server.url}${href}/phones`);
  const [download] = await Promise.all([
    first.page.waitForEvent('download'),
    first.page.getByRole('button', { name: 'Share updates as a file' }).click(),
  ]);
  const file = join(files, `${layout}.cgupdates`);
  await download.saveAs(file);
  for (let n = 1; n < PHONES; n++) {
    const phone = await launch();
    await phone.page.goto(server.url);
    await phone.page.locator('#group-file').setInputFiles(file);
    await phone.page.getByRole('heading', { level: 1, name: `Room ${layout}` }).waitFor();
    phones.push(phone);
  }
  for (const [n, phone] of phones.entries()) {
    phone.scans = 0;
    await phone.page.goto(`${server.url}${site}`);
    await addPlot(phone.page, `P${n}`);
    await saved(phone.page);
  }

  const start = Date.now();
  if (layout === 'star') {
    await openDoor(phones[0], href);
    for (let n = 1; n < PHONES; n++) await letIn(phones[0], phones[n], href);
  } else {
    // Round by round, every phone in lets one more in.
    const inside = [phones[0]];
    let next = 1;
    while (next < PHONES) {
      const doors = inside.slice(0, PHONES - next);
      await Promise.all(doors.map((door) => openDoor(door, href)));
      const joiners = phones.slice(next, next + doors.length);
      await Promise.all(joiners.map((joiner, i) => letIn(doors[i], joiner, href)));
      inside.push(...joiners);
      next += joiners.length;
    }
  }
  const paired = Date.now();
  await Promise.all(phones.map(async (phone) => {
    await phone.page.goto(`${server.url}${site}`);
    const open = await phone.page.locator('details.status-bar').evaluate((d) => d.open);
    if (!open) await phone.page.getByTestId('status-summary').click();
    await phone.page.getByTestId('room-status')
      .getByText(`Syncing with ${PHONES - 1} phones: the whole room has everything on this phone`)
      .waitFor({ timeout: 120_000 });
  }));
  const agreed = Date.now();
  const scans = phones.map((p) => p.scans);
  console.log(`${layout} of ${PHONES}: ${scans.reduce((a, b) => a + b, 0)} scans, at most ${Math.max(...scans)} on one phone; `
    + `pairings took ${paired - start} ms; every phone up to date ${agreed - paired} ms after the last pairing`);
  await Promise.all(phones.map((p) => p.context.close()));
}

for (const layout of LAYOUTS) await run(layout);
await server.close();
