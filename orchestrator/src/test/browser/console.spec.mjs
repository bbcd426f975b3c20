// Drives the operator console in headless Chromium, as an operator would, and fails (exit code 1)
// on the first check that does not hold. ConsoleBrowserIT starts the node and the sagas, then runs
// this with: CONSOLE_URL, CONSOLE_USER, CONSOLE_PASSWORD, CHROMIUM (the executable), SCREENSHOTS
// (a folder). Plain Node.js and playwright-core: the Playwright test runner would want to download
// browsers of its own.

import assert from 'node:assert/strict';
import path from 'node:path';
import { chromium } from 'playwright-core';

const url = required('CONSOLE_URL');
const origin = new URL(url).origin;
const screenshots = required('SCREENSHOTS');
const timeout = 20_000;

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const problems = [];
let passed = 0;
let failed = 0;

async function check(name, body) {
  const started = Date.now();
  try {
    await body();
    passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(error.stack || error).split('\n').slice(0, 6).join('\n     ')}`);
    await shot(page, `failed-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`).catch(() => {});
  }
}

/** The whole page, or with `fullPage: false` what the screen shows: a dialog over a long page. */
async function shot(onPage, name, { fullPage = true } = {}) {
  const file = path.join(screenshots, `${name}.png`);
  await onPage.screenshot({ path: file, fullPage });
  console.log(`     screenshot ${file}`);
}

/** Nothing is cut off on the right: neither the page nor a table's box scrolls sideways. */
async function fitsTheScreen(onPage) {
  const overflowing = await onPage.evaluate(() => {
    const wide = (e) => e.scrollWidth > e.clientWidth + 1;
    const found = [...document.querySelectorAll('.scroll')].filter(wide)
      .map((e) => `${e.closest('section')?.querySelector('h2')?.textContent || 'a table'}: ${e.scrollWidth} px in ${e.clientWidth} px`);
    if (wide(document.documentElement)) found.push(`the page: ${document.documentElement.scrollWidth} px in ${document.documentElement.clientWidth} px`);
    return found;
  });
  assert.deepEqual(overflowing, [], 'cut off on the right');
}

const browser = await chromium.launch({ executablePath: required('CHROMIUM') });
// A laptop screen.
const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
context.setDefaultTimeout(timeout);
// The console must need nothing from the internet: any request elsewhere is a failure.
await context.route('**/*', (route) => {
  const target = route.request().url();
  if (target.startsWith(origin) || target.startsWith('data:')) return route.continue();
  problems.push(`request outside the node: ${target}`);
  return route.abort();
});
const page = await context.newPage();
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
page.on('console', (message) => {
  // A 401 before signing in is how the console learns it must ask; anything else is a problem.
  if (message.type() === 'error' && !/401/.test(message.text())) problems.push(`console error: ${message.text()}`);
});

try {
  await check('signing in with the form opens the overview', async () => {
    await page.goto(url);
    const dialog = page.locator('dialog#sign-in');
    await dialog.waitFor({ state: 'visible' });
    await shot(page, 'sign-in');
    await page.getByLabel('User').fill(required('CONSOLE_USER'));
    await page.getByLabel('Password').fill(required('CONSOLE_PASSWORD'));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { level: 1, name: 'Overview', exact: true }).waitFor();
  });

  await check('the overview shows counts, the open incident and the node with its partitions', async () => {
    // The census comes from the recovery scan, every second in this test.
    await page.locator('#instances-title + div table').getByRole('link', { name: 'ship-order', exact: true }).waitFor();
    const incidents = page.locator('#incidents-title + div');
    await incidents.getByRole('link', { name: 'stuck-1' }).waitFor();
    const nodes = page.locator('#nodes-title + div table tbody tr');
    assert.equal(await nodes.count(), 1);
    assert.match(await nodes.first().innerText(), /0, 1/);
    // The rates leave out the 10 s bucket still filling, so the starts count once it has closed
    // and the page has polled again.
    await page.waitForFunction(
      () => [...document.querySelectorAll('.figure')]
        .find((f) => f.textContent.includes('Started per minute'))
        ?.querySelector('.figure-value')?.textContent !== '0.0',
      null,
      { timeout: 30_000 });
    await page.getByText('in the last 10 minutes').first().waitFor();
    const statuses = await page.locator('#instances-title + div thead th').allInnerTexts();
    assert.deepEqual(statuses.slice(-2), ['COMPENSATED', 'FAILED']);
    await fitsTheScreen(page);
    await shot(page, 'overview');
  });

  await check('the list shows the sagas that were started, and finds them by key', async () => {
    await page.getByRole('link', { name: 'Sagas', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sagas', exact: true }).waitFor();
    const rows = page.locator('table.sagas tbody tr');
    await rows.filter({ hasText: 'stuck-1' }).waitFor();
    const keys = await page.locator('table.sagas tbody th').allInnerTexts();
    assert.deepEqual(keys, ['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'pay-1', 'stuck-1']);
    await fitsTheScreen(page);
    await shot(page, 'sagas');
    await page.getByLabel('Key starts with').fill('pay');
    await page.getByLabel('Key starts with').press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('table.sagas tbody tr').length === 1);
    assert.match(await rows.first().innerText(), /pay-1\s+collect-payment\s+v1\s+WAITING/);
    assert.match(page.url(), /#\/sagas\?key=pay$/);
  });

  await check('an instance page shows the steps of its definition in order, with what happened', async () => {
    await page.goto(`${url}#/sagas/order-3/ship-order`);
    await page.getByRole('heading', { level: 1, name: 'order-3', exact: true }).waitFor();
    const steps = page.locator('ol.timeline li.step');
    await steps.first().waitFor();
    assert.deepEqual(await steps.evaluateAll((all) => all.map((s) => s.dataset.step)), ['reserve', 'prepare', 'pack', 'label', 'ship']);
    for (const step of ['reserve', 'pack', 'label', 'ship']) {
      assert.match(await page.locator(`li.step[data-step="${step}"] .state`).innerText(), /completed/, step);
    }
    assert.match(await page.locator('li.step[data-step="reserve"] .step-counts').innerText(), /1 attempt/);
    assert.match(await page.locator('#journal-title + div').innerText(), /SagaCompleted/);
    assert.match(await page.locator('#data-title + div').innerText(), /"orderId": "order-3"/);
    await page.locator('#fresh').waitFor();
    await fitsTheScreen(page);
    await shot(page, 'saga-steps');
  });

  await check('retrying an incident from its page asks first, then resolves it', async () => {
    await page.goto(`${url}#/sagas/stuck-1/ship-order`);
    const retry = page.getByRole('button', { name: 'Retry…' });
    await retry.waitFor();
    // The participant gave no error message: said so, never as the word "null".
    assert.match(await page.locator('.incident-box').innerText(), /Incident at reserve after 1 attempt: no message from the participant/);
    const journal = await page.locator('#journal-title + div').innerText();
    assert.match(journal, /reserve needs an operator \(no message from the participant\)/);
    assert.doesNotMatch(journal, /\bnull\b/);
    await retry.click();
    const dialog = page.locator('dialog#confirm');
    await dialog.waitFor({ state: 'visible' });
    // The safe answer has the focus: Enter or Escape would change nothing.
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Keep it as it is');
    await shot(page, 'incident-confirm', { fullPage: false });
    await dialog.getByRole('button', { name: 'Retry the step' }).click();
    await page.locator('.outcome.ok').waitFor();
    await page.locator('.facts .status-compensated').waitFor();
    assert.equal(await page.locator('.incident-box').count(), 0);
    assert.match(await page.locator('li.step[data-step="reserve"] .state').innerText(), /compensated/);
    await shot(page, 'incident-resolved');
  });

  await check('the definitions page draws the steps, the parallel branches and the compensations', async () => {
    await page.getByRole('link', { name: 'Definitions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Definitions', exact: true }).waitFor();
    await page.locator('ul.definitions li', { hasText: 'ship-order' }).getByRole('link', { name: 'v1' }).click();
    await page.getByRole('heading', { name: 'ship-order v1', exact: true }).waitFor();
    const titles = await page.locator('.diagram .node-title').allInnerTexts();
    assert.deepEqual(titles.map((t) => t.replace(/\s+/g, ' ').trim()), [
      'ACTION reserve', 'UNDO compensation', 'PARALLEL prepare', 'ACTION pack', 'ACTION label', 'ACTION ship', 'UNDO compensation',
    ]);
    await fitsTheScreen(page);
    await shot(page, 'definitions');
    await page.getByRole('link', { name: 'collect-payment', exact: true }).click();
    await page.getByRole('heading', { name: 'collect-payment v1', exact: true }).waitFor();
    assert.match(await page.locator('.receive-node').innerText(), /waits for PaymentCollected/);
    assert.match(await page.locator('table.versions tr.current').innerText(), /v1[\s\S]*1$/);
  });

  await check('the keyboard reaches the skip link and the navigation, and shows where the focus is', async () => {
    // A fresh load, as a person arriving: the focus starts at the top of the page.
    await page.goto(`${url}#/`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview', exact: true }).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'skip');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Sagas');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Sagas', exact: true }).waitFor();
  });

  await check('nothing was loaded from outside the node, and the page raised no error', async () => {
    assert.deepEqual(problems, []);
  });
} finally {
  await browser.close();
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
