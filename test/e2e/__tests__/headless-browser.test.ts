/**
 * The shared headless-browser helper: Chromium starts (or the test fails — it never skips), a
 * loopback page renders and runs its script, a request to another host is blocked and recorded,
 * and a screenshot lands in the test output folder.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchHeadlessBrowser, type HeadlessBrowser } from '../../src/headless-browser';

let browser: HeadlessBrowser;
let server: http.Server;
let base: string;

beforeAll(async () => {
  browser = await launchHeadlessBrowser();
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(
      '<!doctype html><title>probe</title><p id="out">static</p>' +
        '<img src="https://cdn.example.invalid/pixel.png">' +
        '<script>document.getElementById("out").textContent = "script ran " + (1 + 1);</script>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test('a loopback page runs its script, an off-machine request is blocked and listed, and the screenshot is written', async () => {
  const tab = await browser.newPage();
  await tab.page.goto(`${base}/`, { waitUntil: 'load' });
  expect(await tab.page.textContent('#out')).toBe('script ran 2');
  expect(tab.blockedRequests).toEqual(['https://cdn.example.invalid/pixel.png']);
  const file = await tab.screenshot('headless-browser-probe');
  // A PNG starts with its 8-byte signature.
  expect(fs.readFileSync(file).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  await tab.context.close();
}, 60_000);
