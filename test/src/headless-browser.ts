/**
 * Headless Chromium for tests that look at a page the way a person would (the dev GraphiQL page,
 * HTML reports). It drives the system's Debian `chromium` through `playwright-core`, which never
 * downloads a browser of its own: `.ci/run` installs the package when `/usr/bin/chromium` is
 * missing. When Chromium cannot be started the launch throws, so a browser test fails loudly
 * instead of skipping: a page nobody could load is not a page that works.
 *
 * Pages are offline by default: every request that leaves loopback (or `file:`/`data:`/`blob:`) is
 * aborted and recorded in `blockedRequests`, so a test can assert that a page needs no CDN.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where the browser lives; `PACTUM_CHROMIUM` points elsewhere (e.g. a developer's Chrome). */
export const CHROMIUM_PATH = process.env.PACTUM_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The flags the browser runs with. `--no-sandbox` because CI runs as root (Chromium refuses its
 * sandbox as root); `--disable-background-networking` so the browser itself phones nowhere.
 */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Folder for test artefacts (screenshots, rendered reports): `test/output/`, or `PACTUM_TEST_OUTPUT`. */
export function testOutputDir(...segments: string[]): string {
  const root = process.env.PACTUM_TEST_OUTPUT ?? path.resolve(__dirname, '..', 'output');
  const dir = path.join(root, ...segments);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A started Chromium; `close()` it in `afterAll`. */
export interface HeadlessBrowser {
  readonly browser: Browser;
  /**
   * A fresh page in its own context (no shared cookies or storage between pages). Unless
   * `allowNetwork` is set, requests outside loopback are aborted and listed in `blockedRequests`.
   * `consoleErrors` collects the page's `console.error` lines and uncaught exceptions.
   */
  newPage(options?: { allowNetwork?: boolean }): Promise<BrowserPage>;
  close(): Promise<void>;
}

export interface BrowserPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly blockedRequests: string[];
  readonly consoleErrors: string[];
  /** Writes a full-page PNG under the test output folder and returns its path. */
  screenshot(name: string): Promise<string>;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function isLocal(url: string): boolean {
  if (/^(data|blob|file|about):/i.test(url)) return true;
  try {
    return LOCAL_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Starts headless Chromium. Throws with what to do when the executable is missing or will not
 * start — never resolves to a stand-in.
 */
export async function launchHeadlessBrowser(): Promise<HeadlessBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it with "apt-get install -y chromium" (.ci/run does) or set PACTUM_CHROMIUM`,
    );
  }
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], timeout: 60_000 });
  } catch (error) {
    throw new Error(`Chromium at ${CHROMIUM_PATH} could not be started: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const blockedRequests: string[] = [];
      const consoleErrors: string[] = [];
      if (!options.allowNetwork) {
        await context.route('**/*', (route) => {
          const url = route.request().url();
          if (isLocal(url)) return route.continue();
          blockedRequests.push(url);
          return route.abort('blockedbyclient');
        });
      }
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
      return {
        page,
        context,
        blockedRequests,
        consoleErrors,
        async screenshot(name) {
          const file = path.join(testOutputDir('screenshots'), name.endsWith('.png') ? name : `${name}.png`);
          await page.screenshot({ path: file, fullPage: true });
          return file;
        },
      };
    },
    close: () => browser.close(),
  };
}
