// A garden of many plots at 360×740: the site page lists the first 100,
// says how many there are, shows more on request, and the search finds a
// plot that is not listed yet. Reloaded, it opens the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, shot, saved, createGroup, addGarden, plotLabels } from './lib.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

const PLOTS = 150;

test('a garden of 150 plots lists 100, shows the rest on request, and search finds any', async (t) => {
  const { page, errors } = await launch(t);
  await createGroup(page, server.url, 'Big allotments');
  await addGarden(page, 'North field');
  await page.getByRole('link', { name: /North field/ }).click();
  // Plots added through the real form, as a member would, only faster.
  await page.evaluate(async (count) => {
    const label = document.getElementById('plot-label');
    const form = label.closest('form');
    for (let n = 1; n <= count; n++) {
      label.value = `P${n}`;
      label.dispatchEvent(new Event('input', { bubbles: true }));
      form.requestSubmit();
      if (n % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }, PLOTS);
  await saved(page);
  await page.getByTestId('plots-shown').filter({ hasText: 'Showing 100 of 150 plots' }).waitFor();

  const check = async () => {
    const first = await plotLabels(page);
    assert.equal(first.length, 100);
    assert.equal(first[0], 'P1');
    assert.equal(first.at(-1), 'P100', 'in the garden\'s order');
    await page.getByTestId('plots-shown').filter({ hasText: 'Showing 100 of 150 plots' }).waitFor();
    // P150 is not listed yet; the search finds it.
    await page.getByLabel('Search this list').fill('P150');
    await page.getByTestId('plots').getByText('P150', { exact: true }).waitFor();
    assert.deepEqual(await plotLabels(page), ['P150']);
    assert.equal(await page.getByTestId('show-more-plots').count(), 0, 'nothing more to show');
    await page.getByLabel('Search this list').fill('');
    await page.getByTestId('plots-shown').waitFor();
    await shot(page, 'long-list');
    await page.getByRole('button', { name: 'Show 50 more plots' }).click();
    await page.getByTestId('plots').getByText('P150', { exact: true }).waitFor();
    assert.equal((await plotLabels(page)).length, PLOTS);
    assert.equal(await page.getByTestId('plots-shown').count(), 0);
  };
  await check();
  await page.reload();
  await page.getByTestId('plots').waitFor();
  await check();
  assert.deepEqual(errors, []);
});
