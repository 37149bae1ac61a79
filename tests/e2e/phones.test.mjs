// Phones at a meeting with no server and no internet: three phones (three
// Chromium instances with their own profiles) get the group from an updates
// file, edit apart, then two join the third as host by swapping codes (one
// pasted, one read from a photo of the host's QR code) and all converge.
// Codes for another group, stale codes, garbage and damaged files change
// nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, scratchDir, launch, shot, saved, createGroup, addGarden, addPlot, plotLabels } from './lib.mjs';

let app;
let files;
before(async () => {
  app = await serve();
  files = await scratchDir('cg-files-');
});
after(async () => { await app?.close(); });

const groupHref = (page) => new URL(page.url()).hash.match(/#\/g\/[^/]+/)[0];
const inDays = (days) => new Date(Date.now() + days * 864e5).toISOString().slice(0, 10);

/** Saves the group's updates file from its phones page; returns its path. */
async function saveUpdates(page, href, name) {
  await page.goto(`${app.url}${href}/phones`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Share updates as a file' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.cgupdates$/);
  const path = join(files, name);
  await download.saveAs(path);
  return path;
}

/** A new phone that gets the group from a file, opened on the home screen. */
async function phoneWithGroupFile(t, path, groupName) {
  const phone = await launch(t);
  await phone.page.goto(app.url);
  await phone.page.locator('#group-file').setInputFiles(path);
  await phone.page.getByRole('heading', { level: 1, name: groupName }).waitFor();
  await saved(phone.page);
  return phone;
}

async function typeInNotes(page, meetingHref, where, words) {
  await page.goto(`${app.url}${meetingHref}`);
  const notes = page.getByTestId('notes');
  await notes.waitFor();
  await notes.press(where);
  await notes.pressSequentially(words);
  await notes.blur();
  await saved(page);
}

async function hostCode(page, previous = null) {
  const code = page.getByTestId('shown-code');
  await page.waitForFunction((old) => {
    const value = document.querySelector('[data-testid=shown-code]')?.value;
    return value && value !== old;
  }, previous);
  return code.inputValue();
}

async function paste(page, code) {
  await page.getByLabel('Or paste the code').fill(code);
  await page.getByRole('button', { name: 'Connect' }).click();
}

test('three phones converge through one host with no server: plots, loans and notes typed apart', async (t) => {
  const ana = await launch(t);
  await createGroup(ana.page, app.url, 'Riverside Commons');
  const href = groupHref(ana.page);
  await ana.page.getByTestId('members-link').click();
  await ana.page.getByLabel("Member's name").fill('Ben Okafor');
  await ana.page.getByRole('button', { name: 'Add a member' }).click();
  await ana.page.getByTestId('members').getByText('Ben Okafor').waitFor();
  await ana.page.goto(`${app.url}${href}`);
  await addGarden(ana.page, 'Creek garden');
  const siteHref = await ana.page.getByRole('link', { name: /Creek garden/ }).getAttribute('href');
  await ana.page.goto(`${app.url}${siteHref}`);
  await addPlot(ana.page, 'A1');
  await ana.page.goto(`${app.url}${href}/library`);
  await ana.page.getByLabel('Name').fill('Hand trowel');
  await ana.page.getByRole('button', { name: 'Add to the library' }).click();
  await ana.page.getByTestId('library').getByText('Hand trowel').waitFor();
  await ana.page.goto(`${app.url}${href}`);
  await ana.page.getByLabel('What the meeting is').fill('November meeting');
  await ana.page.getByRole('button', { name: 'Add meeting' }).click();
  await ana.page.getByRole('heading', { level: 1, name: 'November meeting' }).waitFor();
  const meetingHref = new URL(ana.page.url()).hash;
  await ana.page.getByTestId('notes').fill('Compost.');
  await ana.page.getByLabel('Your name, shown to others in meeting notes').fill('Ana');
  await ana.page.getByRole('button', { name: 'Save' }).click();
  await saved(ana.page);

  // Ben and Chen get the group as a file, as they would through a messenger.
  const file = await saveUpdates(ana.page, href, 'riverside.cgupdates');
  const ben = await phoneWithGroupFile(t, file, 'Riverside Commons');
  const chen = await phoneWithGroupFile(t, file, 'Riverside Commons');
  await ben.page.getByRole('link', { name: 'November meeting' }).waitFor();
  await shot(ben.page, 'group-from-file');

  // Apart, each edits: plots, a loan, and words in the same notes.
  await ana.page.goto(`${app.url}${siteHref}`);
  await addPlot(ana.page, 'A-Ana');
  await saved(ana.page);
  await chen.page.goto(`${app.url}${siteHref}`);
  await addPlot(chen.page, 'C-Chen');
  await saved(chen.page);
  await ben.page.goto(`${app.url}${href}/members`);
  await ben.page.getByRole('link', { name: /Ben Okafor/ }).click();
  await ben.page.getByTestId('me-button').click();
  await ben.page.getByTestId('this-is-me').waitFor();
  await ben.page.goto(`${app.url}${href}/library`);
  await ben.page.getByRole('link', { name: /Hand trowel/ }).click();
  await ben.page.getByLabel('Borrower').selectOption({ label: 'Ben Okafor' });
  await ben.page.getByLabel('Due back').fill(inDays(14));
  await ben.page.getByRole('button', { name: 'Lend', exact: true }).click();
  await ben.page.getByTestId('standing').getByText('On loan').waitFor();
  await saved(ben.page);
  await typeInNotes(ana.page, meetingHref, 'End', ' Ana: seeds.');
  await typeInNotes(ben.page, meetingHref, 'End', ' Ben: tools.');
  await chen.page.goto(`${app.url}${meetingHref}`);
  await chen.page.getByLabel('Your name, shown to others in meeting notes').fill('Chen');
  await chen.page.getByRole('button', { name: 'Save' }).click();
  await typeInNotes(chen.page, meetingHref, 'Home', 'Chen: rain barrel. ');

  // Ana hosts; Ben pastes her code, and she pastes his answer.
  await ana.page.goto(`${app.url}${href}`);
  await ana.page.getByTestId('phones-link').click();
  await ana.page.getByRole('button', { name: 'Be the host' }).click();
  const first = await hostCode(ana.page);
  await shot(ana.page, 'phones-host');
  await ben.page.goto(`${app.url}${href}/phones`);
  await ben.page.getByRole('button', { name: 'Join the host' }).click();
  await paste(ben.page, first);
  const benAnswer = await hostCode(ben.page);
  await shot(ben.page, 'phones-answer');
  const scanned = Date.now();
  await paste(ana.page, benAnswer);
  const phones = ana.page.getByTestId('phones');
  await phones.getByText('Ben Okafor').waitFor();
  await phones.locator('li', { hasText: 'Ben Okafor' }).getByText(/up to date at/).waitFor({ timeout: 30_000 });
  console.log(`  Ben: answer pasted → up to date on the host in ${Date.now() - scanned} ms`);
  await ben.page.getByTestId('phones').getByText(/Ana.*up to date at/).waitFor({ timeout: 30_000 });

  // Chen reads the next code from a photo of the host's screen.
  const second = await hostCode(ana.page, first);
  const photo = join(files, 'host-code.png');
  await ana.page.getByTestId('code-qr').screenshot({ path: photo });
  await chen.page.goto(`${app.url}${href}/phones`);
  await chen.page.getByRole('button', { name: 'Join the host' }).click();
  await chen.page.locator('#code-photo').setInputFiles(photo);
  const chenAnswer = await hostCode(chen.page);
  assert.notEqual(second, first);
  await paste(ana.page, chenAnswer);
  await phones.locator('li', { hasText: 'Chen' }).getByText(/up to date at/).waitFor({ timeout: 30_000 });
  await shot(ana.page, 'phones-connected');

  // Everyone has everything: the host relayed Ben's and Chen's edits to each other.
  for (const phone of [ana, ben, chen]) {
    await phone.page.goto(`${app.url}${siteHref}`);
    await phone.page.getByTestId('plots').getByText('C-Chen', { exact: true }).waitFor({ timeout: 30_000 });
    await phone.page.getByTestId('plots').getByText('A-Ana', { exact: true }).waitFor({ timeout: 30_000 });
    assert.deepEqual((await plotLabels(phone.page)).sort(), ['A-Ana', 'A1', 'C-Chen']);
    await phone.page.goto(`${app.url}${href}/library`);
    await phone.page.getByTestId('library').getByText('On loan').waitFor({ timeout: 30_000 });
    await phone.page.goto(`${app.url}${meetingHref}`);
    await phone.page.waitForFunction(() => {
      const notes = document.querySelector('[data-testid=notes]')?.value ?? '';
      return ['Chen: rain barrel.', 'Compost.', 'Ana: seeds.', 'Ben: tools.'].every((w) => notes.includes(w));
    }, null, { timeout: 30_000 });
  }
  const notes = await ana.page.getByTestId('notes').inputValue();
  assert.ok(notes.startsWith('Chen: rain barrel. Compost.'), notes);
  assert.equal(notes, await chen.page.getByTestId('notes').inputValue());
  assert.equal(notes, await ben.page.getByTestId('notes').inputValue());

  // Ben stops; Ana types on. Her phone says what each phone lacks: Ben,
  // gone, her three new keystrokes; Chen, still here, nothing.
  await ben.page.goto(`${app.url}${href}/phones`);
  await ben.page.getByRole('button', { name: 'Stop syncing with phones' }).click();
  await ana.page.goto(`${app.url}${href}/phones`);
  await phones.locator('li', { hasText: 'Ben Okafor' }).getByText('left', { exact: true }).waitFor({ timeout: 30_000 });
  await typeInNotes(ana.page, meetingHref, 'End', ' Go');
  await ana.page.goto(`${app.url}${href}/phones`);
  await phones.locator('li', { hasText: 'Ben Okafor' }).getByText('left · still lacks 3 changes', { exact: true }).waitFor();
  await phones.locator('li', { hasText: 'Chen' }).getByText(/up to date at/).waitFor({ timeout: 30_000 });
  await shot(ana.page, 'phones-one-left');
  assert.deepEqual([...ana.errors, ...ben.errors, ...chen.errors], []);
});

test('a code for another group, a stale code, garbage and a damaged file change nothing', async (t) => {
  const ana = await launch(t);
  await createGroup(ana.page, app.url, 'Eastside Growers');
  const href = groupHref(ana.page);
  await addGarden(ana.page, 'Maple St');
  const siteHref = await ana.page.getByRole('link', { name: /Maple St/ }).getAttribute('href');
  await ana.page.goto(`${app.url}${siteHref}`);
  await addPlot(ana.page, 'M1');
  await saved(ana.page);
  const file = await saveUpdates(ana.page, href, 'eastside.cgupdates');
  const ben = await phoneWithGroupFile(t, file, 'Eastside Growers');

  const dan = await launch(t);
  await createGroup(dan.page, app.url, 'Hilltop Tenants');
  const danHref = groupHref(dan.page);
  const danFile = await saveUpdates(dan.page, danHref, 'hilltop.cgupdates');
  await dan.page.getByRole('button', { name: 'Be the host' }).click();
  const danCode = await hostCode(dan.page);

  await ben.page.goto(`${app.url}${href}/phones`);
  await ben.page.getByRole('button', { name: 'Join the host' }).click();
  const refused = async (code, message) => {
    await paste(ben.page, code);
    await ben.page.getByText(message).waitFor();
    assert.equal(await ben.page.getByTestId('shown-code').count(), 0);
  };
  await refused(danCode, 'This code is for a group that is not on this phone. Nothing was shared.');
  // Dan's code as a link, opened on Ben's phone: the same answer.
  await ben.page.goto(`${app.url}#/meet/${danCode}`);
  await ben.page.getByText('This code is for a group that is not on this phone.').waitFor();
  await ben.page.goto(`${app.url}${href}/phones`);
  await ben.page.getByRole('button', { name: 'Join the host' }).click();
  await refused('hello, here is the code!', 'That is not a whole code.');
  await refused(danCode.slice(0, -4), 'That is not a whole code.');
  await shot(ben.page, 'phones-refused');

  // Ben answers Ana's first code, but she has moved on to a new one.
  await ana.page.goto(`${app.url}${href}/phones`);
  await ana.page.getByRole('button', { name: 'Be the host' }).click();
  const first = await hostCode(ana.page);
  await paste(ben.page, first);
  const answer = await hostCode(ben.page);
  await ana.page.getByRole('button', { name: 'Be the host' }).click();
  await hostCode(ana.page, first);
  await paste(ana.page, answer);
  await ana.page.getByText('This code has expired. Scan the one on the screen now.').waitFor();
  // An answer pasted where a host's code belongs, and the other way round.
  await paste(ana.page, first);
  await ana.page.getByText('This is the other kind of code').waitFor();
  await ana.page.getByTestId('phones').getByText('No phones connected yet.').waitFor();

  // Files: another group's is refused in this group; a damaged one anywhere.
  await ben.page.locator('#updates-file').setInputFiles(danFile);
  await ben.page.getByTestId('updates-message').getByText('This file is for another group. Nothing was changed.').waitFor();
  const bytes = await readFile(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0x55;
  const damaged = join(files, 'damaged.cgupdates');
  await writeFile(damaged, bytes);
  await ben.page.locator('#updates-file').setInputFiles(damaged);
  await ben.page.getByTestId('updates-message').getByText('This file is damaged or is not an updates file. Nothing was changed.').waitFor();
  await ben.page.goto(app.url);
  await ben.page.locator('#group-file').setInputFiles(damaged);
  await ben.page.getByText('This file is damaged or is not an updates file.').waitFor();
  for (const load of [() => ben.page.goto(`${app.url}${siteHref}`), () => ben.page.reload()]) {
    await load();
    await ben.page.getByTestId('plots').getByText('M1', { exact: true }).waitFor();
    assert.deepEqual(await plotLabels(ben.page), ['M1']);
  }
  assert.deepEqual([...ana.errors, ...ben.errors, ...dan.errors], []);
});
