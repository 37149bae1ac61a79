// The group's working life at 360×740: a coordinator lays out a garden, fills
// its waitlist and offers a plot; a member borrows a tool, sees it overdue
// once the due date passes, and brings it back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, shot, saved, createGroup, addGarden } from './lib.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

async function addMember(page, name) {
  await page.getByLabel("Member's name").fill(name);
  await page.getByRole('button', { name: 'Add a member' }).click();
  await page.getByTestId('members').getByText(name).waitFor();
}

test('a coordinator lays out a garden, fills the waitlist and offers a plot', async (t) => {
  const { page, errors } = await launch(t);
  await createGroup(page, server.url, 'Eastside Growers');
  await addGarden(page, 'Maple St garden');
  await page.getByRole('link', { name: /Maple St garden/ }).click();
  await page.getByText('No map yet').waitFor();

  // Lay out a 3 × 4 map, then make plot A1 from two squares by tapping.
  await page.getByLabel('Rows').fill('3');
  await page.getByLabel('Columns').fill('4');
  await page.getByRole('button', { name: 'Save map size' }).click();
  await page.getByTestId('plot-map').waitFor();
  assert.equal(await page.locator('[data-testid=plot-map] tr').count(), 3);
  await page.getByRole('button', { name: 'Row 1, column 1' }).click();
  await page.getByRole('button', { name: 'Row 1, column 2' }).click();
  await page.getByText('2 squares chosen').waitFor();
  await page.getByLabel('New plot on these squares').fill('A1');
  await page.getByRole('button', { name: 'Make the plot' }).click();
  await page.getByTestId('plot-map').getByRole('link', { name: 'A1' }).first().waitFor();
  assert.equal(await page.getByTestId('plot-map').getByRole('link', { name: 'A1' }).count(), 2, 'A1 covers two squares');
  await page.getByRole('button', { name: 'Row 2, column 1' }).click();
  await page.getByLabel('New plot on these squares').fill('A2');
  await page.getByRole('button', { name: 'Make the plot' }).click();
  await page.getByTestId('plots').getByText('A2', { exact: true }).waitFor();
  // A map too small for its plots is refused, and nothing changes.
  await page.getByText('Lay out the map').click();
  await page.getByLabel('Rows').fill('1');
  await page.getByRole('button', { name: 'Save map size' }).click();
  await page.getByText('Plot A2 would fall outside the map').waitFor();
  assert.equal(await page.locator('[data-testid=plot-map] tr').count(), 3);

  // Two people wait; the one with a priority reason goes first.
  await page.getByLabel('Their name').fill('Lena Park');
  await page.getByRole('button', { name: 'Add someone to the waitlist' }).click();
  await page.getByTestId('waitlist').getByText('Lena Park').waitFor();
  await page.getByLabel('Their name').fill('Tomás Ruiz');
  await page.getByLabel('Priority reason').fill('no yard at home');
  await page.getByRole('button', { name: 'Add someone to the waitlist' }).click();
  await page.getByText('Priority: no yard at home').waitFor();
  const queue = await page.locator('[data-testid=waitlist] strong').allTextContents();
  assert.deepEqual(queue, ['1. Tomás Ruiz', '2. Lena Park']);
  await shot(page, 'site-map-waitlist');

  // Offer A2 to the next person: Tomás becomes a member and its holder.
  await page.getByLabel('Plot to offer').selectOption({ label: 'A2' });
  await page.getByTestId('offer-next').click();
  await page.getByTestId('plots').getByRole('link', { name: /A2/ }).getByText('Held by Tomás Ruiz').waitFor();
  assert.deepEqual(await page.locator('[data-testid=waitlist] strong').allTextContents(), ['1. Lena Park']);
  await saved(page);
  await page.reload();
  await page.getByTestId('plots').getByRole('link', { name: /A2/ }).getByText('Held by Tomás Ruiz').waitFor();
  await page.getByTestId('plots').getByRole('link', { name: /A2/ }).click();
  await page.getByTestId('holders').getByText('Tomás Ruiz').waitFor();
  await page.getByText('Who changed it').click();
  await page.getByTestId('history').locator('li').first().waitFor();
  await shot(page, 'plot-offered');
  // A held plot can be shared: Ana joins Tomás as co-holder.
  await page.goto(page.url().replace(/plot\/.*/, 'members'));
  await addMember(page, 'Ana Silva');
  await page.goBack();
  await page.getByLabel('Plot holder').selectOption({ label: 'Ana Silva' });
  await page.getByTestId('give-plot').click();
  await page.getByTestId('holders').getByText('Ana Silva').waitFor();
  assert.deepEqual(await page.getByTestId('holders').locator('li').allTextContents(), ['Tomás Ruiz', 'Ana Silva']);
  assert.deepEqual(errors, []);
});

test('a member borrows a tool, sees it overdue when the date passes, and returns it', async (t) => {
  const { context, page, errors } = await launch(t);
  const start = new Date('2026-05-04T10:00:00');
  await context.clock.install({ time: start });
  await createGroup(page, server.url, 'Tool library');
  await page.getByTestId('members-link').click();
  await addMember(page, 'Rosa Díaz');
  await page.getByRole('link', { name: /Rosa Díaz/ }).click();
  await page.getByTestId('me-button').click();
  await page.getByTestId('this-is-me').waitFor();
  const memberUrl = page.url();
  await page.goto(memberUrl.replace(/member\/.*/, 'library'));
  await page.getByText('Nothing here yet').waitFor();
  await page.getByLabel('Name').fill('Wheelbarrow');
  await page.getByLabel('Where it is kept').fill('shed');
  await page.getByRole('button', { name: 'Add to the library' }).click();
  await page.getByTestId('library').getByText('Wheelbarrow').waitFor();
  await page.getByRole('link', { name: /Wheelbarrow/ }).click();

  // A due date before today is refused.
  await page.getByLabel('Borrower').selectOption({ label: 'Rosa Díaz' });
  await page.getByLabel('Due back').fill('2026-05-01');
  await page.getByRole('button', { name: 'Lend', exact: true }).click();
  await page.getByText("The due date can't be before the day it goes out.").waitFor();
  await page.getByLabel('Due back').fill('2026-05-06');
  await page.getByRole('button', { name: 'Lend', exact: true }).click();
  await page.getByTestId('loans').getByText('Rosa Díaz').waitFor();
  await page.getByTestId('standing').getByText('On loan').waitFor();
  await saved(page);
  await shot(page, 'resource-on-loan');

  // Three days on, the wheelbarrow is overdue on the list and on Rosa's page.
  await page.clock.setSystemTime(new Date('2026-05-08T10:00:00'));
  await page.reload();
  await page.getByTestId('standing').getByText('Overdue').waitFor();
  await page.getByTestId('due').getByText(/Overdue/).waitFor();
  await page.getByRole('link', { name: 'Back' }).click();
  await page.getByTestId('library').getByText('Overdue').waitFor();
  await shot(page, 'library-overdue');
  await page.goto(memberUrl);
  await page.getByTestId('member-loans').getByText(/Overdue/).waitFor();
  await shot(page, 'member-overdue');

  // Rosa brings it back.
  await page.getByTestId('member-loans').getByRole('link', { name: 'Wheelbarrow' }).click();
  await page.getByTestId('return').click();
  await page.getByTestId('standing').getByText('Available').waitFor();
  await page.getByText('Nobody has it').waitFor();
  await saved(page);
  await page.reload();
  await page.getByTestId('standing').getByText('Available').waitFor();
  await page.getByText('Who changed it').click();
  await page.getByTestId('history').getByText(/Rosa Díaz/).first().waitFor();
  await shot(page, 'resource-returned');
  assert.deepEqual(errors, []);
});
