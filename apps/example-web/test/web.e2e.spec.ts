import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort, startTestServer, type TestServer } from '../../example-api/src/testing';
import { launchChromium, newPage, screenshot, VIEWPORT } from './browser';
import { startWebApp, type WebApp } from './web-app';

/**
 * The example web app in Chromium, against the example API and its shape stream on embedded
 * Postgres: what a user sees of push, live and cache mode, optimistic writes, errors and offline.
 */
let api: TestServer;
let apiPort: number;
let dataDir: string;
let web: WebApp;
let browser: Browser;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'sp-web-'));
  apiPort = await freePort();
  api = await startTestServer({ seed: true, seedPassword: PASSWORD, port: apiPort, dataDir });
  web = await startWebApp({ apiUrl: api.url, port: await freePort() });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The seeded users' password in this test (Ada, staff, owns the Launch project). */
const PASSWORD = 'web-test-password';

/** Signs in through the app's form (the page reloads into the app). */
async function signIn(page: Page): Promise<void> {
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function openApp(): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(web.url);
  await signIn(page);
  await page.getByTestId('sync-status').and(page.locator('[data-status=live]')).waitFor();
  await page.getByTestId('todo').first().waitFor();
  return page;
}
const todoTitles = async (page: Page) => (await page.getByTestId('todo-title').allInnerTexts()).map((t) => t.trim());
const todo = (page: Page, title: string) => page.getByTestId('todo').filter({ hasText: title });
const offlineBanner = (page: Page) => page.getByRole('status').filter({ hasText: 'You are offline' });
async function add(page: Page, title: string) {
  await page.getByLabel('New todo').fill(title);
  await page.getByRole('button', { name: 'Add' }).click();
}

describe('the example web app in Chromium', () => {
  it('shows the three modes: projects (push), todos (live), counts (cache)', async () => {
    const page = await openApp();
    await expectText(page, 'Launch');
    expect(await todoTitles(page)).toEqual([
      'Generate the client libraries',
      'Ship the web app',
      'Write the OpenAPI document',
    ]);
    await page.getByTestId('count').first().waitFor();
    expect(await page.getByTestId('count').first().innerText()).toMatch(/Launch\s+1\/3 done/);
    // the layout: landmarks, the chosen project, each panel saying its sync mode in words
    await page.getByRole('banner').getByRole('heading', { name: 'Team Todos' }).waitFor();
    expect(await page.getByTestId('sync-status').textContent()).toBe('Sync status: Live');
    const projects = page.getByRole('navigation', { name: 'Projects' });
    expect(await projects.getByRole('button', { name: /Launch/ }).getAttribute('aria-current')).toBe('true');
    expect(await projects.getByText('Push mode').count()).toBe(1);
    const todos = page.getByRole('main').getByRole('region', { name: 'Todos' });
    expect(await todos.getByText('Live mode').count()).toBe(1);
    expect(await todos.getByRole('listitem').count()).toBe(3);
    expect(await todos.getByRole('checkbox', { name: 'Write the OpenAPI document' }).isChecked()).toBe(true);
    expect(await todos.getByRole('button', { name: 'Delete Ship the web app' }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Progress' }).getByText('Cache mode').count()).toBe(1);
    expect(await offlineBanner(page).count()).toBe(0);
    await screenshot(page, '1-loaded', 'overview');
    // dark mode follows the system setting
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await background()).not.toBe(light);
    await screenshot(page, '1-loaded-dark', 'overview-dark');
    await page.close();
  });

  it("shows A's new todo at once, before the server answers, and in page B without a reload", async () => {
    const [a, b] = [await openApp(), await openApp()];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await a.route('**/api/todos', async (route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    await add(a, 'Seen everywhere');
    await a.getByText('Seen everywhere').waitFor(); // optimistic: the POST is still held
    expect(await todo(a, 'Seen everywhere').getAttribute('data-pending')).toBe('true');
    await todo(a, 'Seen everywhere').getByText('Saving…').waitFor();
    await expectText(a, '1 pending');
    await screenshot(a, '2-optimistic', 'pending-write');
    expect(await todoTitles(b)).not.toContain('Seen everywhere');
    release();
    await b.getByText('Seen everywhere').waitFor();
    await todo(a, 'Seen everywhere').and(a.locator(':not([data-pending])')).waitFor();
    expect(await todo(a, 'Seen everywhere').getByText('Saving…').count()).toBe(0);
    await a.getByTestId('pending-writes').waitFor({ state: 'detached' });
    await a.getByTestId('count').filter({ hasText: 'Launch' }).filter({ hasText: '1/4 done' }).waitFor(); // A's write made A's counts stale
    await screenshot(b, '3-page-b');
    await a.close();
    await b.close();
  });

  it('rolls a refused write back and shows why', async () => {
    const page = await openApp();
    await page.route('**/api/todos', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 422,
            contentType: 'application/problem+json',
            body: JSON.stringify({ title: 'Invalid', detail: 'refused for the test' }),
          })
        : route.continue(),
    );
    await add(page, 'Refused');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/POST \/todos failed with 422/);
    expect(await alert.innerText()).toMatch(
      /The server refused your change\s+Refused for the test\. It has been undone\./,
    ); // the server's reason
    await page.getByText('Refused', { exact: true }).waitFor({ state: 'detached' });
    await screenshot(page, '4-refused', 'refused-write');
    // dismissible, and the focus goes back to the form
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    expect(await page.getByLabel('New todo').evaluate((input) => input === document.activeElement)).toBe(true);
    await page.close();
  });

  it('keeps working with the server down, and sends the pending write once it is back, without loss or duplicates', async () => {
    const page = await openApp();
    const data = api.data;
    await api.close({ keepData: true });
    await page.getByTestId('sync-status').and(page.locator('[data-status=offline]')).waitFor({ timeout: 60_000 });
    expect(await todoTitles(page)).toContain('Seen everywhere'); // the rows the app had
    await offlineBanner(page).waitFor();
    await add(page, 'Written offline');
    await page.getByText('Written offline').waitFor();
    await expectText(page, '1 pending');
    await todo(page, 'Written offline').getByText('Waiting to send').waitFor();
    expect(await offlineBanner(page).innerText()).toMatch(/sent when the server is back \(1 change waiting\)/);
    await screenshot(page, '5-offline', 'offline');
    // longer than x-sync.retry's attempts last: the write is not given up while the API is away
    await page.waitForTimeout(3_000);
    expect(await todo(page, 'Written offline').getAttribute('data-pending')).toBe('true');
    expect(await page.getByRole('alert').count()).toBe(0);

    api = await startTestServer({ port: apiPort, data });
    await page.getByTestId('sync-status').and(page.locator('[data-status=live]')).waitFor({ timeout: 90_000 });
    await offlineBanner(page).waitFor({ state: 'detached' });
    await todo(page, 'Written offline').and(page.locator(':not([data-pending])')).waitFor({ timeout: 60_000 });
    const titles = await todoTitles(page);
    expect(titles.filter((t) => t === 'Written offline')).toHaveLength(1);
    expect(titles).toEqual(expect.arrayContaining(['Seen everywhere', 'Written offline']));
    const onServer = (await (await fetch(`${api.url}/todos`, { headers: api.staff.headers })).json()) as
      | { title: string }[]
      | { data: { title: string }[] };
    const rows = Array.isArray(onServer) ? onServer : onServer.data;
    expect(rows.filter((t) => t.title === 'Written offline')).toHaveLength(1);
    await screenshot(page, '6-back-online');
    await page.close();
  });

  it("keeps its rows and a todo written offline across a reload (the page's SQLite), and sends the todo once the API is back", async () => {
    const page = await openApp();
    await page.waitForTimeout(500); // the synced rows reach the SQLite file in IndexedDB
    const data = api.data;
    await api.close({ keepData: true });
    await page.getByTestId('sync-status').and(page.locator('[data-status=offline]')).waitFor({ timeout: 60_000 });
    await add(page, 'Survives a reload');
    await page.getByText('Survives a reload').waitFor();
    await page.waitForTimeout(500); // and so does the outbox entry

    await page.reload(); // the API is still down
    await page.getByTestId('todo').filter({ hasText: 'Survives a reload' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('todo').filter({ hasText: 'Survives a reload' }).getAttribute('data-pending')).toBe(
      'true',
    );
    expect(await todoTitles(page)).toEqual(expect.arrayContaining(['Seen everywhere', 'Written offline']));
    await offlineBanner(page).waitFor({ timeout: 30_000 });
    await page
      .getByRole('navigation', { name: 'Projects' })
      .getByText('the projects load when the server is back')
      .waitFor();
    await screenshot(page, '7-reloaded-offline');

    api = await startTestServer({ port: apiPort, data });
    await page
      .getByTestId('todo')
      .filter({ hasText: 'Survives a reload' })
      .and(page.locator(':not([data-pending])'))
      .waitFor({ timeout: 60_000 });
    const onServer = (await (await fetch(`${api.url}/todos`, { headers: api.staff.headers })).json()) as
      | { title: string }[]
      | { data: { title: string }[] };
    const rows = Array.isArray(onServer) ? onServer : onServer.data;
    expect(rows.filter((t) => t.title === 'Survives a reload')).toHaveLength(1);
    expect((await todoTitles(page)).filter((t) => t === 'Survives a reload')).toHaveLength(1);
    await page.close();
  });

  it('ticks and deletes todos from the keyboard, and the counts follow', async () => {
    const page = await openApp();
    const todos = page.getByRole('region', { name: 'Todos' });
    const counts = page.getByTestId('count').filter({ hasText: 'Launch' });
    await counts.filter({ hasText: '1/6 done' }).waitFor(); // 3 seeded, 3 added by the tests above
    const ship = todos.getByRole('checkbox', { name: 'Ship the web app' });
    await ship.focus();
    await page.keyboard.press('Space');
    await todos.getByRole('checkbox', { name: 'Ship the web app', checked: true }).waitFor(); // at once, optimistically
    await counts.filter({ hasText: '2/6 done' }).waitFor();
    await todos.getByRole('button', { name: 'Delete Written offline' }).focus();
    await page.keyboard.press('Enter');
    await todo(page, 'Written offline').waitFor({ state: 'detached' });
    await counts.filter({ hasText: '2/5 done' }).waitFor();
    const onServer = (await (await fetch(`${api.url}/todos`, { headers: api.staff.headers })).json()) as
      | Row[]
      | { data: Row[] };
    const rows = Array.isArray(onServer) ? onServer : onServer.data;
    expect(rows.find((t) => t.title === 'Ship the web app')?.status).toBe('done');
    expect(rows.some((t) => t.title === 'Written offline')).toBe(false);
    await page.close();
  });

  it('asks who you are: a wrong password is refused, sign-out forgets the session and the local data', async () => {
    const page = await newPage(browser);
    await page.goto(web.url);
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.getByRole('alert').innerText()).toBe('Wrong email or password');
    await screenshot(page, '0-sign-in-refused');
    await signIn(page);
    await page.getByTestId('todo').first().waitFor();
    await screenshot(page, '0-signed-in');
    const token = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('sync-patterns-example:session') ?? '{}') as { token?: string }).token,
    );
    const withToken = () =>
      fetch(`${api.url}/projects`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await withToken()).toBe(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('sync-patterns'))),
    ).toEqual([]);
    // the token was revoked on the server
    expect(await withToken()).toBe(401);
    await page.close();
  });

  it("asks before signing out drops a change not synced yet; the next user sees only their own rows, nothing of the last one's", async () => {
    const page = await openApp();
    const adaId = await page.evaluate(
      () =>
        (JSON.parse(localStorage.getItem('sync-patterns-example:session') ?? '{}') as { user: { id: string } }).user.id,
    );
    // the API cannot be reached for writes: the todo waits in Ada's outbox
    await page.route('**/api/todos', (route) =>
      route.request().method() === 'POST' ? route.abort() : route.fallback(),
    );
    await add(page, 'Unsynced by Ada');
    await todo(page, 'Unsynced by Ada').and(page.locator('[data-pending=true]')).waitFor();
    // asked, and staying keeps everything
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Sign out' }).click();
    while (!asked.length) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked[0]).toBe('1 change made here is not synced yet. Sign out and drop it?');
    await todo(page, 'Unsynced by Ada').waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    // signing out anyway drops it with Ada's rows
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const files = () =>
      page.evaluate(
        () =>
          new Promise<string[]>((resolve) => {
            const request = indexedDB.open('sync-patterns-example', 1);
            request.onupgradeneeded = () => request.result.createObjectStore('files');
            request.onsuccess = () => {
              const keys = request.result.transaction('files').objectStore('files').getAllKeys();
              keys.onsuccess = () => {
                request.result.close();
                resolve(keys.result.map(String));
              };
            };
          }),
      );
    expect((await files()).filter((key) => key.includes(adaId))).toEqual([]);
    // Grace, a member of Launch only, on the same browser: her rows, none of Ada's own
    await page.unroute('**/api/todos');
    await page.getByLabel('Email').fill('grace@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('sync-status').and(page.locator('[data-status=live]')).waitFor({ timeout: 30_000 });
    await page.getByTestId('todo').first().waitFor();
    const graceToken = await page.evaluate(
      () => (JSON.parse(localStorage.getItem('sync-patterns-example:session') ?? '{}') as { token: string }).token,
    );
    const hers = (await (
      await fetch(`${api.url}/todos`, { headers: { authorization: `Bearer ${graceToken}` } })
    ).json()) as { title: string }[];
    // every todo she is shown is one the API gives her (her project's), and no other
    const shown = await todoTitles(page);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((title) => !hers.some((t) => t.title === title))).toEqual([]);
    expect(await todoTitles(page)).not.toContain('Unsynced by Ada');
    expect((await files()).some((key) => key.includes(adaId))).toBe(false);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.close();
  });

  it('sends a todo written offline in a tab that was then closed, from the next tab opened', async () => {
    // one browser profile, two tabs one after the other: the second adopts the closed tab's file
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light' });
    const first = await context.newPage();
    await first.goto(web.url);
    await signIn(first);
    await first.getByTestId('sync-status').and(first.locator('[data-status=live]')).waitFor();
    await first.getByTestId('todo').first().waitFor();
    const data = api.data;
    await api.close({ keepData: true });
    await first.getByTestId('sync-status').and(first.locator('[data-status=offline]')).waitFor({ timeout: 60_000 });
    const savedAt = () => first.evaluate(() => JSON.stringify(localStorage.getItem('sync-patterns-files-written')));
    const before = await savedAt();
    await add(first, 'Written in a closed tab');
    await first.getByText('Written in a closed tab').waitFor();
    // the outbox entry is saved at once (not after the rows' 50 ms): then the tab is closed
    await first.waitForFunction(
      (earlier) => JSON.stringify(localStorage.getItem('sync-patterns-files-written')) !== earlier,
      before,
    );
    await first.close();

    api = await startTestServer({ port: apiPort, data });
    const second = await context.newPage();
    await second.goto(web.url);
    await todo(second, 'Written in a closed tab')
      .and(second.locator(':not([data-pending])'))
      .waitFor({ timeout: 60_000 });
    const onServer = (await (await fetch(`${api.url}/todos`, { headers: api.staff.headers })).json()) as
      | { title: string }[]
      | { data: { title: string }[] };
    const rows = Array.isArray(onServer) ? onServer : onServer.data;
    expect(rows.filter((t) => t.title === 'Written in a closed tab')).toHaveLength(1);
    await context.close();
  });

  it("archives, moves and completes todos with the API's domain actions, each shown at once", async () => {
    const created = await fetch(`${api.url}/projects`, {
      method: 'POST',
      headers: { ...api.staff.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Backlog', owner_id: api.staff.userId }),
    });
    const backlog = (await created.json()) as { id: string };
    const page = await openApp();
    const todos = page.getByRole('region', { name: 'Todos' });
    for (const title of ['Archive me', 'Move me']) {
      await add(page, title);
      await todo(page, title).and(page.locator(':not([data-pending])')).waitFor();
    }
    const serverRow = async (title: string) => {
      const rows = (await (await fetch(`${api.url}/todos`, { headers: api.staff.headers })).json()) as (Row & {
        project_id: string;
        archived: boolean;
      })[];
      return rows.find((t) => t.title === title);
    };

    await todos.getByRole('button', { name: 'Archive Archive me' }).click();
    await todo(page, 'Archive me').waitFor({ state: 'detached' });
    await until(async () => (await serverRow('Archive me'))?.archived === true);

    await todos.getByRole('combobox', { name: 'Move Move me to' }).selectOption({ label: 'Backlog' });
    await todo(page, 'Move me').waitFor({ state: 'detached' });
    await until(async () => (await serverRow('Move me'))?.project_id === backlog.id);

    await todos.getByRole('button', { name: 'Complete all' }).click();
    await todos.getByRole('button', { name: 'Complete all' }).waitFor({ state: 'detached' });
    for (const title of await todoTitles(page))
      await todos.getByRole('checkbox', { name: title, checked: true }).waitFor();
    await screenshot(page, '9-domain-actions');
    await page.close();
  });

  it('shows a change the server could not take (its todo deleted meanwhile) until the user dismisses it', async () => {
    const page = await openApp();
    const todos = page.getByRole('region', { name: 'Todos' });
    await add(page, 'Deleted elsewhere');
    await todo(page, 'Deleted elsewhere').and(page.locator(':not([data-pending])')).waitFor();
    const rows = (await (await fetch(`${api.url}/todos`, { headers: api.staff.headers })).json()) as (Row & {
      id: string;
    })[];
    const id = rows.find((t) => t.title === 'Deleted elsewhere')!.id;
    await page.context().setOffline(true);
    await todos.getByRole('checkbox', { name: 'Deleted elsewhere' }).click();
    await todos.getByRole('checkbox', { name: 'Deleted elsewhere', checked: true }).waitFor(); // at once, waiting to be sent
    // another client deletes it while this page's change waits
    const deleted = await fetch(`${api.url}/todos/${id}`, { method: 'DELETE', headers: api.staff.headers });
    expect(deleted.status).toBe(204);
    await page.context().setOffline(false);
    const alert = page.getByRole('alert').filter({ hasText: 'This todo was deleted before your change arrived' });
    await alert.waitFor({ timeout: 60_000 });
    expect(await alert.innerText()).toMatch(/status\s+yours “?done/);
    await todo(page, 'Deleted elsewhere').waitFor({ state: 'detached' });
    await screenshot(page, '10-conflict');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    await page.close();
  });
});

/** Waits (up to 10 s) until `check` holds: the server's state after a write settles. */
async function until(check: () => Promise<boolean>) {
  for (const started = Date.now(); !(await check()); ) {
    if (Date.now() - started > 10_000) throw new Error('the server never reached the expected state');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Row {
  title: string;
  status: string;
}

async function expectText(page: Page, text: string) {
  await page.getByText(text).first().waitFor();
}
