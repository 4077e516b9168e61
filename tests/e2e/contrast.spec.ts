/**
 * Contrast as rendered, in the light and the dark theme: every highlight.js token class our styles
 * colour, and every token a reply's code actually produced, keeps 4.5:1 (WCAG AA) against the code
 * block behind it; every visible text of the chat, the Models screen (with its badges) and the Loaded
 * models panel keeps 4.5:1 (3:1 when large); the edges of inputs, selects and outlined buttons keep
 * 3:1. Colours are read from getComputedStyle and backgrounds composited up the tree, so what is
 * measured is what the user sees, whatever the CSS variables say.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { lastReply, newChat, replyDone, sendWithEnter } from './chat-page';

const REPLY = [
  'Code in a few languages, with `inline code` and a [link](https://example.com).',
  '',
  '> A quote.',
  '',
  '```python',
  '# a comment',
  '@decorator',
  'class Model(Base):',
  '    """Doc string."""',
  '    def size(self, n: int = 42) -> str:',
  "        return f'{n} GB' if True else None",
  '```',
  '',
  '```typescript',
  'interface Props { name: string }',
  'const re = /a+b/g; let x: number = 0x1f; // note',
  'export function title<T>(v: T): string { return `v=${v}`; }',
  '```',
  '',
  '```html',
  '<!DOCTYPE html>',
  '<div class="x" id="y"><!-- c --></div>',
  '```',
  '',
  '```css',
  '.a #b > p::before { color: #fff; margin: 1px !important; }',
  '@media (min-width: 10px) {}',
  '```',
  '',
  '```diff',
  '- old',
  '+ new',
  '@@ -1 +1 @@',
  '```',
  '',
  '```bash',
  'export A=1; echo "$A" | grep -v x # c',
  '```',
  '',
  '```sql',
  "SELECT name, COUNT(*) FROM models WHERE size > 10 AND name LIKE 'g%';",
  '```',
  '',
  '```yaml',
  'key: value',
  'list: [1, true, null]',
  '```',
  '',
  '```markdown',
  '# Title',
  '- **bold** _em_ `code`',
  '```',
  '',
  '```rust',
  'fn main() { let s: &\'static str = "x"; println!("{}", s); }',
  '```'
].join('\n');

interface Failure {
  what: string;
  color: string;
  background: string;
  ratio: number;
  needed: number;
}

/**
 * Runs in the page: measures the contrast of text (and, for controls, of their edge) against the
 * background composited from the element up to the page.
 */
async function measure(
  root: Locator,
  mode: 'text' | 'tokens' | 'controls'
): Promise<{ failures: Failure[]; measured: number }> {
  return root.evaluate((rootEl, mode) => {
    type Rgba = [number, number, number, number];
    const probe = document.createElement('canvas').getContext('2d')!;
    // Any CSS colour the engine reports (rgb(), color(srgb …), oklab…) is read back as sRGB bytes.
    const parse = (css: string): Rgba => {
      probe.clearRect(0, 0, 1, 1);
      probe.fillStyle = '#000';
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
      return [r!, g!, b!, a! / 255];
    };
    const over = (top: Rgba, under: Rgba): Rgba => {
      const a = top[3] + under[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i]! * top[3] + under[i]! * under[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const backgroundOf = (el: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let node: Element | null = el; node; node = node.parentElement) {
        const bg = parse(getComputedStyle(node).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let result: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (v: number) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    const hex = (c: Rgba) =>
      '#' +
      c
        .slice(0, 3)
        .map((v) => Math.round(v).toString(16).padStart(2, '0'))
        .join('');
    const visible = (el: Element) => {
      const rects = el.getClientRects();
      if (rects.length === 0) return false;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') return false;
      // Visually hidden helpers (1px, clipped) are for screen readers only.
      return [...rects].some((r) => r.width > 1 && r.height > 1);
    };
    const inactive = (el: Element) =>
      el.closest('[disabled], [aria-disabled="true"], .katex-mathml') !== null ||
      (() => {
        for (let node: Element | null = el; node; node = node.parentElement) {
          if (Number(getComputedStyle(node).opacity) < 1) return true;
        }
        return false;
      })();

    const failures: Failure[] = [];
    let measured = 0;
    const check = (el: Element, what: string, color: Rgba, needed: number) => {
      measured += 1;
      const bg = backgroundOf(el);
      const fg = over(color, bg);
      const r = ratio(fg, bg);
      if (r < needed) {
        failures.push({
          what,
          color: hex(fg),
          background: hex(bg),
          ratio: Math.round(r * 100) / 100,
          needed
        });
      }
    };
    const textNeed = (el: Element) => {
      const style = getComputedStyle(el);
      const px = parseFloat(style.fontSize);
      const large = px >= 24 || (px >= 18.66 && Number(style.fontWeight) >= 700);
      return large ? 3 : 4.5;
    };

    if (mode === 'tokens') {
      const code = rootEl.querySelector('pre code.hljs')!;
      // Every class combination the stylesheets colour (".hljs-title.function_" and the like)…
      const combos = new Set<string>();
      for (const sheet of document.styleSheets) {
        for (const rule of sheet.cssRules) {
          if (!(rule instanceof CSSStyleRule)) continue;
          for (const selector of rule.selectorText.split(',')) {
            const last = selector.trim().split(/\s+/).at(-1) ?? '';
            if (last.includes('.hljs-')) combos.add(last.replace(/^[^.]*/, ''));
          }
        }
      }
      for (const combo of combos) {
        const span = document.createElement('span');
        span.className = combo.split('.').filter(Boolean).join(' ');
        span.textContent = 'token';
        code.append(span);
        check(span, `class ${combo}`, parse(getComputedStyle(span).color), 4.5);
        span.remove();
      }
      // …and every token the highlighter really produced in the reply.
      for (const token of rootEl.querySelectorAll('pre code [class^="hljs-"], pre code [class*=" hljs-"]')) {
        check(
          token,
          `token .${token.className} "${token.textContent?.slice(0, 20)}"`,
          parse(getComputedStyle(token).color),
          4.5
        );
      }
      return { failures, measured };
    }

    if (mode === 'controls') {
      const controls = rootEl.querySelectorAll(
        'input:not([type=checkbox]):not([type=radio]), select, textarea, button.secondary'
      );
      for (const el of controls) {
        if (!visible(el) || inactive(el)) continue;
        const style = getComputedStyle(el);
        if (parseFloat(style.borderTopWidth) === 0) continue;
        const edge = parse(style.borderTopColor);
        const behind = backgroundOf(el.parentElement!);
        measured += 1;
        const r = ratio(over(edge, behind), behind);
        if (r < 3) {
          failures.push({
            what: `edge of ${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30)}"`,
            color: hex(over(edge, behind)),
            background: hex(behind),
            ratio: Math.round(r * 100) / 100,
            needed: 3
          });
        }
      }
      return { failures, measured };
    }

    const walker = document.createTreeWalker(rootEl, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || seen.has(el) || (node.textContent ?? '').trim() === '') continue;
      seen.add(el);
      if (!visible(el) || inactive(el)) continue;
      check(
        el,
        `text "${(node.textContent ?? '').trim().slice(0, 40)}" (${el.className || el.tagName.toLowerCase()})`,
        parse(getComputedStyle(el).color),
        textNeed(el)
      );
    }
    return { failures, measured };
  }, mode);
}

async function setTheme(app: Page, label: 'Light' | 'Dark') {
  await app.getByRole('button', { name: 'Settings' }).click();
  const dialog = app.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('radio', { name: label, exact: true }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', label.toLowerCase());
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
}

for (const theme of ['Light', 'Dark'] as const) {
  test(`${theme} theme: text, code tokens, badges and control edges keep their contrast`, async ({
    app,
    fake,
    harness
  }) => {
    fake.setScenario({ reply: REPLY });
    fake.loadModel('gemma3:4b');
    await harness.clickTray('refresh');
    await setTheme(app, theme);
    await newChat(app);
    await sendWithEnter(app, 'Show me some code');
    await replyDone(app);

    const reply = lastReply(app);
    // Highlighting waits until a block is near the view: bring each one in.
    const blocks = reply.locator('pre code');
    await expect(blocks).toHaveCount(10);
    for (const block of await blocks.all()) {
      await block.scrollIntoViewIfNeeded();
      await expect(block.locator('[class^="hljs-"]').first()).toBeAttached();
    }

    const tokens = await measure(reply, 'tokens');
    expect(tokens.failures).toEqual([]);
    // Every styled class (about 30) plus the reply's real tokens were measured.
    expect(tokens.measured).toBeGreaterThan(100);
    const text = await measure(app.locator('body'), 'text');
    expect(text.failures).toEqual([]);
    expect(text.measured).toBeGreaterThan(30);
    const controls = await measure(app.locator('body'), 'controls');
    expect(controls.failures).toEqual([]);
    // The composer's model menu, the search box…
    expect(controls.measured).toBeGreaterThan(1);

    await app.getByRole('button', { name: 'Models', exact: true }).click();
    const models = app.getByRole('dialog', { name: 'Models' });
    await expect(models.getByText(/^loaded · /)).toBeVisible();
    await expect(models.getByText('vision', { exact: true })).toBeVisible();
    expect((await measure(models, 'text')).failures).toEqual([]);
    expect((await measure(models, 'controls')).failures).toEqual([]);
    await app.keyboard.press('Escape');

    await app.getByRole('button', { name: 'Loaded models', exact: true }).click();
    const loaded = app.getByRole('dialog', { name: 'Loaded models' });
    await expect(loaded.getByRole('listitem', { name: 'gemma3:4b' })).toBeVisible();
    expect((await measure(loaded, 'text')).failures).toEqual([]);
    expect((await measure(loaded, 'controls')).failures).toEqual([]);
  });
}
