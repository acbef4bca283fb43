// Browser tests of `listdex serve` in headless Chromium (Debian's), driven by
// playwright-core: search from the home page, open a thread, a message,
// follow the parent link, open the raw message and download the thread; the
// hostile sample runs no script and opens no dialog. A screenshot of every
// page goes to OUT_DIR.
//
// usage: node browser-test.mjs LISTDEX DATA_DIR HOSTILE_MBOX OUT_DIR
// (NODE_PATH must reach playwright-core; scripts/test.sh installs it.)
import { createRequire } from 'node:module';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const [listdex, data, hostile, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });

const failures = [];
let checks = 0;
function check(name, ok, detail = '') {
  checks++;
  if (!ok) {
    failures.push(name);
    console.log(`FAIL: ${name} ${detail}`);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'listdex-browser-'));
const index = join(tmp, 'index');
execFileSync(listdex, ['import', '-q', '--index', index, join(data, 'sample.mbox'), hostile]);
const server = spawn(listdex, ['serve', '-q', '--index', index, '--listen', '127.0.0.1:0'],
                     { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', (chunk) => {
    text += chunk;
    const m = text.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  setTimeout(() => reject(new Error('server did not start')), 15000);
});

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run'],
});
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  const shot = (name) => page.screenshot({ path: join(out, `${name}.png`), fullPage: true });

  // Search from the home page.
  await page.goto(`${base}/`);
  await shot('home');
  check('home lists the demo list', await page.locator('a[href="/demo.lists.example.org/"]').count() === 1);
  await page.fill('input[name=q]', 'welcome');
  await Promise.all([page.waitForURL(/\/search\?q=welcome/), page.press('input[name=q]', 'Enter')]);
  await shot('search');
  const threads = page.locator('ol.results a.subject');
  check('search finds the welcome thread', (await threads.count()) >= 1);

  // Open the thread, then a reply in it.
  await Promise.all([page.waitForURL(/\/t\//), threads.first().click()]);
  await shot('thread');
  check('thread page nests replies', await page.locator('ul.tree ul li').count() >= 1);
  await Promise.all([page.waitForURL(/\/m\/greetings-2@example\.de$/),
                     page.locator('a[href="/m/greetings-2@example.de"]').click()]);
  await shot('message');
  check('message page shows the decoded body', (await page.locator('pre.body').innerText()).includes('Grüße aus Zürich'));

  // Follow the parent link, then open the raw message.
  await Promise.all([page.waitForURL(/\/m\/welcome-1@example\.org$/), page.click('a[rel=prev]')]);
  await shot('parent');
  check('parent is the welcome message', (await page.locator('h1').innerText()).includes('Welcome'));
  await Promise.all([page.waitForURL(/\/raw$/), page.click('nav.links >> text=raw')]);
  await shot('raw');
  check('raw shows the original headers', (await page.content()).includes('Message-ID: &lt;welcome-1@example.org&gt;'));

  // Download the thread as mbox.gz.
  await page.goto(`${base}/t/welcome-1@example.org`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=mbox.gz')]);
  check('thread downloads as .mbox.gz', download.suggestedFilename().endsWith('.mbox.gz'), download.suggestedFilename());

  // Hostile content: no dialog, no script element, no script run.
  for (const [name, path] of [['hostile-message', '/m/hostile-1@example.net'],
                              ['hostile-reply', '/m/hostile-2%2Fodd%25id@example.net'],
                              ['hostile-thread-flat', '/t/hostile-1@example.net?view=flat'],
                              ['hostile-search', '/search?q=xylophonist&o=messages'],
                              ['hostile-list', '/victims.lists.example.org/']]) {
    const response = await page.goto(base + path);
    check(`${name}: 200`, response.status() === 200, response.status());
    await page.waitForTimeout(200); // let anything that could run, run
    await shot(name);
    check(`${name}: no <script> element`, await page.locator('script').count() === 0);
    check(`${name}: no javascript:/data: link`,
          await page.locator('a[href^="javascript:"], a[href^="data:"]').count() === 0);
  }
  check('the hostile sample opened no dialog', dialogs.length === 0, JSON.stringify(dialogs));

  // Readable on a phone: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/m/hostile-2%2Fodd%25id@example.net`);
  await shot('phone-message');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('no horizontal scrolling on a phone', overflow <= 0, `${overflow}px too wide`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${checks - failures.length}/${checks} browser checks passed; screenshots in ${out}`);
process.exit(failures.length ? 1 : 0);
