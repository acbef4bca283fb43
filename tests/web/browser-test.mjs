// SPDX-License-Identifier: GPL-3.0-or-later
// Copyright (C) 2026 The listdex authors
// Browser tests of `listdex serve` in headless Chromium (Debian's), driven by
// playwright-core: from the home page to a list, a month, a search that
// keeps the list's scope, a message, its thread, its replies and the way
// back; the raw message and the thread download; the hostile sample runs no
// script and opens no dialog on any page; at 390 px (a phone) no page
// scrolls sideways, no word is broken inside, and a 143-message thread
// nested 142 deep keeps its indentation within the screen. A screenshot of
// every page goes to OUT_DIR.
//
// usage: node browser-test.mjs LISTDEX DATA_DIR WEB_TEST_DIR OUT_DIR
// (NODE_PATH must reach playwright-core; scripts/test.sh installs it.)
import { createRequire } from 'node:module';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const [listdex, data, web, out] = process.argv.slice(2);
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

// A deep thread: 143 messages, each replying to the one before, with
// subjects long enough to wrap on a phone.
const tmp = mkdtempSync(join(tmpdir(), 'listdex-browser-'));
let deep = '';
for (let i = 0; i < 143; i++) {
  const date = new Date(Date.UTC(2024, 5, 1, 0, i)).toUTCString().replace('GMT', '+0000');
  deep += `From deep@example.org Sat Jun  1 00:00:00 2024\nFrom: Deep Thinker ${i % 7} <deep${i % 7}@example.org>\n` +
    `To: deep@lists.example.org\nList-Id: <deep.lists.example.org>\n` +
    `Subject: ${i ? 'Re: ' : ''}topic ${Math.floor(i / 10)} of a considerably long discussion ` +
    `about nested replies\nDate: ${date}\nMessage-ID: <deep-${i}@example.org>\n` +
    (i ? `In-Reply-To: <deep-${i - 1}@example.org>\n` : '') + `\nReply number ${i}.\n\n`;
}
writeFileSync(join(tmp, 'deep.mbox'), deep);
const index = join(tmp, 'index');
execFileSync(listdex, ['import', '-q', '--index', index, join(data, 'sample.mbox'), join(web, 'hostile.mbox'),
                       join(web, 'series.mbox'), join(tmp, 'deep.mbox')]);
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

// Words a page broke inside although they would have fit on one line.
function brokenWords() {
  const bad = [];
  const selector = 'h1, h2, h3, a.subject, .meta, nav a, table.lists td, table.thread td.t, ' +
                   'table.headers th, table.headers td, section.months li, header, footer';
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const words = /\S+/g;
      let m;
      while ((m = words.exec(n.data))) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        const rects = Array.from(r.getClientRects()).filter((x) => x.width > 0);
        const width = rects.reduce((s, x) => s + x.width, 0);
        if (rects.length > 1 && width < el.getBoundingClientRect().width - 2) bad.push(m[0]);
      }
    }
  }
  return bad;
}

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

  // Home: lists by latest activity, each with its activity picture.
  await page.goto(`${base}/`);
  await shot('home');
  const latest = await page.locator('td.latest').allInnerTexts();
  check('home lists every list, latest activity first',
        latest.length === 5 && latest.every((d, i) => i === 0 || latest[i - 1] >= d), JSON.stringify(latest));
  check('home shows an activity picture per list', await page.locator('td.spark svg.activity').count() === 5);

  // A list, one of its months, the neighbouring month.
  await Promise.all([page.waitForURL(/\/demo\.lists\.example\.org\/$/),
                     page.click('a[href="/demo.lists.example.org/"]')]);
  await shot('list');
  check('list page: threads and an activity picture',
        await page.locator('ol.results li').count() > 0 && await page.locator('svg.activity').count() === 1);
  await Promise.all([page.waitForURL(/\/2024-03\/$/), page.click('section.months a[href$="/2024-03/"]')]);
  await shot('month');
  check('month page lists the month\'s threads', await page.locator('ol.results li').count() > 0);

  // The list's search box searches the list; refining keeps the scope.
  await page.fill('input[name=q]', 'welcome');
  await Promise.all([page.waitForURL(/\/demo\.lists\.example\.org\/\?q=welcome/), page.press('input[name=q]', 'Enter')]);
  await shot('list-search');
  check('a list\'s search box searches that list', (await page.locator('ol.results li').count()) >= 1);
  await page.fill('input[name=q]', 'welcome OR kumquat');
  await Promise.all([page.waitForURL(/\/demo\.lists\.example\.org\/\?q=welcome/), page.press('input[name=q]', 'Enter')]);
  check('refining keeps the scope', page.url().startsWith(`${base}/demo.lists.example.org/?q=`), page.url());

  // A message: its thread under it, its replies, the way around.
  await Promise.all([page.waitForURL(/\/welcome-1@example\.org\/$/),
                     page.click('ol.results a.subject[href$="/welcome-1@example.org/"]')]);
  await shot('message');
  check('message page shows the thread, the message marked', await page.locator('table.thread tr.current').count() === 1);
  check('message page lists its replies', await page.locator('section.replies li').count() === 2);
  await Promise.all([page.waitForURL(/\/greetings-2@example\.de\/$/),
                     page.click('section.replies a[href$="/greetings-2@example.de/"]')]);
  check('a reply shows its decoded body', (await page.locator('pre.body').first().innerText()).includes('Grüße aus Zürich'));
  await Promise.all([page.waitForURL(/\/welcome-1@example\.org\/$/), page.click('nav.msgnav a[rel=prev]')]);
  check('"previous in the thread" leads back', (await page.locator('h1').innerText()).includes('Welcome'));
  await Promise.all([page.waitForURL(/\/greetings-2@example\.de\/$/), page.click('nav.msgnav a[rel=next]')]);
  await Promise.all([page.waitForURL(/\/raw$/), page.click('nav.links >> text=raw')]);
  check('raw shows the original headers', (await page.content()).includes('Message-ID: &lt;greetings-2@example.de&gt;'));
  await page.goBack();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=download thread (mbox.gz)')]);
  check('the thread downloads as .mbox.gz', download.suggestedFilename().endsWith('.mbox.gz'), download.suggestedFilename());

  // A patch series: the review shows the attached patch inline; the series downloads.
  await page.goto(`${base}/frob.lists.example.com/frob-review-1@example.org/`);
  await shot('review');
  check('an attached patch is shown inline', (await page.locator('section.inline-part pre.body').innerText())
    .includes('return x == 2147483647'));
  const [series] = await Promise.all([page.waitForEvent('download'), page.click('text=series for git am (v1, 2 patches)')]);
  check('the series downloads as an mbox', series.suggestedFilename().endsWith('.mbox'), series.suggestedFilename());

  // The flat and nested thread pages.
  await page.goto(`${base}/demo.lists.example.org/welcome-1@example.org/T/`);
  await shot('thread-flat');
  check('T/ shows every message', await page.locator('article.message').count() === 3);
  await page.goto(`${base}/demo.lists.example.org/welcome-1@example.org/t/`);
  await shot('thread-nested');
  check('t/ nests the replies', await page.locator('div.nest.d1').count() === 2);

  // Hostile content: no dialog, no script element, no script run.
  for (const [name, path] of [['hostile-message', '/victims.lists.example.org/hostile-1@example.net/'],
                              ['hostile-reply', '/victims.lists.example.org/hostile-2%2Fodd%25id@example.net/'],
                              ['hostile-legacy', '/m/hostile-1@example.net'],
                              ['hostile-thread-flat', '/victims.lists.example.org/hostile-1@example.net/T/'],
                              ['hostile-thread-nested', '/victims.lists.example.org/hostile-1@example.net/t/'],
                              ['hostile-search', '/victims.lists.example.org/?q=xylophonist'],
                              ['hostile-threads', '/search?q=hostile'],
                              ['hostile-month', '/victims.lists.example.org/2024-04/'],
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

  // A phone: nothing wider than the screen, no word broken inside.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [name, path] of [['phone-home', '/'], ['phone-list', '/demo.lists.example.org/'],
                              ['phone-month', '/demo.lists.example.org/2024-03/'],
                              ['phone-message', '/victims.lists.example.org/hostile-2%2Fodd%25id@example.net/'],
                              ['phone-review', '/frob.lists.example.com/frob-review-1@example.org/'],
                              ['phone-search', '/search?q=welcome&o=messages'],
                              ['phone-deep', '/deep.lists.example.org/deep-142@example.org/'],
                              ['phone-deep-nested', '/deep.lists.example.org/deep-0@example.org/t/'],
                              ['phone-help', '/all/_/text/help/']]) {
    await page.goto(base + path);
    await shot(name);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(`${name}: no horizontal scrolling at 390 px`, overflow <= 0, `${overflow}px too wide`);
    const broken = await page.evaluate(brokenWords);
    check(`${name}: no word broken inside`, broken.length === 0, JSON.stringify(broken.slice(0, 5)));
  }
  // The 143-message thread: indentation stops growing, subjects stay readable.
  await page.goto(`${base}/deep.lists.example.org/deep-142@example.org/`);
  const cells = await page.evaluate(() => Array.from(document.querySelectorAll('table.thread td.t')).map((td) => {
    const r = td.getBoundingClientRect();
    return { pad: parseFloat(getComputedStyle(td).paddingLeft), width: r.width };
  }));
  const maxPad = Math.max(...cells.map((c) => c.pad));
  check('deep thread: 143 rows', cells.length === 143, cells.length);
  check('deep thread: indentation capped at a third of the cell on a phone',
        maxPad > 0 && cells.every((c) => c.pad <= c.width / 3), `max padding ${maxPad}px`);
  check('deep thread: depth shown where indentation stops', await page.locator('table.thread .deep').count() > 100);
  check('deep thread: the subject printed only where it changes',
        await page.locator('table.thread td.t a').count() === 15,
        await page.locator('table.thread td.t a').count());
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`${checks - failures.length}/${checks} browser checks passed; screenshots in ${out}`);
process.exit(failures.length ? 1 : 0);
