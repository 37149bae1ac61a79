// What two members write both stays (issue 14), through the real npm sync
// server: a plot form left open on one phone while another phone changes the
// plot, and a Node automerge-repo peer writing values this app writes
// differently (plain strings, text, floats, a status from a newer version).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Repo } from '@automerge/automerge-repo';
import { WebSocketClientAdapter } from '@automerge/automerge-repo-network-websocket';
import { ImmutableString, Float64 } from '@automerge/automerge';
import { serve, launch, shot, startSyncServer, saved, createGroup, addGarden, addPlot } from './lib.mjs';

let app;
before(async () => { app = await serve(); });
after(async () => { await app?.close(); });

const groupHref = (page) => new URL(page.url()).hash.match(/#\/g\/[^/]+/)[0];

/** Sets the group's sync server and waits until the server has everything. */
async function useServer(page, href, server) {
  await page.goto(`${app.url}${href}/share`);
  await page.getByLabel('Sync server address').fill(server.url);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor();
}

async function inputIs(page, selector, value) {
  await page.waitForFunction(([s, v]) => document.querySelector(s)?.value === v, [selector, value]);
}

test('a plot form left open follows another phone, and both changes stay', async (t) => {
  const server = await startSyncServer(t);
  const ana = await launch(t);
  await createGroup(ana.page, app.url, 'Both Stay Garden');
  const href = groupHref(ana.page);
  await addGarden(ana.page, 'Maple St');
  await ana.page.getByRole('link', { name: /Maple St/ }).click();
  await addPlot(ana.page, 'D5', '3 × 3 m');
  const plotHref = await ana.page.getByRole('link', { name: /D5/ }).getAttribute('href');
  await saved(ana.page);
  await useServer(ana.page, href, server);
  const invite = await ana.page.getByTestId('invite-link').inputValue();

  const ben = await launch(t);
  await ben.page.goto(invite);
  // An invite asks before it adds the group or contacts the server.
  await ben.page.getByRole('button', { name: 'Join the group' }).click();
  await ben.page.getByRole('heading', { level: 1, name: 'Both Stay Garden' }).waitFor();
  // Ben says who he is on his phone, so his changes carry his name.
  await ben.page.goto(`${app.url}${href}/members`);
  await ben.page.getByLabel("Member's name").fill('Ben');
  await ben.page.getByRole('button', { name: 'Add a member' }).click();
  await ben.page.getByTestId('members').getByRole('link', { name: 'Ben' }).click();
  await ben.page.getByTestId('me-button').click();
  await ben.page.getByTestId('this-is-me').waitFor();

  // Both open plot D5's form.
  await ana.page.goto(`${app.url}${plotHref}`);
  await ben.page.goto(`${app.url}${plotHref}`);
  await inputIs(ana.page, '#plot-size', '3 × 3 m');
  await inputIs(ben.page, '#plot-size', '3 × 3 m');

  // Ben changes the size; Ana's open form follows (she has not touched it).
  await ben.page.locator('#plot-size').fill('4 × 8 m');
  await ben.page.getByRole('button', { name: 'Save' }).first().click();
  await ben.page.getByTestId('plot-saved').waitFor();
  await inputIs(ana.page, '#plot-size', '4 × 8 m');
  await shot(ana.page, 'both-stay-form-followed');

  // Ana changes only the status and saves: Ben's size stays, everywhere.
  await ana.page.locator('#plot-status').selectOption({ label: 'Needs attention' });
  await ana.page.getByRole('button', { name: 'Save' }).first().click();
  await ana.page.getByTestId('plot-saved').waitFor();
  for (const phone of [ana, ben]) {
    await inputIs(phone.page, '#plot-status', 'needs-attention');
    await inputIs(phone.page, '#plot-size', '4 × 8 m');
  }

  // Now both edit the size at once: Ana is told, by name, and decides.
  await ana.page.locator('#plot-size').fill('5 × 5 m');
  await ben.page.locator('#plot-size').fill('6 × 2 m');
  await ben.page.getByRole('button', { name: 'Save' }).first().click();
  await ben.page.getByTestId('plot-saved').waitFor();
  const note = ana.page.getByTestId('plot-size-changed');
  await note.getByText('Changed by Ben while you were editing: 6 × 2 m').waitFor();
  await inputIs(ana.page, '#plot-size', '5 × 5 m');
  await shot(ana.page, 'both-stay-changed-by-ben');
  await note.getByRole('button', { name: 'Keep mine' }).click();
  await note.waitFor({ state: 'detached' });
  await ana.page.getByRole('button', { name: 'Save' }).first().click();
  await ana.page.getByTestId('plot-saved').waitFor();
  await inputIs(ben.page, '#plot-size', '5 × 5 m');
  await inputIs(ben.page, '#plot-status', 'needs-attention');

  // After a reload each phone still has both changes.
  for (const phone of [ana, ben]) {
    await saved(phone.page);
    await phone.page.reload();
    await inputIs(phone.page, '#plot-size', '5 × 5 m');
    await inputIs(phone.page, '#plot-status', 'needs-attention');
  }

  // The same with a member's details: Ben's contact and Ana's languages.
  await ana.page.goto(`${app.url}${href}/members`);
  await ana.page.getByTestId('members').getByRole('link', { name: 'Ben' }).click();
  const benHref = new URL(ana.page.url()).hash;
  await ben.page.goto(`${app.url}${benHref}`);
  await inputIs(ana.page, '#member-contact', '');
  await ben.page.locator('#member-contact').fill('555-0199');
  await ben.page.getByRole('button', { name: 'Save' }).click();
  await inputIs(ana.page, '#member-contact', '555-0199');
  await ana.page.locator('#member-languages').fill('Spanish, English');
  await ana.page.getByRole('button', { name: 'Save' }).click();
  for (const phone of [ana, ben]) {
    await inputIs(phone.page, '#member-contact', '555-0199');
    await inputIs(phone.page, '#member-languages', 'Spanish, English');
  }
  assert.deepEqual([...ana.errors, ...ben.errors], []);
});

test('a Node peer writing plain strings and a newer status never makes the group unreadable', async (t) => {
  const server = await startSyncServer(t);
  const { page, errors } = await launch(t);
  await createGroup(page, app.url, 'Mixed Apps Garden');
  const href = groupHref(page);
  await addGarden(page, 'Roof');
  await page.getByRole('link', { name: /Roof/ }).click();
  await addPlot(page, 'A1', '2 m');
  const site = new URL(page.url()).hash.split('/').pop();
  await saved(page);
  await useServer(page, href, server);
  const invite = await page.getByTestId('invite-link').inputValue();
  const groupUrl = decodeURIComponent(invite.match(/join\/(automerge:[^?]+)/)[1]);

  const node = new Repo({ network: [new WebSocketClientAdapter(server.url)], storage: undefined });
  t.after(async () => { try { await node.shutdown(); } catch { /* already stopped */ } });
  const group = await node.find(groupUrl);
  const s = (v) => new ImmutableString(v);
  group.change((d) => {
    // As another app writes a plot: text label, plain strings, a float
    // moment, a status this version does not know, an extra field.
    d.plots.nodeplot = {};
    const p = d.plots.nodeplot;
    p.site = s(site);
    p.label = 'Z9';
    p.size = s('1 m');
    p.status = s('Composting');
    p.holder = null;
    p.created_at = new Float64(1790000000000.5);
    p.color = s('green');
    // And the phone's own plot gets a lowercase status.
    d.plots[Object.keys(d.plots).find((k) => k !== 'nodeplot')].status = s('fallow');
  });

  // The phone keeps showing the group, with the peer's plot and values.
  await page.goto(`${app.url}${href}/site/${site}`);
  await page.getByTestId('plots').getByText('Z9', { exact: true }).waitFor();
  const z9 = page.locator('.card', { hasText: 'Z9' });
  await z9.getByText('unknown (from a newer version)').waitFor();
  assert.match(await page.locator('.card', { hasText: 'A1' }).textContent(), /Fallow/);
  assert.equal(await page.getByTestId('stale').count(), 0);
  await shot(page, 'both-stay-node-plot');

  // The phone edits that plot (size only) and adds another: both go through.
  await page.getByRole('link', { name: /Z9/ }).click();
  await inputIs(page, '#plot-size', '1 m');
  await page.locator('#plot-size').fill('1 × 2 m');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await page.getByTestId('plot-saved').waitFor();
  await page.goto(`${app.url}${href}/site/${site}`);
  await addPlot(page, 'B2');
  await saved(page);

  // The peer's values survive the phone's edits.
  const plotOf = (label) => Object.values(group.doc().plots).find((p) => String(p.label) === label);
  for (const end = Date.now() + 10_000; Date.now() < end && String(plotOf('Z9')?.size) !== '1 × 2 m';) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const z = plotOf('Z9');
  assert.equal(String(z.size), '1 × 2 m');
  assert.equal(String(z.status), 'Composting');
  assert.equal(String(z.color), 'green');
  assert.equal(String(z.label), 'Z9');
  for (const end = Date.now() + 10_000; Date.now() < end && !plotOf('B2');) {
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(plotOf('B2'), 'the plot the phone added reached the peer');
  // A change that truly makes it something other than a group: the page
  // says so at once and refuses edits, until the group reads again.
  group.change((d) => { d.group = s('not a group any more'); });
  await page.getByTestId('stale').waitFor();
  await shot(page, 'both-stay-stale');
  await page.getByLabel('Plot label').fill('C3');
  await page.getByRole('button', { name: 'Add a plot' }).click();
  await page.locator('.field-error', { hasText: 'nothing can be changed here until it reads again' }).first().waitFor();
  await page.waitForTimeout(500);
  assert.equal(plotOf('C3'), undefined, 'nothing was written while it did not read');
  group.change((d) => { delete d.group; });
  await page.getByTestId('stale').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Add a plot' }).click();
  await page.getByTestId('plots').getByText('C3', { exact: true }).waitFor();

  // After a reload the group still reads, unknown status and all.
  await page.reload();
  await page.locator('.card', { hasText: 'Z9' }).getByText('unknown (from a newer version)').waitFor();
  assert.deepEqual(errors, []);
  await node.shutdown();
});
