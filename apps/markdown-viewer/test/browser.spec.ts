import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createViewerApp } from '../src/index.ts';
import { tempDir } from './atomic-writer.ts';
import { SAMPLE_BOOK } from './book-fixture.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUTPUT = resolve(import.meta.dirname, '..', 'test-output');
const haveChromium = existsSync(CHROMIUM);
// On CI a missing browser is a broken machine, not a reason to pass quietly.
const runBrowser = haveChromium || process.env['CI'] === 'true';

describe.runIf(runBrowser)('the book in real Chromium', () => {
  let server: Server;
  let browser: BrowserContext;
  let baseUrl: string;
  let userDataDir: string;

  beforeAll(async () => {
    // Without a browser the test below fails (it runs only on CI then): a failed test, not a
    // broken suite, so the summary line counts it.
    if (!haveChromium) return;
    const bookDir = join(tempDir('mdviewer-browser-'), 'book');
    mkdirSync(bookDir);
    for (const [name, content] of Object.entries(SAMPLE_BOOK)) writeFileSync(join(bookDir, name), content);
    server = createServer(createViewerApp({ bookDir, logger: pino({ level: 'silent' }) }));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = tempDir('mdviewer-chromium-');
    // A fresh profile per run: nothing from an earlier run (cache, service workers) can help.
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
      ],
    });
    mkdirSync(OUTPUT, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('opens the book, follows a sidebar link, and lays out on desktop and phone', async () => {
    expect(haveChromium, `Chromium not found at ${CHROMIUM}; install it with apt-get install -y chromium`).toBe(true);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(`${baseUrl}/`);
    expect(page.url()).toBe(`${baseUrl}/intro.html`);
    expect(await page.locator('main h1').textContent()).toBe('Introduction');
    // The stylesheet applied (CSP allows 'self' styles): the sidebar is a flex column beside main.
    expect(await page.evaluate(`getComputedStyle(document.querySelector('nav.sidebar')).position`)).toBe('sticky');
    // Raw HTML in markdown shows as text, never as an element.
    expect(await page.locator('main b').count()).toBe(0);

    await page.locator('nav.sidebar a', { hasText: 'Setup' }).click();
    await page.waitForURL(`${baseUrl}/setup.html`);
    expect(await page.locator('main h1').textContent()).toBe('Setup');
    expect(await page.locator('nav.sidebar a[aria-current="page"]').textContent()).toBe('2.Setup');
    expect(await page.locator('main pre code.language-yaml .hljs-attr').first().textContent()).toBe('apiVersion:');
    expect(await page.locator('a[rel="next"]').textContent()).toContain('Details');
    await page.screenshot({ path: join(OUTPUT, 'desktop-setup.png'), fullPage: true });

    await page.locator('a[rel="next"]').click();
    await page.waitForURL(`${baseUrl}/details.html`);
    expect(await page.locator('main h1').textContent()).toBe('Details');

    const phonePage = await browser.newPage();
    await phonePage.setViewportSize({ width: 390, height: 844 });
    await phonePage.goto(`${baseUrl}/setup.html`);
    expect(await phonePage.locator('nav.sidebar').isVisible()).toBe(false);
    // Browser-side expressions are strings: this project compiles without the DOM lib.
    const overflow = await phonePage.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await phonePage.screenshot({ path: join(OUTPUT, 'phone-setup.png'), fullPage: true });
    await phonePage.locator('label.nav-toggle-label').click();
    expect(await phonePage.locator('nav.sidebar').isVisible()).toBe(true);
    await phonePage.screenshot({ path: join(OUTPUT, 'phone-menu.png') });

    await page.goto(`${baseUrl}/missing.html`);
    expect(await page.locator('main h1').textContent()).toBe('Page not found');
    // Only the 404 response itself may be reported; no CSP violation or script error.
    expect(problems.filter((text) => !text.includes('404'))).toEqual([]);
    await phonePage.close();
    await page.close();
  });
});
