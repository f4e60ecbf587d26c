// One browser case against the example web app (harness/examples/rp_webapp)
// and serve-op's login and consent pages, in Debian's Chromium driven by
// playwright-core (never a browser that Playwright downloads).
//
//   node e2e.mjs CASE APP_URL SCREENSHOT_DIR
//
// CASE is one of:
//   form-post       the app asks for `code id_token` + form_post
//   fragment        the app asks for `code id_token token` + fragment
//                   (the app's relay page POSTs the fragment back)
//   tampered-cookie the state cookie is altered while the user is at the
//                   provider: the callback must be refused with a clear
//                   400 page (invalid_state_cookie), not a 500
//   other-login     a second login in another tab replaces the state
//                   cookie: the first tab's answer must be refused by the
//                   core's state check (400, state_mismatch)
//
// Prints "PASS <case>" or "FAIL <case>: <why>" and exits 0 or 1. Each case
// starts its own Chromium with a fresh --user-data-dir.

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [caseName, appUrl, shots] = process.argv.slice(2);
if (!caseName || !appUrl || !shots) {
  console.error('usage: node e2e.mjs CASE APP_URL SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });

// The flags the machine's Chromium needs: no sandbox (root), no GPU, and no
// traffic of its own (the network is closed; only loopback is used).
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function check(cond, what) {
  if (!cond) throw new Error(what);
  console.log(`  ok: ${what}`);
}

async function shot(page, name) {
  const path = join(shots, `${caseName}-${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`  screenshot ${path}`);
}

const pathOf = (url) => new URL(url).pathname;
const onApp = (url) => new URL(url).origin === new URL(appUrl).origin;

// Home page -> login button -> the provider's login page.
async function openLogin(page) {
  const home = await page.goto(appUrl);
  check(home.status() === 200, 'the app home page answers 200');
  await page.click('#login');
  await page.waitForSelector('input[name=password]');
  check(!onApp(page.url()), `the login button leads to the provider (${new URL(page.url()).origin})`);
}

// The login page, then the consent page, then Allow.
async function signInAndAllow(page, { screenshots }) {
  check((await page.title()) === 'Sign in', 'the provider shows its login page');
  if (screenshots) await shot(page, 'login');
  await page.fill('input[name=login]', 'alice');
  await page.fill('input[name=password]', 'correct horse battery staple');
  await page.click('button:has-text("Sign in")');
  await page.waitForSelector('#scopes');
  const scopes = await page.$$eval('#scopes li', (lis) => lis.map((li) => li.dataset.scope));
  check(
    ['openid', 'profile', 'email'].every((s) => scopes.includes(s)),
    `the consent page lists the requested scopes (${scopes.join(' ')})`,
  );
  if (screenshots) await shot(page, 'consent');
  await page.click('button:has-text("Allow")');
}

// Records every request to /callback: method, query, and the status.
function watchCallback(page) {
  const seen = [];
  page.on('response', (res) => {
    if (onApp(res.url()) && pathOf(res.url()) === '/callback') {
      const u = new URL(res.url());
      seen.push({ method: res.request().method(), search: u.search, status: res.status() });
    }
  });
  return seen;
}

async function expectSignedIn(page, context, seen, mode) {
  await page.waitForURL((u) => onApp(u.href) && u.pathname === '/me');
  const sub = (await page.textContent('#sub'))?.trim();
  check(sub === 'alice', `/me shows sub alice (got ${sub})`);
  const name = (await page.textContent('#name'))?.trim();
  check(name === 'Alice Example', `/me shows the name from the validated claims (${name})`);
  const email = (await page.textContent('#email'))?.trim();
  check(email === 'alice@example.org', `/me shows the email (${email})`);
  if (mode === 'form_post') {
    check(
      seen.length === 1 && seen[0].method === 'POST' && seen[0].search === '' && seen[0].status === 303,
      `the provider's form_post page auto-submitted a POST to /callback, answered 303 (${JSON.stringify(seen)})`,
    );
  } else {
    check(
      seen.length === 2 &&
        seen[0].method === 'GET' && seen[0].status === 200 &&
        seen[1].method === 'POST' && seen[1].search === '?relayed=fragment' && seen[1].status === 303,
      `the relay page read the fragment and POSTed it to /callback (${JSON.stringify(seen)})`,
    );
    const flow = await page.textContent('body');
    check(flow.includes('front-channel access token: yes'), 'the front-channel access token was validated (at_hash)');
  }
  const cookies = await context.cookies(appUrl);
  const session = cookies.find((c) => c.name === 'rp_session');
  check(
    session && session.httpOnly && session.sameSite === 'Lax',
    'the session cookie is HttpOnly and SameSite=Lax',
  );
  check(!cookies.some((c) => c.name === 'rp_auth'), 'the single-use state cookie is gone');
  await shot(page, 'me');
}

async function expectRefused(page, seen, code) {
  await page.waitForSelector('#error-code');
  const last = seen[seen.length - 1];
  check(last && last.method === 'POST' && last.status === 400, `the callback answered 400 (${JSON.stringify(seen)})`);
  const shown = (await page.textContent('#error-code'))?.trim();
  check(shown === code, `the error page shows the code ${code} (got ${shown})`);
  check(!seen.some((s) => s.status >= 500), 'no 5xx');
  await shot(page, 'refused');
  const me = await page.goto(new URL('/me', appUrl).href);
  check(me.status() === 401, 'no session was created: /me answers 401');
}

const cases = {
  async 'form-post'({ page, context }) {
    const seen = watchCallback(page);
    await openLogin(page);
    await signInAndAllow(page, { screenshots: true });
    await expectSignedIn(page, context, seen, 'form_post');
  },

  async fragment({ page, context }) {
    const seen = watchCallback(page);
    await openLogin(page);
    await signInAndAllow(page, { screenshots: true });
    await expectSignedIn(page, context, seen, 'fragment');
  },

  async 'tampered-cookie'({ page, context }) {
    const seen = watchCallback(page);
    await openLogin(page);
    // Alter one character of the signed state cookie's payload.
    const [cookie] = (await context.cookies(appUrl)).filter((c) => c.name === 'rp_auth');
    check(cookie && cookie.httpOnly && cookie.sameSite === 'Lax', 'the state cookie is HttpOnly and SameSite=Lax');
    const v = cookie.value;
    const i = Math.floor(v.indexOf('.') / 2);
    const tampered = v.slice(0, i) + (v[i] === 'A' ? 'B' : 'A') + v.slice(i + 1);
    await context.addCookies([{ ...cookie, value: tampered }]);
    check((await context.cookies(appUrl)).find((c) => c.name === 'rp_auth').value === tampered, 'the state cookie was altered');
    await signInAndAllow(page, { screenshots: false });
    await expectRefused(page, seen, 'invalid_state_cookie');
  },

  async 'other-login'({ page, context }) {
    const seen = watchCallback(page);
    await openLogin(page);
    // Another tab starts a second login: its state cookie replaces ours.
    const other = await context.newPage();
    await other.goto(new URL('/login', appUrl).href);
    await other.waitForSelector('input[name=password]');
    await other.close();
    await signInAndAllow(page, { screenshots: false });
    await expectRefused(page, seen, 'state_mismatch');
  },
};

const run = cases[caseName];
if (!run) {
  console.error(`unknown case ${caseName}; one of ${Object.keys(cases).join(', ')}`);
  process.exit(2);
}

const userDataDir = mkdtempSync(join(tmpdir(), 'oidc-hybrid-e2e-'));
let context;
let ok = false;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 900, height: 700 },
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
  console.log(`case ${caseName} (${(await context.browser()?.version()) ?? 'chromium'}) against ${appUrl}`);
  await run({ page, context });
  ok = true;
} catch (e) {
  console.log(`FAIL ${caseName}: ${e.message.split('\n')[0]}`);
} finally {
  await context?.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
if (ok) console.log(`PASS ${caseName}`);
process.exit(ok ? 0 : 1);
