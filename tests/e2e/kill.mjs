// Killing the browser as a phone's OS or a dead battery does: SIGKILL to
// Chromium's browser process, no goodbye, then a relaunch on the same
// profile. Shared by durability.test.mjs and bench/kill-rounds.mjs.
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { launch, createGroup, addGarden, addPlot, saved, plotLabels } from './lib.mjs';

/** The pids of every Chromium process using `profile`, browser process first. */
async function processesOf(profile) {
  const found = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline;
    try {
      cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
    } catch {
      continue; // gone meanwhile
    }
    if (!cmdline.some((arg) => arg === `--user-data-dir=${profile}` || arg === profile)) continue;
    const browser = !cmdline.some((arg) => arg.startsWith('--type='));
    found.push({ pid: Number(entry), browser });
  }
  return found.sort((a, b) => b.browser - a.browser);
}

/** SIGKILLs the browser process of `profile`, then waits until every
 * process of it is gone (children notice their parent died). */
export async function killBrowser(profile) {
  const [browser] = await processesOf(profile);
  if (!browser?.browser) throw new Error(`no browser process for ${profile}`);
  process.kill(browser.pid, 'SIGKILL');
  for (let n = 0; n < 100; n++) {
    const left = await processesOf(profile);
    if (left.length === 0) return browser.pid;
    // A child that outlives its parent would hold the profile: kill it too.
    if (n === 50) for (const { pid } of left) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await sleep(50);
  }
  throw new Error(`processes of ${profile} did not end`);
}

/** Launches Chromium on `profile` (a directory kept across kills). The
 * Playwright context is left to die with the browser. */
export async function launchOn(profile, options = {}) {
  const phone = await launch(null, profile, options);
  return phone;
}

/** Kills the browser of `phone`, relaunches on the same profile. */
export async function killAndRelaunch(phone, options = {}) {
  await killBrowser(phone.profile);
  // The driver's pipe is broken now; let it notice.
  await phone.context.close().catch(() => {});
  return launchOn(phone.profile, options);
}

// ---- the kinds of edit a kill must not lose ----


/** Sets a group's sync server on its share page. */
export async function setServer(page, url, groupHash, address) {
  await page.goto(`${url}${groupHash}/share`);
  await page.getByLabel('Sync server address').fill(address);
  await page.getByRole('button', { name: 'Save' }).click();
}

export const groupHash = (page) => new URL(page.url()).hash.match(/#\/g\/[^/]+/)[0];

/**
 * Each kind: `setup` once on a phone, then per round `edit` (which ends
 * once the status bar says "Saved on this phone") and, after the kill and
 * relaunch, `kept` (true when the edit is still there).
 */
export const KINDS = {
  'plot edit': {
    async setup(phone, env) {
      await createGroup(phone.page, env.url, 'Kill Garden');
      await addGarden(phone.page, 'Maple St');
      await phone.page.getByRole('link', { name: /Maple St/ }).click();
      await saved(phone.page);
      return { site: phone.page.url() };
    },
    async edit(phone, env, state, n) {
      await phone.page.goto(state.site);
      await phone.page.getByRole('heading', { level: 1, name: /Maple St/ }).waitFor();
      await addPlot(phone.page, `K${n}`);
      await saved(phone.page);
    },
    async kept(phone, env, state, n) {
      await phone.page.goto(state.site);
      try {
        await phone.page.getByTestId('plots').getByText(`K${n}`, { exact: true }).waitFor({ timeout: 10_000 });
      } catch {
        return false;
      }
      return (await plotLabels(phone.page)).includes(`K${n}`);
    },
  },
  'group just created': {
    async setup() { return {}; },
    async edit(phone, env, state, n) {
      await createGroup(phone.page, env.url, `Made ${n}`);
      await saved(phone.page);
    },
    async kept(phone, env, state, n) {
      await phone.page.goto(env.url);
      try {
        await phone.page.getByTestId('groups').getByText(`Made ${n}`, { exact: true }).waitFor({ timeout: 10_000 });
        return true;
      } catch {
        return false;
      }
    },
  },
  'joined by invite, "this is me"': {
    // The host phone made the group and its invite (env.invite); each round
    // is a new phone that joins, says who it is, and is killed.
    fresh: true,
    async setup() { return {}; },
    async edit(phone, env) {
      await phone.page.goto(env.invite);
      await phone.page.getByRole('button', { name: 'Join the group' }).click();
      await phone.page.getByRole('heading', { level: 1, name: 'Invite Garden' }).waitFor({ timeout: 30_000 });
      await phone.page.goto(`${env.url}${env.inviteHash}/members`);
      await phone.page.getByRole('link', { name: /Rosa Díaz/ }).click();
      await phone.page.getByTestId('me-button').click();
      await phone.page.getByTestId('this-is-me').waitFor();
      await saved(phone.page);
    },
    async kept(phone, env) {
      const page = phone.page;
      await page.goto(env.url);
      try {
        await page.getByTestId('groups').getByText('Invite Garden', { exact: true }).waitFor({ timeout: 10_000 });
        await page.goto(`${env.url}${env.inviteHash}/share`);
        await page.getByTestId('sync-details').getByText(`Synced with 127.0.0.1:${env.server.port}`).waitFor({ timeout: 10_000 });
        await page.goto(`${env.url}${env.inviteHash}/members`);
        await page.getByRole('link', { name: /Rosa Díaz/ }).click();
        await page.getByTestId('this-is-me').waitFor({ timeout: 10_000 });
        return true;
      } catch {
        return false;
      }
    },
  },
  'meeting notes while another phone types': {
    // Another phone types into the same notes all along (through the sync
    // server), so peer-started saves keep running while this one types.
    async setup(phone, env) {
      const page = phone.page;
      await createGroup(page, env.url, 'Notes Garden');
      const hash = groupHash(page);
      await page.getByLabel('What the meeting is').fill('Busy meeting');
      await page.getByRole('button', { name: 'Add meeting' }).click();
      await page.getByRole('heading', { level: 1, name: 'Busy meeting' }).waitFor();
      const meeting = page.url();
      await setServer(page, env.url, hash, env.server.url);
      await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor();
      const invite = await page.getByTestId('invite-link').inputValue();
      const other = await launch(null);
      // A browser left open would keep the test process alive for ever.
      try {
        await other.page.goto(invite);
        await other.page.getByRole('button', { name: 'Join the group' }).click();
        await other.page.getByRole('heading', { level: 1, name: 'Notes Garden' }).waitFor({ timeout: 30_000 });
        await other.page.goto(meeting);
        await other.page.getByTestId('notes').waitFor();
        await other.page.evaluate(() => {
          const notes = document.querySelector('[data-testid=notes]');
          setInterval(() => {
            notes.value = `${notes.value}o`;
            notes.dispatchEvent(new Event('input', { bubbles: true }));
          }, 250);
        });
      } catch (error) {
        await other.context.close().catch(() => {});
        throw error;
      }
      return { meeting, other };
    },
    async edit(phone, env, state, n) {
      const page = phone.page;
      await page.goto(state.meeting);
      const notes = page.getByTestId('notes');
      // The other phone's words are arriving here.
      await page.waitForFunction(() => document.querySelector('[data-testid=notes]')?.value.includes('oo'), null, { timeout: 30_000 });
      await notes.press('ControlOrMeta+Home');
      await notes.pressSequentially(`N${n}.`);
      await saved(page);
    },
    async kept(phone, env, state, n) {
      // No sync server after the kill: what shows is what this phone saved.
      await phone.context.routeWebSocket(/.*/, () => {});
      await phone.page.goto(state.meeting);
      try {
        await phone.page.waitForFunction(
          (want) => document.querySelector('[data-testid=notes]')?.value.includes(want),
          `N${n}.`,
          { timeout: 10_000 },
        );
        return true;
      } catch {
        return false;
      }
    },
    // The check cut this browser off its sync server; start it afresh.
    reopen: true,
    async teardown(state) {
      await state.other.context.close().catch(() => {});
    },
  },
  'sync server just set': {
    async setup(phone, env) {
      await createGroup(phone.page, env.url, 'Server Garden');
      await saved(phone.page);
      return { hash: groupHash(phone.page) };
    },
    async edit(phone, env, state, n) {
      await setServer(phone.page, env.url, state.hash, `ws://127.0.0.1:${41000 + n}`);
      await saved(phone.page);
    },
    async kept(phone, env, state, n) {
      await phone.page.goto(`${env.url}${state.hash}/share`);
      try {
        await phone.page.waitForFunction(
          (want) => document.querySelector('#sync-server')?.value === want,
          `ws://127.0.0.1:${41000 + n}`,
          { timeout: 10_000 },
        );
        return true;
      } catch {
        return false;
      }
    },
  },
};

/** The host side of the invite kind: a group with Rosa, on `server`. */
export async function inviteHost(phone, url, server) {
  const page = phone.page;
  await createGroup(page, url, 'Invite Garden');
  const hash = groupHash(page);
  await page.getByTestId('members-link').click();
  await page.getByLabel("Member's name").fill('Rosa Díaz');
  await page.getByRole('button', { name: 'Add a member' }).click();
  await page.getByTestId('members').getByText('Rosa Díaz').waitFor();
  await setServer(page, url, hash, server.url);
  await page.getByTestId('unshared').getByText('Everything here is also on the sync server').waitFor();
  const invite = await page.getByTestId('invite-link').inputValue();
  return { invite, inviteHash: hash };
}

/**
 * Runs `rounds` rounds of one kind: edit → "Saved" → SIGKILL → relaunch →
 * check. Returns how many edits were lost.
 */
export async function killRounds(kind, env, rounds, { onRound } = {}) {
  const spec = KINDS[kind];
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const newProfile = () => mkdtemp(join(tmpdir(), 'cg-kill-'));
  let phone = await launchOn(await newProfile());
  const state = await spec.setup(phone, env);
  let lost = 0;
  for (let n = 0; n < rounds; n++) {
    if (spec.fresh && n > 0) {
      await phone.context.close().catch(() => {});
      await rm(phone.profile, { recursive: true, force: true });
      phone = await launchOn(await newProfile());
    }
    await spec.edit(phone, env, state, n);
    phone = await killAndRelaunch(phone);
    const kept = await spec.kept(phone, env, state, n);
    if (!kept) lost += 1;
    if (spec.reopen) {
      await phone.context.close().catch(() => {});
      phone = await launchOn(phone.profile);
    }
    onRound?.(n, kept);
  }
  await spec.teardown?.(state);
  await phone.context.close().catch(() => {});
  await rm(phone.profile, { recursive: true, force: true });
  return lost;
}
