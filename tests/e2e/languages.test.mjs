// Every member can use it, in each of the four languages, at 360×740: the
// first run asks for the language (the phone's own already picked); the main
// flows work in it; and every page passes axe-core with no serious or
// critical violations, fits at 200% zoom, and has 44×44 tap targets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { serve, launch, shot, ROOT, PHONE, statusLineWhole } from './lib.mjs';

let server;
before(async () => { server = await serve(); });
after(async () => { await server?.close(); });

// What a member of each language types, and what they should then read.
const LANGUAGES = [
  {
    tag: 'en', locale: 'en-US', own: 'English', welcome: 'Welcome', groups: 'Your groups',
    group: 'Eastside Growers', member: 'Rosa Díaz', garden: 'Maple St garden', tool: 'Trowel',
    crop: 'Tomatoes', typed: '2.5', harvest: '2.5 kg · Tomatoes', meeting: 'September meeting',
    notes: 'We agreed to water on Fridays.', noPlots: '0 plots', onePlot: '1 plot',
    onLoan: 'On loan', present: '1 present',
  },
  {
    tag: 'es', locale: 'es-MX', own: 'Español', welcome: 'Te damos la bienvenida', groups: 'Tus grupos',
    group: 'Huerto del Barrio', member: 'Rosa Díaz', garden: 'La esquina', tool: 'Pala',
    crop: 'Tomates', typed: '2,5', harvest: '2,5 kg · Tomates', meeting: 'Reunión de septiembre',
    notes: 'Acordamos regar los viernes.', noPlots: '0 parcelas', onePlot: '1 parcela',
    onLoan: 'Prestado', present: '1 presente',
  },
  {
    tag: 'pt-BR', locale: 'pt-BR', own: 'Português', welcome: 'Boas-vindas', groups: 'Seus grupos',
    group: 'Horta da Vila', member: 'Ana Souza', garden: 'Quintal da escola', tool: 'Enxada',
    crop: 'Tomate', typed: '2,5', harvest: '2,5 kg · Tomate', meeting: 'Reunião de setembro',
    // Portuguese counts zero like one: "0 canteiro".
    notes: 'Combinamos regar às sextas.', noPlots: '0 canteiro', onePlot: '1 canteiro',
    onLoan: 'Emprestado', present: '1 presente',
  },
  {
    tag: 'zh-CN', locale: 'zh-CN', own: '中文', welcome: '欢迎', groups: '我的小组',
    group: '社区菜园小组', member: '陈小红', garden: '东门菜园', tool: '铁锹',
    crop: '番茄', typed: '2.5', harvest: '2.5 kg · 番茄', meeting: '九月例会',
    notes: '我们决定每周五浇水。', noPlots: '0块地', onePlot: '1块地',
    onLoan: '已借出', present: '1人出席',
  },
];

/** Submits the form that holds the field `#id`, as its button would. */
async function submit(page, id) {
  await page.locator('form', { has: page.locator(`#${id}`) }).locator('button[type=submit]').click();
}

async function settled(page) {
  await page.locator('main h1').first().waitFor();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 150))));
}

/** axe-core's serious and critical findings on the page as it is now. */
async function axe(page) {
  if (!await page.evaluate(() => 'axe' in window)) {
    // Evaluated through DevTools, not added as an inline <script>: the
    // page's Content-Security-Policy blocks inline scripts, rightly.
    await page.evaluate(await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  }
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/** Controls a finger must hit that are smaller than 44×44 CSS px. */
function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    const controls = document.querySelectorAll('a[href], button, input, select, textarea, summary, label.button');
    for (const control of controls) {
      // A checkbox or radio is hit through its label; a hidden file input through its button.
      const target = ['checkbox', 'radio'].includes(control.type) ? control.closest('label') ?? control : control;
      if (control.classList.contains('visually-hidden') || control.closest('.visually-hidden')) continue;
      const box = target.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown (a closed <details>)
      // Links inside a sentence are exempt, as WCAG allows.
      if (control.tagName === 'A' && getComputedStyle(control).display === 'inline' && control.closest('p')) continue;
      if (box.width < 43.5 || box.height < 43.5) {
        small.push(`${control.tagName.toLowerCase()}${control.id ? '#' + control.id : ''} "${(control.textContent || control.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return small;
  });
}

/** How far the page scrolls sideways, and what sticks out (nothing when it fits). */
const overflow = (page) => page.evaluate(() => {
  const width = document.documentElement.clientWidth;
  const by = document.documentElement.scrollWidth - width;
  if (by <= 0) return null;
  const out = [...document.querySelectorAll('main *, header *')]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.map-scroll'))
    .filter((el) => ![...el.children].some((child) => child.getBoundingClientRect().right > width + 0.5))
    .slice(0, 3)
    .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className}`);
  return `${by}px (${out.join(', ')})`;
});

/** Every check a page must pass, in this language. */
async function checkPage(page, name, problems) {
  try {
    await settled(page);
  } catch {
    problems.push(`${name}: no page heading`);
    return;
  }
  // Folded parts (map layout, attendance, more settings) are checked open.
  await page.evaluate(() => document.querySelectorAll('main details').forEach((d) => { d.open = true; }));
  for (const found of await axe(page)) problems.push(`${name}: ${found}`);
  for (const found of await smallTargets(page)) problems.push(`${name}: small target ${found}`);
  const wide = await overflow(page);
  if (wide) problems.push(`${name}: scrolls sideways by ${wide} at 360px`);
  // 200% zoom on a 360 px phone leaves 180 CSS px.
  await page.setViewportSize({ width: PHONE.width / 2, height: PHONE.height / 2 });
  await settled(page);
  const zoomed = await overflow(page);
  if (zoomed) problems.push(`${name}: scrolls sideways by ${zoomed} at 200% zoom`);
  await page.setViewportSize(PHONE);
}

for (const lang of LANGUAGES) {
  test(`in ${lang.own}: first run, a plot added, a tool lent, a harvest logged, meeting notes taken; every page accessible`, async (t) => {
    const { page, errors } = await launch(t, null, { locale: lang.locale, lang: null });
    const problems = [];
    const pages = [];
    await page.goto(server.url);

    // First run: the app asks, with the phone's own language already picked.
    await page.getByRole('heading', { name: lang.welcome }).waitFor();
    assert.equal(await page.getByRole('radio', { name: lang.own }).isChecked(), true);
    assert.equal(await page.locator('html').getAttribute('lang'), lang.tag);
    // Members' own words are never offered to a translation service.
    assert.equal(await page.locator('html').getAttribute('translate'), 'no');
    await checkPage(page, 'first run', problems);
    await shot(page, `first-run-${lang.tag}`);
    await page.getByTestId('continue').click();
    await page.getByRole('heading', { name: lang.groups }).waitFor();
    pages.push(['home', page.url()]);

    // A group, with this phone's member in it.
    await page.locator('#group-name').fill(lang.group);
    await submit(page, 'group-name');
    await page.getByRole('heading', { level: 1, name: lang.group }).waitFor();
    const groupUrl = page.url();
    pages.push(['group', groupUrl]);
    await page.getByTestId('members-link').click();
    await page.locator('#member-name').fill(lang.member);
    await submit(page, 'member-name');
    await page.getByTestId('members').getByText(lang.member).waitFor();
    pages.push(['members', page.url()]);
    await page.getByTestId('members').getByRole('link', { name: new RegExp(lang.member) }).click();
    await page.getByTestId('me-button').click();
    await page.getByTestId('this-is-me').waitFor();
    pages.push(['member', page.url()]);

    // Add a plot: the counts follow the language's plural rules.
    await page.goto(groupUrl);
    await page.locator('#garden-name').fill(lang.garden);
    await submit(page, 'garden-name');
    await page.getByTestId('gardens').getByText(lang.noPlots, { exact: true }).waitFor();
    await page.getByTestId('gardens').getByRole('link', { name: new RegExp(lang.garden) }).click();
    await page.locator('#plot-label').fill('A1');
    await page.locator('#plot-size').fill('3 × 4 m');
    await submit(page, 'plot-label');
    await page.getByTestId('plots').getByText('A1', { exact: true }).waitFor();
    const siteUrl = page.url();
    pages.push(['plots', siteUrl]);
    await shot(page, `plots-${lang.tag}`);
    await page.getByTestId('plots').getByRole('link', { name: /A1/ }).click();
    await page.locator('#plot-label').waitFor();
    pages.push(['plot', page.url()]);
    await page.goto(groupUrl);
    await page.getByTestId('gardens').getByText(lang.onePlot, { exact: true }).waitFor();

    // A harvest typed the local way ("2,5" in Spanish and Portuguese).
    await page.goto(siteUrl);
    await page.getByTestId('log-link').click();
    await page.locator('#log-crop').fill(lang.crop);
    await page.locator('#log-quantity').fill(lang.typed);
    await page.locator('#log-unit').fill('kg');
    await submit(page, 'log-crop');
    await page.getByTestId('log').getByText(lang.harvest).waitFor();
    pages.push(['garden log', page.url()]);
    await page.goto(siteUrl);
    await page.getByTestId('shifts-link').click();
    await page.locator('#shift-title').fill(lang.crop);
    await submit(page, 'shift-title');
    await page.getByTestId('shift').first().waitFor();
    pages.push(['work days', page.url()]);

    // Lend a tool to the member.
    await page.goto(groupUrl);
    await page.getByTestId('library-link').click();
    await page.locator('#item-name').fill(lang.tool);
    await submit(page, 'item-name');
    await page.getByTestId('library').getByRole('link', { name: new RegExp(lang.tool) }).click();
    await page.locator('#borrower').selectOption({ label: lang.member });
    await submit(page, 'borrower');
    await page.getByTestId('standing').getByText(lang.onLoan).waitFor();
    pages.push(['resource', page.url()]);
    await shot(page, `resource-${lang.tag}`);
    await page.goto(groupUrl);
    await page.getByTestId('library-link').click();
    await page.getByTestId('library').getByText(lang.onLoan).waitFor();
    pages.push(['library', page.url()]);
    await shot(page, `library-${lang.tag}`);

    // Mutual aid, so its page has a post to check.
    await page.goto(groupUrl);
    await page.getByTestId('aid-link').click();
    await page.locator('#aid-title').fill(lang.tool);
    await submit(page, 'aid-title');
    await page.getByTestId('aid-post').first().waitFor();
    pages.push(['mutual aid', page.url()]);

    // Take meeting notes; they are still there after a reload.
    await page.goto(groupUrl);
    await page.locator('#meeting-title').fill(lang.meeting);
    await submit(page, 'meeting-title');
    await page.getByRole('heading', { name: lang.meeting }).waitFor();
    await page.getByTestId('notes').fill(lang.notes);
    await page.locator('details', { has: page.getByTestId('attendance') }).locator('summary').click();
    await page.getByTestId('attendance').getByLabel(lang.member).check();
    await page.getByTestId('present-count').getByText(lang.present).waitFor();
    await page.waitForTimeout(500);
    await page.reload();
    await page.getByTestId('notes').waitFor();
    assert.equal(await page.getByTestId('notes').inputValue(), lang.notes);
    const meetingUrl = page.url();
    pages.push(['meeting', meetingUrl]);
    await shot(page, `meeting-${lang.tag}`);
    pages.push(['minutes', `${meetingUrl}/minutes`]);
    await page.goto(groupUrl);
    await shot(page, `group-${lang.tag}`);
    await page.goto(server.url);
    await shot(page, `home-${lang.tag}`);
    for (const [name, href] of [['export', 'export'], ['sync and invite', 'share'], ['phones', 'phones']]) {
      pages.push([name, `${groupUrl}/${href}`]);
    }
    pages.push(['settings', `${server.url}#/settings`], ['not found', `${server.url}#/nowhere`]);

    // Every page, in this language.
    for (const [name, url] of pages) {
      await page.goto(url);
      await checkPage(page, name, problems);
      if (['settings', 'member', 'not found'].includes(name)) await shot(page, `${name.replace(' ', '-')}-${lang.tag}`);
    }
    assert.deepEqual(problems, [], `${lang.own}:\n${problems.join('\n')}`);
    assert.deepEqual(errors, []);
  });
}

test('offline with changes not shared, the closed status line reads whole on one line in every language', async (t) => {
  const shown = {};
  for (const lang of LANGUAGES) {
    const { page, context, errors } = await launch(t, null, { locale: lang.locale, lang: lang.tag });
    await page.goto(server.url);
    await page.locator('#group-name').fill(lang.group);
    await submit(page, 'group-name');
    await page.getByRole('heading', { level: 1, name: lang.group }).waitFor();
    const groupUrl = page.url();
    // A server nobody answers at: nothing here is on it.
    await page.goto(`${groupUrl}/share`);
    await page.locator('#sync-server').fill('ws://127.0.0.1:9');
    await submit(page, 'sync-server');
    await page.goto(groupUrl);
    await page.locator('#meeting-title').fill(lang.meeting);
    await submit(page, 'meeting-title');
    await page.getByRole('heading', { name: lang.meeting }).waitFor();
    await page.getByTestId('unshared-bar').waitFor();
    // Opened, the server's state is there in full.
    await page.getByTestId('status-summary').click();
    await page.getByTestId('sync-status').getByText(/127\.0\.0\.1:9/).waitFor();
    await page.getByTestId('status-summary').click();
    await page.getByTestId('sync-status').waitFor({ state: 'detached' });
    shown[`${lang.tag} online`] = await statusLineWhole(page);
    await shot(page, `status-online-${lang.tag}`);
    await context.setOffline(true);
    await page.getByTestId('offline').waitFor();
    // Notes typed offline: a count of three digits must fit too.
    await page.getByTestId('notes').pressSequentially('x'.repeat(110));
    await page.getByTestId('unshared-bar').locator('[aria-hidden=true]').getByText(/\d{3}/).waitFor();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 150))));
    shown[lang.tag] = await statusLineWhole(page);
    await shot(page, `status-offline-${lang.tag}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
  for (const lang of LANGUAGES) {
    assert.deepEqual(shown[lang.tag], { oneLine: true, cut: [] }, `${lang.own}, offline`);
    assert.deepEqual(shown[`${lang.tag} online`], { oneLine: true, cut: [] }, `${lang.own}, server unreachable`);
  }
});

test('the checks catch what they look for', async (t) => {
  const { page } = await launch(t);
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Your groups' }).waitFor();
  await page.evaluate(() => {
    const main = document.querySelector('main');
    main.insertAdjacentHTML('beforeend', '<button id="nameless"></button><a id="tiny" href="#/">x</a><p id="faint">faint words</p><div id="wide">wide</div>');
    // Styled through the CSSOM: the Content-Security-Policy drops style attributes.
    Object.assign(document.getElementById('tiny').style, { display: 'inline-block', width: '20px', height: '20px' });
    document.getElementById('faint').style.color = '#bbb';
    document.getElementById('wide').style.width = '600px';
  });
  const problems = [];
  await checkPage(page, 'broken', problems);
  const found = problems.join('\n');
  assert.match(found, /button-name \(critical\)/);
  assert.match(found, /color-contrast \(serious\)/);
  assert.match(found, /small target a#tiny/);
  assert.match(found, /scrolls sideways by \d+px .* at 360px/);
});

test('the keyboard reaches everything, and focus is always seen', async (t) => {
  const { page, errors } = await launch(t);
  await page.goto(server.url);
  await page.getByRole('heading', { name: 'Your groups' }).waitFor();
  const tabTo = async (id) => {
    for (let guard = 0; guard < 40; guard++) {
      if (await page.evaluate(() => document.activeElement?.id) === id) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached #${id}`);
  };
  // The file input hides behind its button: the button shows the focus.
  await tabTo('group-file');
  assert.notEqual(await page.locator('label[for=group-file]').evaluate((l) => getComputedStyle(l).outlineStyle), 'none');
  // Start a group with the keyboard alone.
  await tabTo('group-name');
  await page.keyboard.type('Keyboard Garden');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Keyboard Garden' }).waitFor();

  // Tab through the group page: each stop shows a focus ring, not under the header.
  const hidden = [];
  for (let stop = 0; stop < 25; stop++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      const header = document.querySelector('header.top').getBoundingClientRect();
      const inHeader = el.closest('header') !== null;
      return {
        name: `${el.tagName.toLowerCase()} ${(el.textContent || el.id).trim().slice(0, 30)}`,
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        covered: !inHeader && box.top < header.bottom - 1,
        offscreen: box.bottom > window.innerHeight || box.top < 0,
      };
    });
    if (!focus) continue;
    if (!focus.ring) hidden.push(`${focus.name}: no focus ring`);
    if (focus.covered) hidden.push(`${focus.name}: under the header`);
    if (focus.offscreen) hidden.push(`${focus.name}: off screen`);
  }
  assert.deepEqual(hidden, []);
  // The members card opens with Enter.
  await page.getByTestId('members-link').focus();
  await page.keyboard.press('Enter');
  await page.locator('#member-name').waitFor();
  assert.deepEqual(errors, []);
});
