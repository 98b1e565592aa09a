// Drives a VS Code workbench served by code-server with playwright-core in headless chromium.
// Everything waits on locators (DOM state), never on fixed sleeps.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** playwright-core: $PLAYWRIGHT_CORE (a module folder) or the package resolved from the repo. */
export function loadPlaywright() {
  return require(process.env.PLAYWRIGHT_CORE || 'playwright-core');
}

export const CS_URL = process.env.CS_URL || 'http://127.0.0.1:8080';
export const WS = process.env.E2E_WS || path.resolve('.e2e/run/ws');
export const SHOTS = process.env.E2E_SHOTS || path.resolve('.e2e/screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const T = { long: 60_000, diag: 30_000, ui: 15_000 };
export const TIMEOUTS = T;

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Workbench {
  /** @type {import('playwright-core').Browser} */ browser;
  /** @type {import('playwright-core').Page} */ page;

  static async open(folder = WS) {
    const wb = new Workbench();
    const { chromium } = loadPlaywright();
    const bhome = path.join(process.env.HOME || '/tmp', 'browser');
    fs.mkdirSync(bhome, { recursive: true });
    fs.mkdirSync(SHOTS, { recursive: true });
    wb.browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      env: { ...process.env, HOME: bhome, XDG_CONFIG_HOME: bhome + '/.config', XDG_CACHE_HOME: bhome + '/.cache' },
    });
    wb.page = await wb.browser.newPage({ viewport: { width: 1400, height: 900 } });
    wb.page.setDefaultTimeout(T.ui);
    await wb.page.goto(`${CS_URL}/?folder=${encodeURIComponent(folder)}`);
    // ready = the explorer shows the workspace tree
    await wb.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: T.long });
    return wb;
  }

  async close() {
    await this.browser?.close();
  }

  async shot(name) {
    await this.page.screenshot({ path: path.join(SHOTS, name + '.png') });
  }

  // ---- quick input (command palette, quick open, showQuickPick, showInputBox) ----
  get quickInput() {
    return this.page.locator('.quick-input-widget');
  }
  get quickInputBox() {
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** Waits for a quick input whose title contains `title`, returns its current value. */
  async waitQuickInput(title) {
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ state: 'visible' });
    return this.quickInputBox.inputValue();
  }

  /**
   * Waits until either a quick input with a title other than `prevTitle` or a dialog is shown;
   * returns the title, or null for the dialog.
   */
  async nextQuickInputOrDialog(prevTitle, timeout = T.diag) {
    const h = await this.page.waitForFunction(
      (prev) => {
        if (document.querySelector('.monaco-dialog-box')) return { dialog: true };
        const w = document.querySelector('.quick-input-widget');
        const title =
          w && getComputedStyle(w).display !== 'none' && w.getClientRects().length
            ? w.querySelector('.quick-input-title')?.textContent?.trim()
            : '';
        return title && title !== prev ? { title } : false;
      },
      prevTitle,
      { timeout },
    );
    const v = await h.jsonValue();
    return v.dialog ? null : v.title;
  }

  /** In the visible quick pick, selects the row whose label is `label`. */
  async pick(label) {
    const row = this.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', {
        has: this.page.locator('.label-name', { hasText: new RegExp(`^${esc(label)}$`) }),
      })
      .first();
    await row.waitFor({ state: 'visible' });
    await row.click();
  }

  async runCommand(title, { shot } = {}) {
    await this.dismissOverlays();
    await this.page.keyboard.press('F1');
    await this.quickInputBox.waitFor({ state: 'visible' });
    await this.quickInputBox.fill('>' + title);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible' });
    if (shot) await this.shot(shot);
    await row.click();
  }

  /** Escape anything modal-ish that a failed earlier step may have left. */
  async dismissOverlays() {
    for (let i = 0; i < 3; i++) {
      const open =
        (await this.quickInput.isVisible()) ||
        (await this.page.locator('.monaco-hover:not(.hidden)').count()) > 0 ||
        (await this.page.locator('.context-view .action-widget').count()) > 0;
      if (!open) return;
      await this.page.keyboard.press('Escape');
    }
  }

  // ---- editors ----
  async closeAllEditors() {
    await this.runCommand('View: Close All Editor Groups');
    await this.page
      .locator('.editor-group-container .editor-instance .monaco-editor')
      .first()
      .waitFor({ state: 'detached' })
      .catch(() => {});
  }

  /** The editor of the active group. */
  get editor() {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Opens a workspace-relative file with Quick Open and waits until its text is rendered. */
  async openFile(rel, firstLineText) {
    await this.dismissOverlays();
    await this.page.keyboard.press('Control+P');
    await this.quickInputBox.waitFor({ state: 'visible' });
    await this.quickInputBox.fill(rel);
    const base = path.basename(rel);
    const dir = path.dirname(rel);
    const row = this.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${esc(base)}$`) }) })
      .filter({ has: this.page.locator('.label-description', { hasText: new RegExp(`^${esc(dir)}$`) }) })
      .first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    await this.page.locator('.editor-group-container.active .tab.active', { hasText: base }).waitFor();
    if (firstLineText) await this.editor.locator('.view-line', { hasText: firstLineText }).first().waitFor();
    return this.editor;
  }

  /** The rendered line of the active editor containing `text`. */
  line(text) {
    return this.editor.locator('.view-lines .view-line', { hasText: text }).first();
  }

  /** The (1-based) line numbers of the squiggles of a kind ('error' | 'warning' | 'info') in the active editor. */
  async squiggleLines(kind) {
    return this.editor.evaluate((ed, kind) => {
      const tops = new Map();
      ed.querySelectorAll('.margin-view-overlays > div').forEach((d) => {
        const n = Number(d.querySelector('.line-numbers')?.textContent?.trim());
        if (n) tops.set(d.style.top, n);
      });
      const out = [];
      ed.querySelectorAll('.view-overlays > div').forEach((d) => {
        if (d.querySelector(`.squiggly-${kind}`)) out.push(tops.get(d.style.top));
      });
      return out.sort((a, b) => a - b);
    }, kind);
  }

  // ---- Problems panel ----
  async showProblems() {
    await this.dismissOverlays();
    await this.page.keyboard.press('Control+Shift+M');
    await this.page.locator('.markers-panel').waitFor({ state: 'visible' });
  }

  /** Sets the Problems filter box (text or glob, e.g. `**\/good/**`). */
  async filterProblems(text) {
    await this.showProblems();
    const input = this.page.locator('.viewpane-filter input, .markers-panel-action-filter input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill(text);
  }

  /**
   * The rendered rows of the Problems panel (tree view), parsed: each marker row as
   * { file (absolute path of the resource row above it), severity, message, source, code, line, col }.
   */
  async problemRows() {
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => {
      const out = [];
      let file;
      const txt = (r, sel) => r.querySelector(sel)?.textContent?.trim();
      for (const r of rows) {
        if (r.getAttribute('aria-level') === '1') {
          file = r.querySelector('.monaco-icon-label')?.getAttribute('aria-label') ?? txt(r, '.label-name');
          continue;
        }
        const icon = r.querySelector('.marker-icon');
        const severity = ['error', 'warning', 'info'].find((s) => icon?.classList.contains(s)) ?? 'hint';
        const ln = /\[Ln (\d+), Col (\d+)\]/.exec(txt(r, '.marker-line') ?? '');
        out.push({
          file,
          severity,
          message: txt(r, '.marker-message'),
          source: txt(r, '.marker-source'),
          code: txt(r, '.marker-code'),
          line: ln ? Number(ln[1]) : undefined,
          col: ln ? Number(ln[2]) : undefined,
        });
      }
      return out;
    });
  }

  /** A Problems marker row showing `code` (and `[Ln line, …]` when given). */
  problemRow(code, line) {
    let row = this.page
      .locator('.markers-panel .monaco-list-row[aria-level="2"]')
      .filter({ has: this.page.locator('.marker-code', { hasText: new RegExp(`^${esc(code)}$`) }) });
    if (line) row = row.filter({ has: this.page.locator('.marker-line', { hasText: `[Ln ${line},` }) });
    return row.first();
  }

  /** Waits until the Problems panel lists `code` (at `line`), returns all parsed rows. */
  async waitProblem(code, { line, timeout = T.diag } = {}) {
    await this.problemRow(code, line).waitFor({ timeout });
    return this.problemRows();
  }

  /** Screen point at the middle of the first occurrence of `text` in the rendered line containing `lineText`. */
  async pointAt(lineText, text) {
    const line = this.line(lineText);
    await line.waitFor();
    const p = await line.evaluate((el, text) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.textContent.indexOf(text);
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + text.length);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      }
      return null;
    }, text);
    if (!p) throw new Error(`"${text}" not found in the line with "${lineText}"`);
    return p;
  }

  /** Clicks into the middle of `text` (places the cursor there). */
  async clickText(lineText, text) {
    const p = await this.pointAt(lineText, text);
    await this.page.mouse.click(p.x, p.y);
  }

  // ---- hover ----
  /**
   * Moves the mouse onto `text` in the line containing `lineText`; returns the hover text once it
   * contains `mustContain`. A hover request that reaches the server before it has the document
   * answers nothing and VS Code does not ask again while the mouse stays put, so re-hover a few times.
   */
  async hoverText(lineText, text, mustContain, { attempts = 5 } = {}) {
    const hover = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: mustContain }).first();
    for (let i = 1; ; i++) {
      const p = await this.pointAt(lineText, text);
      await this.page.mouse.move(p.x, p.y + 200); // off the word first, so the next move is a new hover
      await this.page.mouse.move(p.x, p.y, { steps: 3 });
      try {
        await hover.waitFor({ timeout: i < attempts ? 6000 : T.diag });
        return hover.innerText();
      } catch (e) {
        if (i >= attempts) throw e;
        console.log(`[e2e] no hover with "${mustContain}" after attempt ${i}; hovering again`);
      }
    }
  }
}
