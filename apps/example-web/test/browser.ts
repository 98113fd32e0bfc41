import { existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); `npx playwright install` cannot download here. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Screenshots of every state the test reaches, for a reviewer (not committed). */
export const SCREENSHOTS = path.resolve(__dirname, '../../../tmp/screenshots');
/** The key states as committed PNGs, shown in the README; rewritten only with UPDATE_SCREENSHOTS=1. */
export const DOCS_SCREENSHOTS = path.resolve(__dirname, '../../../docs/screenshots');
const UPDATE_DOCS = process.env['UPDATE_SCREENSHOTS'] === '1';
/** Every page has this size, so the screenshots are alike from run to run and machine to machine. */
export const VIEWPORT = { width: 1200, height: 720 };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with \`apt-get install chromium\` (or set CHROMIUM_PATH)`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export async function newPage(browser: Browser): Promise<Page> {
  return browser.newPage({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: 'light',
    reducedMotion: 'no-preference',
  });
}

/**
 * Saves the page as `tmp/screenshots/<name>.png` (full page); with `docs` and UPDATE_SCREENSHOTS=1
 * also as `docs/screenshots/<docs>.png` (the viewport, for the README). The pointer is moved away
 * and animations (spinners, skeletons) are stopped first, so no hover or frame depends on timing.
 */
export async function screenshot(page: Page, name: string, docs?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.mouse.move(0, VIEWPORT.height - 1);
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled' });
  if (docs && UPDATE_DOCS) {
    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(DOCS_SCREENSHOTS, `${docs}.png`), animations: 'disabled' });
  }
}
