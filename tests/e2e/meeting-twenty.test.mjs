// A meeting with no server and no internet where any phone that is in lets
// the next one in: six phones (six Chromium profiles) pair as a tree, two
// pairings at once through two different phones; everyone edits (plots,
// notes typed at once, an action item); a phone in the middle leaves and
// the phone below it pairs again with another phone still in, bringing its
// own child along; everyone ends with the same documents holding every
// word, and each status bar says the whole room has everything.
// Codes are pasted here; phones.test.mjs reads one from a photo.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { serve, scratchDir, launch, shot, saved, createGroup, addGarden, addPlot, plotLabels, meetingReport } from './lib.mjs';

let app;
let files;
before(async () => {
  app = await serve();
  files = await scratchDir('cg-files-');
});
after(async () => { await app?.close(); });

const groupHref = (page) => new URL(page.url()).hash.match(/#\/g\/[^/]+/)[0];

/** The code a page shows once it differs from `previous`. */
async function shownCode(page, previous = null) {
  await page.waitForFunction((old) => {
    const value = document.querySelector('[data-testid=shown-code]')?.value;
    return value && value !== old;
  }, previous, { timeout: 30_000 });
  return page.getByTestId('shown-code').inputValue();
}

async function paste(page, code) {
  await page.getByLabel('Or paste the code').fill(code);
  await page.getByRole('button', { name: 'Connect' }).click();
}

/** `joiner` comes in through `door`, a phone already letting people in. */
async function letIn(door, joiner, href, previous) {
  const code = await shownCode(door.page, previous);
  await joiner.page.goto(`${app.url}${href}/phones`);
  await joiner.page.getByRole('button', { name: 'Join the host' }).click();
  await paste(joiner.page, code);
  const answer = await shownCode(joiner.page);
  await paste(door.page, answer);
  // The joiner is in: its page offers to let the next person in.
  await joiner.page.getByTestId('let-next-in').waitFor({ timeout: 30_000 });
  // And the door counts the link open too: a side left "connecting…"
  // drops every frame, and the room splits without a word.
  await door.page.getByTestId('phones').locator('li', { hasText: joiner.name })
    .getByText(/connected|up to date/).waitFor({ timeout: 30_000 });
  door.in = true;
  joiner.in = true;
  return code;
}

/**
 * Opens a phone's door: it shows its code and keeps reading answers. A
 * phone that came in must still hold a link open; if it closed, the test
 * says so here rather than going on with two rooms.
 */
async function openDoor(phone, href, everyone) {
  await phone.page.goto(`${app.url}${href}/phones`);
  if (phone.in) {
    await phone.page.getByTestId('phones').getByText(/connected|up to date/).first()
      .waitFor({ timeout: 10_000 })
      .catch(async (error) => {
        throw new Error(`${phone.name} is no longer in.\n${await meetingReport(everyone)}`, { cause: error });
      });
  }
  // In with its door shut, it offers to let the next one in; with its door
  // open (a code shown) or not in yet, "Be the host" makes a fresh code.
  const button = phone.page.getByTestId('let-next-in');
  if (await button.count()) await button.click();
  else await phone.page.getByRole('button', { name: 'Be the host' }).click();
  return shownCode(phone.page);
}

async function typeInNotes(page, meetingHref, words) {
  await page.goto(`${app.url}${meetingHref}`);
  const notes = page.getByTestId('notes');
  await notes.waitFor();
  await notes.press('End');
  await notes.pressSequentially(words);
  await notes.blur();
}

test('six phones pair as a tree through two doors at once, one in the middle leaves, and all end the same', async (t) => {
  const started = Date.now();
  const ana = await launch(t);
  await createGroup(ana.page, app.url, 'Chapter Twenty');
  const href = groupHref(ana.page);
  await ana.page.getByTestId('members-link').click();
  await ana.page.getByLabel("Member's name").fill('Dara Quinn');
  await ana.page.getByRole('button', { name: 'Add a member' }).click();
  await ana.page.getByTestId('members').getByText('Dara Quinn').waitFor();
  await ana.page.goto(`${app.url}${href}`);
  await addGarden(ana.page, 'Long bed');
  const siteHref = await ana.page.getByRole('link', { name: /Long bed/ }).getAttribute('href');
  await ana.page.goto(`${app.url}${href}`);
  await ana.page.getByLabel('What the meeting is').fill('Chapter meeting');
  await ana.page.getByRole('button', { name: 'Add meeting' }).click();
  await ana.page.getByRole('heading', { level: 1, name: 'Chapter meeting' }).waitFor();
  const meetingHref = new URL(ana.page.url()).hash;
  await ana.page.getByTestId('notes').fill('Agenda.');
  await saved(ana.page);

  // Everyone has the group already (a file passed round a messenger).
  await ana.page.goto(`${app.url}${href}/phones`);
  const [download] = await Promise.all([
    ana.page.waitForEvent('download'),
    ana.page.getByRole('button', { name: 'Share updates as a file' }).click(),
  ]);
  const file = join(files, 'chapter.cgupdates');
  await download.saveAs(file);
  const names = ['Ben', 'Chen', 'Dara', 'Eli', 'Fay'];
  const [ben, chen, dara, eli, fay] = await Promise.all(names.map(async (name) => {
    const phone = await launch(t);
    await phone.page.goto(app.url);
    await phone.page.locator('#group-file').setInputFiles(file);
    await phone.page.getByRole('heading', { level: 1, name: 'Chapter Twenty' }).waitFor();
    await phone.page.goto(`${app.url}${meetingHref}`);
    await phone.page.getByLabel('Your name, shown to others in meeting notes').fill(name);
    await phone.page.getByRole('button', { name: 'Save' }).click();
    await saved(phone.page);
    phone.name = name;
    return phone;
  }));
  ana.name = 'Ana';
  const everyone = [ana, ben, chen, dara, eli, fay];
  await ana.page.goto(`${app.url}${meetingHref}`);
  await ana.page.getByLabel('Your name, shown to others in meeting notes').fill('Ana');
  await ana.page.getByRole('button', { name: 'Save' }).click();
  console.log(`  six phones hold the group after ${Date.now() - started} ms`);

  // Ana lets Ben in; then Ana lets Chen in while Ben lets Dara in.
  const pairingStart = Date.now();
  let anaCode = await openDoor(ana, href, everyone);
  anaCode = await letIn(ana, ben, href, null);
  await openDoor(ben, href, everyone);
  await Promise.all([
    letIn(ana, chen, href, anaCode),
    letIn(ben, dara, href, null),
  ]);
  // Dara, in through Ben, lets Eli in; Chen, in through Ana, lets Fay in.
  await openDoor(dara, href, everyone);
  await openDoor(chen, href, everyone);
  await Promise.all([letIn(dara, eli, href, null), letIn(chen, fay, href, null)]);
  const lastPairing = Date.now();
  console.log(`  five pairings (two at a time) in ${lastPairing - pairingStart} ms`);
  await shot(ben.page, 'meeting-twenty-door');

  // Each status bar counts five other phones and, once everything has
  // crossed, says the whole room has everything on it.
  const roomAgrees = async (phone, count) => {
    const open = await phone.page.locator('details.status-bar').evaluate((d) => d.open);
    if (!open) await phone.page.getByTestId('status-summary').click();
    await phone.page.getByTestId('room-status')
      .getByText(`Syncing with ${count} phones: the whole room has everything on this phone`)
      .waitFor({ timeout: 30_000 })
      .catch(async (error) => {
        // What every phone shows, to tell a closed link from a slow one.
        throw new Error(`${phone.name}: the room did not agree.\n${await meetingReport(everyone)}`, { cause: error });
      });
  };
  await Promise.all(everyone.map((phone) => roomAgrees(phone, 5)));
  console.log(`  whole room up to date ${Date.now() - lastPairing} ms after the last pairing`);
  for (const phone of everyone) {
    assert.equal(await phone.page.getByTestId('sync-status').count(), 0, `${phone.name}: no "no sync server" while phones sync`);
  }
  await shot(eli.page, 'meeting-twenty-status');

  // Everyone edits: a plot each, words typed into the notes at once, and
  // an action item.
  await Promise.all(everyone.map(async (phone) => {
    await phone.page.goto(`${app.url}${siteHref}`);
    await addPlot(phone.page, `${phone.name}-bed`);
  }));
  await Promise.all(everyone.map((phone) => typeInNotes(phone.page, meetingHref, ` ${phone.name} says hello.`)));
  await fay.page.getByLabel('What will be done').fill('Order compost');
  await fay.page.getByLabel('Who will do it').selectOption({ label: 'Dara Quinn' });
  await fay.page.getByRole('button', { name: 'Add an action item' }).click();
  await fay.page.getByTestId('actions').getByText('Order compost').waitFor();
  await Promise.all(everyone.map((phone) => roomAgrees(phone, 5)));

  // Ben, in the middle (Dara and, through her, Eli came in by him), leaves.
  await ben.page.goto(`${app.url}${href}/phones`);
  await ben.page.getByRole('button', { name: 'Stop syncing with phones' }).click();
  ben.in = false;
  await dara.page.goto(`${app.url}${href}/phones`);
  await dara.page.getByTestId('phones-notice').getByText(/Ben left\. If phones were syncing through it, join anyone still in/).waitFor({ timeout: 30_000 });
  await shot(dara.page, 'meeting-twenty-left');
  // Apart, Eli (below Dara) and Ana type on.
  await typeInNotes(eli.page, meetingHref, ' Eli while apart.');
  await typeInNotes(ana.page, meetingHref, ' Ana while apart.');
  await saved(eli.page);
  await saved(ana.page);
  // Dara pairs again through Fay, bringing Eli along; Ben comes back in
  // through Chen.
  // At once: Ana saw her link to Ben close and told the room, so Fay no
  // longer counts Dara and Eli as in, and pairing them again is no loop.
  await openDoor(fay, href, everyone);
  await letIn(fay, dara, href, null);
  await openDoor(chen, href, everyone);
  await letIn(chen, ben, href, null);

  // Every phone ends with the same documents, holding every word: what was
  // typed apart whole, and every letter typed at once in its typist's order
  // (six people typing at one spot may interleave; nobody loses a letter).
  // Eli and Ana typed apart at the same spot, so theirs are concurrent too.
  const words = ['Agenda.'];
  const inOrder = (text, typed) => {
    let at = 0;
    for (const letter of typed) {
      at = text.indexOf(letter, at);
      if (at < 0) return false;
      at += 1;
    }
    return true;
  };
  // Every status bar says the whole room holds the same before the notes
  // are compared: the words below can be found before the last letter lands.
  await Promise.all(everyone.map((phone) => roomAgrees(phone, 5)));
  const seen = [];
  for (const phone of everyone) {
    await phone.page.goto(`${app.url}${meetingHref}`);
    await phone.page.waitForFunction(([whole, typed]) => {
      const notes = document.querySelector('[data-testid=notes]')?.value ?? '';
      const letters = notes.replace(/\s/g, '');
      const inOrder = (word) => {
        let at = 0;
        for (const letter of word) {
          at = letters.indexOf(letter, at);
          if (at < 0) return false;
          at += 1;
        }
        return true;
      };
      return whole.every((w) => notes.includes(w)) && typed.every(inOrder);
    }, [words, ['Eliwhileapart.', 'Anawhileapart.']], { timeout: 30_000 }).catch(async (error) => {
      const notes = await phone.page.getByTestId('notes').inputValue();
      throw new Error(`${phone.name}'s notes lack some words: ${JSON.stringify(notes)}`, { cause: error });
    });
    await phone.page.getByTestId('actions').getByText('Order compost').waitFor({ timeout: 30_000 });
    const notes = await phone.page.getByTestId('notes').inputValue();
    await phone.page.goto(`${app.url}${siteHref}`);
    await phone.page.getByTestId('plots').getByText('Fay-bed', { exact: true }).waitFor({ timeout: 30_000 });
    const plots = (await plotLabels(phone.page)).sort();
    seen.push({ notes, plots });
  }
  for (const [i, phone] of everyone.entries()) {
    assert.deepEqual(seen[i].plots, everyone.map((p) => `${p.name}-bed`).sort(), phone.name);
    assert.equal(seen[i].notes, seen[0].notes, `${phone.name}'s notes`);
  }
  const letters = seen[0].notes.replace(/\s/g, '');
  for (const typed of [...everyone.map((p) => `${p.name}sayshello.`), 'Eliwhileapart.', 'Anawhileapart.']) {
    assert.ok(inOrder(letters, typed), `${typed} in ${seen[0].notes}`);
  }
  console.log(`  notes at the end: ${JSON.stringify(seen[0].notes)}`);
  await Promise.all(everyone.map((phone) => roomAgrees(phone, 5)));

  // Eli, in through Dara, joining Ana (in the room already) would make a
  // loop: the link is closed and the phone that saw it says why.
  await openDoor(ana, href, everyone);
  const loopCode = await shownCode(ana.page);
  await eli.page.goto(`${app.url}${href}/phones`);
  await eli.page.getByRole('button', { name: 'Join the host' }).click();
  await paste(eli.page, loopCode);
  await paste(ana.page, await shownCode(eli.page));
  await Promise.any([
    eli.page.getByTestId('phones-notice').getByText('Ana is already in this meeting through another phone, so this second connection was closed.').waitFor({ timeout: 30_000 }),
    ana.page.getByTestId('phones-notice').getByText('Eli is already in this meeting through another phone, so this second connection was closed.').waitFor({ timeout: 30_000 }),
  ]);
  await shot(eli.page, 'meeting-twenty-loop');
  await typeInNotes(eli.page, meetingHref, ' After the loop.');
  for (const phone of everyone) {
    await phone.page.goto(`${app.url}${meetingHref}`);
    await phone.page.waitForFunction(() => document.querySelector('[data-testid=notes]')?.value.includes('After the loop.'), null, { timeout: 30_000 });
  }
  await Promise.all(everyone.map((phone) => roomAgrees(phone, 5)));
  await shot(dara.page, 'meeting-twenty-end');
  console.log(`  whole test ${Date.now() - started} ms`);
  assert.deepEqual(everyone.flatMap((p) => p.errors), []);
});
