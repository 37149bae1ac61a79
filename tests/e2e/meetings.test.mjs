// Meetings, mutual aid, shifts, the garden log and export at 360×740: a
// meeting is held with an action item that shows up in the next meeting;
// neighbors' asks are matched; shifts are signed up for; harvests add up;
// the group leaves as CSV for people who keep spreadsheets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serve, launch, shot, saved, createGroup, addGarden } from './lib.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

/** A group with Rosa (this phone) and Ana, left on the group page. */
async function groupWithRosaAndAna(page, name) {
  await createGroup(page, server.url, name);
  const groupUrl = page.url();
  await page.getByTestId('members-link').click();
  for (const member of ['Rosa Díaz', 'Ana Silva']) {
    await page.getByLabel("Member's name").fill(member);
    await page.getByRole('button', { name: 'Add a member' }).click();
    await page.getByTestId('members').getByText(member).waitFor();
  }
  await shot(page, 'members');
  await page.getByRole('link', { name: /Rosa Díaz/ }).click();
  await page.getByTestId('me-button').click();
  await page.getByTestId('this-is-me').waitFor();
  await page.goto(groupUrl);
  return groupUrl;
}

async function newMeeting(page, title) {
  await page.getByLabel('What the meeting is').fill(title);
  await page.getByRole('button', { name: 'Add meeting' }).click();
  await page.getByRole('heading', { name: title }).waitFor();
}

test('a meeting is held, and its action item shows up in the next meeting', async (t) => {
  const { context, page, errors } = await launch(t);
  await context.clock.install({ time: new Date('2026-09-21T18:00:00') });
  const groupUrl = await groupWithRosaAndAna(page, 'Eastside Growers');
  // Nothing is owed yet: the group says so.
  await page.getByTestId('needs-me').getByText('Nothing needs you right now.').waitFor();

  await newMeeting(page, 'September meeting');
  await page.getByText('Date, time and place').click();
  await page.getByLabel('Date', { exact: true }).fill('2026-09-21');
  await page.getByLabel('Time', { exact: true }).fill('18:30');
  await page.getByLabel('Place').fill('Church basement');
  await page.getByRole('button', { name: 'Save' }).first().click();
  await page.getByTestId('when').getByText(/Church basement/).waitFor();
  await page.getByLabel('Facilitator').selectOption({ label: 'Rosa Díaz' });
  await page.getByText('Who came').click();
  await page.getByLabel('Rosa Díaz').check();
  await page.getByLabel('Ana Silva').check();
  await page.getByTestId('present-count').getByText('2 present').waitFor();
  await page.getByLabel('Add to the agenda').fill('Watering rota');
  await page.getByRole('button', { name: 'Add to the agenda' }).click();
  await page.getByTestId('agenda').getByLabel('Watering rota').check();
  await page.getByTestId('notes').fill('Rosa opened. Talked about water.');

  // A decision in its exact words, with a show of hands.
  await page.getByLabel('The exact words agreed').fill('The gate opens at 8 on Saturdays.\nKeys stay with Rosa.');
  await page.getByLabel('Agree', { exact: true }).fill('9');
  await page.getByLabel('Abstain', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Record a decision' }).click();
  await page.getByTestId('decisions').getByText('9 agree · 1 abstain · 0 disagree · 0 block').waitFor();

  // An action item due in the past is refused; then one for Rosa.
  await page.getByLabel('What will be done').fill('Fix the gate latch');
  await page.getByLabel('Who will do it').selectOption({ label: 'Rosa Díaz' });
  await page.getByLabel('By when (optional)').fill('2026-09-01');
  await page.getByRole('button', { name: 'Add an action item' }).click();
  await page.locator('#action-due-error').getByText(/already passed/).waitFor();
  await page.getByLabel('By when (optional)').fill('2026-10-01');
  await page.getByRole('button', { name: 'Add an action item' }).click();
  await page.getByTestId('actions').getByText('Fix the gate latch').waitFor();
  await page.getByTestId('actions').getByText('To do').waitFor();
  await saved(page);
  await shot(page, 'meeting-held');

  // The printable minutes carry it all.
  await page.getByRole('link', { name: 'Printable minutes' }).click();
  const minutes = page.getByTestId('minutes');
  await minutes.getByText('Keys stay with Rosa.', { exact: false }).waitFor();
  for (const text of ['Church basement', 'Facilitator', 'Ana Silva, Rosa Díaz', 'Watering rota', 'Fix the gate latch', 'Talked about water.']) {
    await minutes.getByText(text, { exact: false }).first().waitFor();
  }
  await shot(page, 'meeting-minutes');

  // What needs Rosa now: her action item, on the group and on the home screen.
  await page.goto(groupUrl);
  await page.getByTestId('needs-me').getByRole('link', { name: 'Fix the gate latch' }).waitFor();
  await page.goto(server.url);
  await page.getByTestId('needs-me').getByRole('link', { name: 'Fix the gate latch' }).waitFor();
  await shot(page, 'home-needs-me');

  // A month on, the next meeting: the item is owed, and is carried over.
  await page.clock.setSystemTime(new Date('2026-10-19T18:00:00'));
  await page.goto(groupUrl);
  await newMeeting(page, 'October meeting');
  const owed = page.getByTestId('commitments');
  await owed.getByText('Fix the gate latch').waitFor();
  await owed.getByText('From September meeting').waitFor();
  await owed.getByText(/Rosa Díaz/).waitFor();
  await shot(page, 'meeting-commitments');
  await owed.getByRole('button', { name: 'Carry over' }).click();
  await page.getByTestId('actions').getByText('Fix the gate latch').waitFor();
  await owed.getByText('Nothing is left open from earlier meetings.').waitFor();
  await saved(page);
  await page.reload();
  await page.getByTestId('actions').getByText('Fix the gate latch').waitFor();
  await page.getByTestId('commitments').getByText('Nothing is left open').waitFor();
  // The first meeting shows it moved on; done here, it leaves Rosa's list.
  await page.goto(groupUrl);
  await page.getByRole('link', { name: /September meeting/ }).click();
  await page.getByTestId('actions').getByText('Carried over').waitFor();
  await page.goto(groupUrl);
  await page.getByRole('link', { name: /October meeting/ }).click();
  await page.getByTestId('actions').getByRole('button', { name: 'Mark done' }).click();
  await page.getByTestId('actions').getByText('Done').waitFor();
  await page.goto(groupUrl);
  await page.getByTestId('needs-me').getByText('Nothing needs you right now.').waitFor();
  assert.deepEqual(errors, []);
});

test('asks are matched, shifts filled, harvests added up, and the group exported', async (t) => {
  const { context, page, errors } = await launch(t);
  await context.clock.install({ time: new Date('2026-06-10T09:00:00') });
  const groupUrl = await groupWithRosaAndAna(page, 'Northside Mutual Aid');

  // Mutual aid: an urgent ask, matched with Ana, then done.
  await page.getByTestId('aid-link').click();
  await page.getByText('No asks or offers yet.').waitFor();
  await page.getByLabel('What is needed or offered').fill('Ride to the clinic on Friday');
  await page.getByLabel('Kind of help').selectOption({ label: 'Rides' });
  await page.getByLabel('How soon').selectOption({ label: 'Urgent' });
  await page.getByLabel('Area or neighborhood').fill('Northside');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  const post = page.getByTestId('aid-post').filter({ hasText: 'Ride to the clinic' });
  await post.getByText('Urgent').waitFor();
  await page.getByLabel('What is needed or offered').fill('Spare tomato starts');
  await page.getByLabel('Ask or offer').selectOption({ label: 'Offer' });
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.getByTestId('aid-post').filter({ hasText: 'Spare tomato starts' }).waitFor();
  await page.getByLabel('Show').selectOption({ label: 'Asks' });
  assert.equal(await page.getByTestId('aid-post').count(), 1);
  await page.getByLabel('Show').selectOption({ label: 'Everything' });
  await page.goto(groupUrl);
  // Rosa posted the ask herself: it is hers to follow, not among her
  // neighbors' open asks in what needs her.
  await page.getByTestId('needs-me').getByText('Nothing needs you right now.').waitFor();
  assert.equal(await page.getByTestId('needs-me').getByRole('link', { name: 'Ride to the clinic on Friday' }).count(), 0);
  await page.getByTestId('aid-link').click();
  await post.getByRole('button', { name: 'Match' }).click();
  await page.getByLabel('Matched with').selectOption({ label: 'Ana Silva' });
  await post.getByRole('button', { name: 'Match' }).last().click();
  await post.getByText('Matched with Ana Silva').waitFor();
  await shot(page, 'aid-matched');
  await post.getByRole('button', { name: 'Mark done' }).click();
  await post.getByText('Done').waitFor();
  // Done posts leave the list after the group's days (30 by default).
  await page.clock.setSystemTime(new Date('2026-07-20T09:00:00'));
  await page.reload();
  await page.getByTestId('aid-post').filter({ hasText: 'Spare tomato starts' }).waitFor();
  assert.equal(await post.count(), 0, 'the done ask has expired from the list');

  // A garden with a watering turn: two places, Rosa and Ana take them.
  await page.goto(groupUrl);
  await addGarden(page, 'Maple St garden');
  await page.getByRole('link', { name: /Maple St garden/ }).click();
  await page.getByTestId('shifts-link').click();
  await page.getByText('No work days or watering turns planned.').waitFor();
  await page.getByLabel('Kind').selectOption({ label: 'Watering turn' });
  await page.getByLabel('What will be done').fill('Evening watering');
  await page.getByLabel('Date').fill('2026-07-22');
  await page.getByLabel('People needed').fill('2');
  await page.getByRole('button', { name: 'Plan a work day or watering turn' }).click();
  const shift = page.getByTestId('shift').filter({ hasText: 'Evening watering' });
  await shift.getByText('2 places left').waitFor();
  await shift.getByRole('button', { name: 'Sign up' }).click();
  await shift.getByRole('button', { name: 'Sign up' }).last().click();
  await shift.getByText('1 place left').waitFor();
  await shift.getByRole('button', { name: 'Sign up' }).click();
  await page.getByLabel('Who', { exact: true }).selectOption({ label: 'Ana Silva' });
  await shift.getByRole('button', { name: 'Sign up' }).last().click();
  await shift.getByText('Full').waitFor();
  await shot(page, 'shifts');
  // Two days on, Rosa records two and a half hours.
  await page.clock.setSystemTime(new Date('2026-07-23T09:00:00'));
  await page.reload();
  await page.getByText('Done and past').click();
  const past = page.getByTestId('past-shifts').getByTestId('shift');
  await past.getByRole('button', { name: 'Record hours' }).click();
  await page.getByLabel('Hours worked', { exact: true }).fill('-1');
  await past.getByRole('button', { name: 'Record hours' }).last().click();
  await page.locator('#hours-worked-error').waitFor();
  await page.getByLabel('Hours worked', { exact: true }).fill('2.5');
  await past.getByRole('button', { name: 'Record hours' }).last().click();
  await page.getByTestId('hours').getByText('Rosa Díaz · 2.5 hours').waitFor();

  // The garden log: a negative harvest is refused; two harvests add up.
  await page.getByRole('link', { name: 'Back' }).click();
  await page.getByTestId('log-link').click();
  await page.getByText('Nothing in the log yet.').waitFor();
  await page.getByLabel('Crop').fill('Tomatoes');
  await page.getByLabel('Amount').fill('-2');
  await page.getByRole('button', { name: 'Write it down' }).click();
  await page.locator('#log-quantity-error').waitFor();
  await page.getByLabel('Amount').fill('2.5');
  await page.getByRole('button', { name: 'Write it down' }).click();
  await page.getByTestId('log').getByText('2.5 kg · Tomatoes').waitFor();
  await page.getByLabel('Crop').fill('tomatoes');
  await page.getByLabel('Amount').fill('1');
  await page.getByRole('button', { name: 'Write it down' }).click();
  await page.getByTestId('harvest-totals').getByText(/3.5 kg · [Tt]omatoes/).waitFor();
  await page.getByLabel('What happened').selectOption({ label: 'Pest or disease' });
  await page.getByLabel('Note').fill('Aphids on the beans');
  await page.getByRole('button', { name: 'Write it down' }).click();
  await page.getByTestId('log').getByText('Aphids on the beans').waitFor();
  await page.getByLabel('Search this list').fill('aphids');
  assert.equal(await page.getByTestId('log').locator('li').count(), 1);
  await page.getByLabel('Search this list').fill('');
  await saved(page);
  await shot(page, 'garden-log');

  // Export: the aid posts as CSV, in a file a spreadsheet opens.
  await page.goto(groupUrl);
  await page.getByTestId('export-link').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-aid').click(),
  ]);
  assert.match(download.suggestedFilename(), /^Northside Mutual Aid - Mutual aid 2026-07-23\.csv$/);
  const text = await readFile(await download.path(), 'utf8');
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines[0], 'Ask or offer,What is needed or offered,Kind of help,How soon,Area or neighborhood,Status,Matched with,Posted by,Posted on,Details');
  assert.ok(lines.some((l) => l.startsWith('Ask,Ride to the clinic on Friday,Rides,Urgent,Northside,Done,Ana Silva,Rosa Díaz,2026-06-10')), lines.join('\n'));
  await shot(page, 'export');
  assert.deepEqual(errors, []);
});
