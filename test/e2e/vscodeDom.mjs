// Driving VS Code's workbench (code-server in Chromium) through its DOM with Playwright.
//
// Everything waits for a condition with a timeout; nothing sleeps for a fixed time. Selectors
// are the workbench's own stable-ish classes and ARIA attributes (checked against
// code-server 4.139.1 / VS Code 1.139):
//   activity bar item  .part.activitybar .action-item[role=tab] > a.action-label[aria-label]
//   view pane          .part.sidebar .pane  (header .pane-header[aria-label="<View> Section"])
//   tree row           .monaco-list-row[aria-level][aria-expanded?][aria-label]
//                        .label-name / .label-description inside .monaco-icon-label
//   quick input        .quick-input-widget  (input: .quick-input-box input)
//   status bar cursor  #status\.editor\.selection  ("Ln 12, Col 3")
//   notifications      .notifications-toasts .notification-toast, .notifications-center

const DEFAULT_TIMEOUT = 20_000;

/** Polls `fn` until it returns a truthy value; returns that value. */
export async function waitFor(fn, { timeout = DEFAULT_TIMEOUT, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastError;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError ? ` (last error: ${lastError.message})` : last !== undefined && last !== false ? ` (last value: ${JSON.stringify(last)})` : '';
      throw new Error(`Timed out after ${timeout} ms waiting for ${message}${detail}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** True when `text` matches `matcher` (exact string, RegExp, or predicate). */
export function matches(text, matcher) {
  if (typeof matcher === 'string') return text === matcher;
  if (matcher instanceof RegExp) return matcher.test(text);
  if (typeof matcher === 'function') return Boolean(matcher(text));
  throw new Error(`unsupported matcher ${String(matcher)}`);
}

function describe(matcher) {
  return typeof matcher === 'string' ? JSON.stringify(matcher) : String(matcher);
}

/** Waits until the workbench is loaded: activity bar, status bar, and no progress in the title. */
export async function waitForWorkbench(page, { timeout = 60_000 } = {}) {
  await page.waitForSelector('.monaco-workbench .part.activitybar .action-item', { timeout });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout });
  // Dismiss nothing, click nothing: just make sure the explorer (or any sidebar) has rendered.
  await page.waitForSelector('.monaco-workbench .part.sidebar', { timeout, state: 'attached' });
}

/** Reads the Activity Bar entries: [{ title, selected }]. */
export async function activityBarItems(page) {
  return page.$$eval('.part.activitybar .action-item[role="tab"]', (items) =>
    items.map((item) => {
      const a = item.querySelector('.action-label');
      const raw = (a && a.getAttribute('aria-label')) || item.getAttribute('aria-label') || '';
      return {
        title: raw.replace(/\s*\([^)]*\)\s*$/, ''),
        ariaLabel: raw,
        selected: item.getAttribute('aria-selected') === 'true' || item.classList.contains('checked'),
      };
    }),
  );
}

/** Opens the view container whose Activity Bar title is `title` (e.g. "GitOps"). */
export async function openViewContainer(page, title, { timeout = DEFAULT_TIMEOUT } = {}) {
  await waitFor(async () => (await activityBarItems(page)).some((i) => i.title === title), {
    timeout,
    message: `Activity Bar item "${title}"`,
  });
  const items = await activityBarItems(page);
  const index = items.findIndex((i) => i.title === title);
  if (!items[index].selected) {
    await page.locator('.part.activitybar .action-item[role="tab"]').nth(index).click();
  }
  await waitFor(async () => (await activityBarItems(page)).find((i) => i.title === title)?.selected, {
    timeout,
    message: `"${title}" to be the selected Activity Bar item`,
  });
  await waitFor(() => page.locator('.part.sidebar').isVisible(), { timeout, message: 'the side bar to show' });
}

/** The title shown at the top of the side bar (e.g. "GITOPS" or "GITOPS: ENVIRONMENTS"). */
export async function sideBarTitle(page) {
  return (await page.locator('.part.sidebar .composite.title .title-label').first().textContent())?.trim() ?? '';
}

/**
 * A Locator for the pane of view `viewName` in the side bar. When a container has a single
 * view, VS Code hides the pane header; the pane is still there and still carries the name.
 */
export function viewPane(page, viewName) {
  return page.locator('.part.sidebar .pane').filter({
    has: page.locator(`.pane-header[aria-label^="${cssString(viewName)}"]`),
  });
}

function cssString(text) {
  return text.replace(/["\\]/g, '\\$&');
}

/** Waits for the view's pane body to be rendered; returns its Locator. */
export async function waitForView(page, viewName, { timeout = DEFAULT_TIMEOUT } = {}) {
  const pane = viewPane(page, viewName);
  await waitFor(async () => (await pane.count()) > 0 && pane.first().locator('.pane-body').isVisible(), {
    timeout,
    message: `view "${viewName}" to be visible`,
  });
  return pane.first();
}

/**
 * The rendered rows of the tree in view `viewName`, top to bottom:
 * [{ index, label, description, ariaLabel, level, expanded (true|false|null), selected, focused }].
 * Only rows in the viewport exist in the DOM (the list is virtual); the views here are short.
 */
export async function treeRows(page, viewName) {
  const pane = viewPane(page, viewName).first();
  if ((await pane.count()) === 0) return [];
  return pane.locator('.pane-body').evaluate((body) => {
    const rows = [...body.querySelectorAll('.monaco-list-row')];
    return rows
      .map((row) => {
        const text = (sel) => (row.querySelector(sel)?.textContent ?? '').trim();
        const expanded = row.getAttribute('aria-expanded');
        return {
          index: Number(row.getAttribute('data-index')),
          label: text('.label-name') || text('.monaco-highlighted-label'),
          description: text('.label-description'),
          ariaLabel: row.getAttribute('aria-label') ?? '',
          level: Number(row.getAttribute('aria-level') ?? '1'),
          expanded: expanded === null ? null : expanded === 'true',
          selected: row.classList.contains('selected'),
          focused: row.classList.contains('focused'),
        };
      })
      .sort((a, b) => a.index - b.index);
  });
}

/** Waits until the view shows tree rows satisfying `predicate(rows)`; returns the rows. */
export async function waitForTreeRows(page, viewName, predicate = (rows) => rows.length > 0, { timeout = DEFAULT_TIMEOUT, message } = {}) {
  let rows = [];
  await waitFor(
    async () => {
      rows = await treeRows(page, viewName);
      return predicate(rows);
    },
    { timeout, message: message ?? `rows in view "${viewName}"` },
  ).catch((err) => {
    throw new Error(`${err.message}\nrows: ${formatRows(rows)}`);
  });
  return rows;
}

/** Rows as an indented outline, for error messages and logs. */
export function formatRows(rows) {
  if (!rows.length) return '(none)';
  return '\n' + rows.map((r) => `${'  '.repeat(r.level - 1)}${r.expanded === null ? ' ' : r.expanded ? '▾' : '▸'} ${r.label}${r.description ? `  — ${r.description}` : ''}`).join('\n');
}

/** The rows that are descendants of `parent` (by data-index/level), in order. */
export function childrenOf(rows, parent) {
  if (!parent) return rows.filter((r) => r.level === 1);
  const start = rows.findIndex((r) => r.index === parent.index);
  const out = [];
  for (let i = start + 1; i < rows.length && rows[i].level > parent.level; i++) {
    if (rows[i].level === parent.level + 1) out.push(rows[i]);
  }
  return out;
}

/** Finds a row by a path of label matchers from the root, e.g. ['dev', /^Resources/, 'Deployment (2)']. */
export function findRow(rows, labelPath) {
  let parent = null;
  for (const matcher of labelPath) {
    const row = childrenOf(rows, parent).find((r) => matches(r.label, matcher));
    if (!row) return null;
    parent = row;
  }
  return parent;
}

function rowLocator(page, viewName, row) {
  return viewPane(page, viewName).first().locator(`.monaco-list-row[data-index="${row.index}"]`);
}

/**
 * Waits for the row at `labelPath` and returns it (expanding nothing).
 * @returns {Promise<{ index: number, label: string, description: string, level: number, expanded: boolean | null }>}
 */
export async function waitForRow(page, viewName, labelPath, { timeout = DEFAULT_TIMEOUT } = {}) {
  let found = null;
  await waitForTreeRows(
    page,
    viewName,
    (rows) => {
      found = findRow(rows, labelPath);
      return found;
    },
    { timeout, message: `row ${labelPath.map(describe).join(' › ')} in "${viewName}"` },
  );
  return found;
}

/**
 * Expands the row at `labelPath` (each ancestor must already be expanded, or use expandPath)
 * and waits until its children are rendered (or, with `allowEmpty`, until it is expanded).
 * Returns the children rows.
 */
export async function expandRow(page, viewName, labelPath, { timeout = DEFAULT_TIMEOUT, allowEmpty = false } = {}) {
  const row = await waitForRow(page, viewName, labelPath, { timeout });
  if (row.expanded === null) throw new Error(`row ${labelPath.map(describe).join(' › ')} is not expandable`);
  // A click that lands while the tree repaints (a model, drift or operator update) can be lost:
  // click again, on the row as it is now, until the row says it is expanded.
  const deadline = Date.now() + timeout;
  for (let current = row; current && current.expanded === false && Date.now() < deadline; ) {
    const loc = rowLocator(page, viewName, current);
    await loc.scrollIntoViewIfNeeded();
    // The twistie toggles without running the item's command.
    const twistie = loc.locator('.monaco-tl-twistie');
    if (await twistie.isVisible()) await twistie.click();
    else await loc.click();
    const settled = Date.now() + 3000;
    do {
      await page.waitForTimeout(100);
      current = findRow(await treeRows(page, viewName), labelPath);
    } while (current && current.expanded === false && Date.now() < settled);
  }
  let children = [];
  await waitForTreeRows(
    page,
    viewName,
    (rows) => {
      const current = findRow(rows, labelPath);
      if (!current || current.expanded !== true) return false;
      children = childrenOf(rows, current);
      return allowEmpty || children.length > 0;
    },
    { timeout, message: `children of ${labelPath.map(describe).join(' › ')}` },
  );
  return children;
}

/** Expands every row along `labelPath`, from the root down; returns the last row's children. */
export async function expandPath(page, viewName, labelPath, options = {}) {
  let children = [];
  for (let i = 1; i <= labelPath.length; i++) children = await expandRow(page, viewName, labelPath.slice(0, i), options);
  return children;
}

/** Clicks the row at `labelPath` (runs its command, like a user's click). */
export async function clickRow(page, viewName, labelPath, { timeout = DEFAULT_TIMEOUT } = {}) {
  const row = await waitForRow(page, viewName, labelPath, { timeout });
  const loc = rowLocator(page, viewName, row);
  await loc.scrollIntoViewIfNeeded();
  await loc.locator('.monaco-icon-label, .monaco-highlighted-label').first().click();
  return row;
}

/** The welcome content of view `viewName`: { text, buttons } or null when the view shows a tree. */
export async function viewWelcome(page, viewName) {
  const pane = viewPane(page, viewName).first();
  if ((await pane.count()) === 0) return null;
  return pane.evaluate((el) => {
    const welcome = el.querySelector('.welcome-view');
    if (!welcome || welcome.offsetParent === null) return null;
    const content = welcome.querySelector('.welcome-view-content') ?? welcome;
    return {
      text: (content.textContent ?? '').replace(/\s+/g, ' ').trim(),
      buttons: [...content.querySelectorAll('.monaco-button')].map((b) => (b.textContent ?? '').trim()),
      links: [...content.querySelectorAll('a')].map((a) => (a.textContent ?? '').trim()),
    };
  });
}

/** Waits for the view's welcome content to contain `text`; returns it. */
export async function waitForWelcome(page, viewName, text, { timeout = DEFAULT_TIMEOUT } = {}) {
  let last = null;
  await waitFor(
    async () => {
      last = await viewWelcome(page, viewName);
      return last && matches(last.text, text instanceof RegExp ? text : (t) => t.includes(text));
    },
    { timeout, message: `welcome content ${describe(text)} in "${viewName}"` },
  ).catch((err) => {
    throw new Error(`${err.message}\nwelcome: ${JSON.stringify(last)}`);
  });
  return last;
}

/** Focuses the workbench so key presses reach it (not an input of a webview). */
async function focusWorkbench(page) {
  await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } }).catch(() => {});
}

/**
 * Runs a command from the command palette: F1, type `text`, pick the first item whose label
 * matches `pick` (default: label contains `text`), Enter.
 */
export async function runCommand(page, text, { pick, timeout = DEFAULT_TIMEOUT } = {}) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('.quick-input-box input');
  await waitFor(
    async () => {
      if (!(await widget.isVisible())) {
        await focusWorkbench(page);
        await page.keyboard.press('F1');
      }
      return input.isVisible();
    },
    { timeout, interval: 500, message: 'the command palette to open' },
  );
  await input.fill(`>${text}`);
  const wanted = pick ?? ((label) => label.toLowerCase().includes(text.toLowerCase()));
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const index = await waitFor(
    async () => {
      const labels = await rows.evaluateAll((els) =>
        els.map((e) => ({ index: Number(e.getAttribute('data-index')), label: (e.getAttribute('aria-label') ?? e.textContent ?? '').trim() })),
      );
      const hit = labels.find((l) => matches(l.label, wanted));
      return hit ? hit.index + 1 : 0;
    },
    { timeout, message: `command ${describe(pick ?? text)} in the command palette` },
  );
  await widget.locator(`.quick-input-list .monaco-list-row[data-index="${index - 1}"]`).click();
  await waitFor(async () => !(await widget.isVisible()), { timeout: 5000, message: 'the command palette to close' }).catch(() => {});
}

/**
 * The active editor: { title (file name, e.g. "web.yaml"), ariaLabel, breadcrumbs (e.g.
 * ["deploy", "web.yaml", ...symbols]), preview, dirty } or null when no editor is open.
 */
export async function activeEditor(page) {
  const group = page.locator('.part.editor .editor-group-container.active');
  const tab = group.locator('.tabs-container .tab.active').first();
  if ((await tab.count()) === 0) return null;
  const info = await tab.evaluate((el) => {
    const aria = el.getAttribute('aria-label') ?? '';
    return {
      title: el.getAttribute('data-resource-name') || aria.split(',')[0].trim(),
      ariaLabel: aria,
      preview: /, preview\b/.test(aria),
      dirty: el.classList.contains('dirty'),
    };
  });
  info.breadcrumbs = await group
    .locator('.breadcrumbs-control .monaco-breadcrumb-item')
    .evaluateAll((items) => items.map((i) => (i.textContent ?? '').trim()).filter(Boolean))
    .catch(() => []);
  return info;
}

/** Drags the primary side bar's edge so the side bar is `width` pixels wide (for readable screenshots). */
export async function setSideBarWidth(page, width) {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  const sash = page.locator('.monaco-sash.primary-sidebar-sash').first();
  const box = await sash.boundingBox();
  if (!sidebar || !box) return;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (sidebar.x + width - x) / 2, y, { steps: 4 });
  await page.mouse.move(sidebar.x + width, y, { steps: 4 });
  await page.mouse.up();
  await waitFor(async () => Math.abs(((await page.locator('.part.sidebar').boundingBox())?.width ?? 0) - width) < 30, {
    timeout: 3000,
    message: `side bar width ${width}`,
  }).catch(() => {});
}

/** The cursor position from the status bar ("Ln 12, Col 3"): { line, column } or null. */
export async function cursorPosition(page) {
  const item = page.locator('[id="status.editor.selection"]').first();
  if ((await item.count()) === 0 || !(await item.isVisible())) return null;
  const text = (await item.textContent()) ?? '';
  const m = /Ln\s+(\d+),\s*Col\s+(\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : null;
}

/**
 * Waits until the active editor's tab title matches `title` and, when `line` is given, the
 * cursor is on that line (a number, an array of accepted lines, or a predicate).
 * Returns { editor, cursor }.
 */
export async function waitForActiveEditor(page, title, { line, timeout = DEFAULT_TIMEOUT } = {}) {
  const lineOk =
    line === undefined ? () => true : typeof line === 'function' ? line : Array.isArray(line) ? (l) => line.includes(l) : (l) => l === line;
  const lineText = line === undefined ? '' : typeof line === 'function' ? ' at the expected line' : ` at line ${[line].flat().join(' or ')}`;
  let editor = null;
  let cursor = null;
  await waitFor(
    async () => {
      editor = await activeEditor(page);
      cursor = await cursorPosition(page);
      if (!editor || !matches(editor.title, title)) return false;
      if (line === undefined) return true;
      return cursor !== null && lineOk(cursor.line);
    },
    { timeout, message: `editor ${describe(title)}${lineText}` },
  ).catch((err) => {
    throw new Error(`${err.message.replace(/ \(last value: false\)$/, '')}\nactive editor: ${JSON.stringify(editor)}, cursor: ${JSON.stringify(cursor)}`);
  });
  return { editor, cursor };
}

/** Messages of the visible notification toasts (and the notification center, when open). */
export async function notifications(page) {
  return page.$$eval('.notifications-toasts .notification-toast, .notifications-center .notification-list-item', (els) =>
    els
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({
        message: (el.querySelector('.notification-list-item-message')?.textContent ?? el.textContent ?? '').trim(),
        source: (el.querySelector('.notification-list-item-source')?.textContent ?? '').trim(),
        buttons: [...el.querySelectorAll('.monaco-button')].map((b) => (b.textContent ?? '').trim()),
      })),
  );
}

/** Waits for a notification whose message matches `text` (substring or RegExp); returns it. */
export async function waitForNotification(page, text, { timeout = DEFAULT_TIMEOUT } = {}) {
  let all = [];
  const wanted = text instanceof RegExp ? text : (m) => m.includes(text);
  return waitFor(
    async () => {
      all = await notifications(page);
      return all.find((n) => matches(n.message, wanted));
    },
    { timeout, message: `notification ${describe(text)}` },
  ).catch((err) => {
    throw new Error(`${err.message}\nnotifications: ${JSON.stringify(all)}`);
  });
}

/** Closes every notification toast (so screenshots show the view, not a toast). */
export async function clearNotifications(page) {
  const toasts = page.locator('.notifications-toasts .notification-toast .codicon-notifications-clear, .notifications-toasts .notification-toast .codicon-close');
  for (let i = (await toasts.count()) - 1; i >= 0; i--) await toasts.nth(i).click().catch(() => {});
}

/** Waits (best effort) until no progress bar runs in the side bar, e.g. before a screenshot. */
export async function waitForSideBarIdle(page, { timeout = 5000 } = {}) {
  await waitFor(
    async () =>
      page.$$eval('.part.sidebar .monaco-progress-container', (bars) =>
        bars.every((bar) => !bar.classList.contains('active') || bar.offsetParent === null || window.getComputedStyle(bar).display === 'none'),
      ),
    { timeout, message: 'the side bar to finish loading' },
  ).catch(() => {});
}

/** Moves the mouse to an empty spot of the title bar and waits (best effort) for hovers to close. */
export async function dismissHovers(page, { timeout = 3000 } = {}) {
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  await page.mouse.move(Math.round(size.width * 0.8), 8).catch(() => {});
  await waitFor(
    async () =>
      page.$$eval('.workbench-hover, .monaco-hover:not(.hidden), .custom-hover', (els) => els.every((el) => el.offsetParent === null)),
    { timeout, message: 'hovers to close' },
  ).catch(() => {});
}

// ---------------------------------------------------------------------------------------------
// Quick input, webviews, context menus and view title actions (rollback and comparison scenarios).

/**
 * Clicks the row of the open QuickPick whose label matches `matcher` (string, RegExp or predicate).
 * With `placeholder` (RegExp), only once the QuickPick saying it is up: a command that shows two
 * picks in a row would otherwise have its first one's rows matched.
 */
export async function pickQuickItem(page, matcher, { timeout = DEFAULT_TIMEOUT, placeholder } = {}) {
  const widget = page.locator('.quick-input-widget');
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  let labels = [];
  const index = await waitFor(
    async () => {
      if (!(await widget.isVisible())) return 0;
      if (placeholder && !placeholder.test((await widget.locator('.quick-input-box input').getAttribute('placeholder')) ?? '')) return 0;
      labels = await rows.evaluateAll((els) =>
        els.map((e) => ({ index: Number(e.getAttribute('data-index')), label: (e.querySelector('.label-name')?.textContent ?? e.getAttribute('aria-label') ?? '').trim() })),
      );
      const hit = labels.find((l) => matches(l.label, matcher));
      return hit ? hit.index + 1 : 0;
    },
    { timeout, message: `QuickPick item ${describe(matcher)}` },
  ).catch((err) => {
    throw new Error(`${err.message}\nitems: ${JSON.stringify(labels.map((l) => l.label))}`);
  });
  await widget.locator(`.quick-input-list .monaco-list-row[data-index="${index - 1}"]`).click();
}

/** Waits for an input box whose text matches `prompt`, types `text` (replacing its value) and accepts it. */
export async function typeIntoInputBox(page, text, prompt, { timeout = DEFAULT_TIMEOUT } = {}) {
  const widget = page.locator('.quick-input-widget');
  await waitFor(async () => (await widget.isVisible()) && prompt.test((await widget.textContent()) ?? ''), { timeout, message: `an input box saying ${prompt}` });
  const input = widget.locator('.quick-input-box input');
  await input.fill(text);
  await input.press('Enter');
}

/** The inner document of a webview that contains `selector` (code-server nests an iframe in an iframe). */
export async function webviewFrame(page, selector, { timeout = DEFAULT_TIMEOUT, message } = {}) {
  return waitFor(
    async () => {
      for (const frame of page.frames()) {
        if ((await frame.$(selector).catch(() => null)) !== null) return frame;
      }
      return null;
    },
    { timeout, message: message ?? `a webview showing ${selector}` },
  );
}

/** Labels of the items of the open context menu (separators left out). */
export async function contextMenuItems(page) {
  return page.$$eval('.context-view .monaco-menu .action-item:not(.disabled) .action-label', (els) =>
    els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()).filter(Boolean),
  );
}

/** Right-clicks the row at `labelPath` and runs the context menu item labelled `item` (exact or RegExp). */
export async function runContextMenuItem(page, viewName, labelPath, item, { timeout = DEFAULT_TIMEOUT } = {}) {
  const row = await waitForRow(page, viewName, labelPath, { timeout });
  const loc = rowLocator(page, viewName, row);
  await loc.scrollIntoViewIfNeeded();
  let items = [];
  await waitFor(
    async () => {
      if (!(await page.locator('.context-view .monaco-menu').isVisible().catch(() => false))) {
        await loc.locator('.monaco-icon-label, .monaco-highlighted-label').first().click({ button: 'right' });
      }
      items = await contextMenuItems(page);
      return items.some((l) => matches(l, item));
    },
    { timeout, interval: 300, message: `context menu item ${describe(item)} on ${labelPath.map(describe).join(' › ')}` },
  ).catch((err) => {
    throw new Error(`${err.message}\nmenu: ${JSON.stringify(items)}`);
  });
  await chooseMenuItem(page, (l) => matches(l, item), timeout);
}

/**
 * Runs an item of the open context menu. The menu acts on the focused item's Enter: a mouse click
 * that lands right after the menu opened is ignored by the workbench.
 */
async function chooseMenuItem(page, predicate, timeout) {
  const menu = page.locator('.context-view .monaco-menu');
  const all = await page.$$eval('.context-view .monaco-menu .action-item', (els) =>
    els.map((e) => {
      const label = e.querySelector('.action-label');
      return e.classList.contains('disabled') || !label ? '' : (label.getAttribute('aria-label') ?? label.textContent ?? '').trim();
    }),
  );
  const index = all.findIndex((l) => l !== '' && predicate(l));
  if (index < 0) throw new Error(`no such menu item; menu: ${JSON.stringify(all.filter(Boolean))}`);
  const item = page.locator('.context-view .monaco-menu .action-item').nth(index);
  await waitFor(
    async () => {
      if (!(await menu.isVisible().catch(() => false))) return true;
      await item.hover();
      if (await item.evaluate((el) => el.classList.contains('focused')).catch(() => false)) await page.keyboard.press('Enter');
      return false;
    },
    { timeout, interval: 250, message: 'the context menu item to run' },
  );
}

/**
 * Runs a view title action of the side bar: the toolbar button whose label matches `label`, or
 * the item of its "More Actions..." menu.
 */
export async function runViewTitleAction(page, label, { timeout = DEFAULT_TIMEOUT } = {}) {
  const bar = page.locator('.part.sidebar .composite.title .actions-container, .part.sidebar .pane-header .actions-container');
  const inline = bar.locator(`.action-label[aria-label="${cssString(label)}"]`);
  if ((await inline.count()) > 0 && (await inline.first().isVisible())) {
    await inline.first().click();
    return;
  }
  const more = bar.locator('.action-label.codicon-toolbar-more, .action-label.codicon-more').first();
  let items = [];
  await waitFor(
    async () => {
      if (!(await page.locator('.context-view .monaco-menu').isVisible().catch(() => false))) await more.click();
      items = await contextMenuItems(page);
      return items.includes(label);
    },
    { timeout, interval: 300, message: `view title action "${label}"` },
  ).catch((err) => {
    throw new Error(`${err.message}\nmenu: ${JSON.stringify(items)}`);
  });
  await chooseMenuItem(page, (l) => l === label, timeout);
}

/** Titles of the editor tabs of every group: [{ title, ariaLabel, active }]. */
export async function editorTabs(page) {
  return page.$$eval('.part.editor .tabs-container .tab', (tabs) =>
    tabs.map((t) => ({
      title: (t.querySelector('.label-name')?.textContent ?? t.getAttribute('data-resource-name') ?? '').trim(),
      ariaLabel: t.getAttribute('aria-label') ?? '',
      active: t.classList.contains('active'),
    })),
  );
}

/**
 * Closes every notification through "Notifications: Clear All Notifications" and waits until no
 * toast shows (clicking a toast's close button needs a hover first, or the click waits it out).
 */
export async function clearAllNotifications(page, { timeout = DEFAULT_TIMEOUT } = {}) {
  if ((await notifications(page)).length === 0) return;
  await runCommand(page, 'Notifications: Clear All Notifications', { timeout });
  await waitFor(async () => (await notifications(page)).length === 0, { timeout: 5000, message: 'the notifications to close' });
}

/** Text of every after-line decoration (drift hint) on the visible lines of the active editor, with its line's top. */
export async function afterLineHints(page) {
  return page.$$eval('.part.editor .editor-group-container.active .view-line', (lines) => {
    const out = [];
    for (const line of lines) {
      const top = parseFloat(line.style.top || '0');
      for (const span of line.querySelectorAll('span')) {
        const after = window.getComputedStyle(span, '::after').content;
        const text = after && after !== 'none' && after !== 'normal' ? after.replace(/^"|"$/g, '') : '';
        const own = span.textContent ?? '';
        if (text.includes('live') || own.includes('⟵')) out.push({ top, text: text || own });
      }
    }
    return out;
  });
}

/** Texts of the CodeLens entries in the active editor. */
export async function codeLenses(page) {
  return page.$$eval('.part.editor .editor-group-container.active .codelens-decoration a, .part.editor .editor-group-container.active .codelens-decoration span', (els) =>
    els.map((e) => (e.textContent ?? '').trim()).filter(Boolean),
  );
}
