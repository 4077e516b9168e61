/**
 * TeX math in a streamed reply, as the user sees it: `$$…$$`, `\(…\)`, `$…$` and `\[…\]` are typeset
 * by KaTeX with its own fonts (bundled: the CSP allows no remote font, and a blocked one would be a
 * console error, which fails the test), code keeps its dollars, and a <script> or a javascript: link
 * written inside TeX does nothing.
 */
import { test, expect } from './fixtures';
import { lastReply, newChat, replyDone, sendWithEnter } from './chat-page';

const REPLY = [
  'Energy and mass: $$E = mc^2$$',
  '',
  'The square \\(a^2\\) of $a$, for $5 or $10.',
  '',
  '\\[',
  '\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}',
  '\\]',
  '',
  'Try $<script>window.__pwned = 1</script>$ or $\\href{javascript:window.__pwned=2}{this link}$.',
  '',
  'In code: `$x$` and',
  '',
  '```tex',
  '$$\\sqrt{2}$$',
  '```'
].join('\n');

test('math is typeset with bundled fonts; code keeps its dollars; script in TeX stays inert', async ({
  app,
  fake
}) => {
  fake.setScenario({ reply: REPLY });
  await newChat(app);
  await sendWithEnter(app, 'Some math, please');
  await replyDone(app);

  const reply = lastReply(app);
  // KaTeX's MathML is what assistive technology reads: one math element per formula.
  const math = reply.getByRole('math');
  await expect(math).toHaveCount(5);
  await expect(reply).toContainText('for $5 or $10.');
  await expect(reply).not.toContainText('$$E = mc^2$$');
  await expect(reply).not.toContainText('(a^2)');
  // Displayed formulas sit on their own line.
  const display = reply.locator('.katex-display');
  await expect(display).toHaveCount(2);

  // Code is untouched.
  await expect(reply.getByText('$x$', { exact: true })).toBeVisible();
  await expect(reply.locator('pre code')).toHaveText('$$\\sqrt{2}$$');

  // KaTeX's stylesheet applies (the MathML copy is visually hidden) and its fonts are loaded.
  const fonts = await app.evaluate(async () => {
    await document.fonts.ready;
    const katex = document.querySelector('.katex');
    const mathml = document.querySelector('.katex-mathml');
    return {
      family: katex ? getComputedStyle(katex).fontFamily : '',
      mathmlClip: mathml ? getComputedStyle(mathml).clipPath : '',
      loaded: [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').length
    };
  });
  expect(fonts.family).toContain('KaTeX_Main');
  expect(fonts.mathmlClip).toContain('inset');
  expect(fonts.loaded).toBeGreaterThan(0);

  // Nothing from inside TeX ran or became a link.
  expect(await app.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(reply.locator('script')).toHaveCount(0);
  await expect(reply.getByRole('link')).toHaveCount(0);
  await expect(reply.locator('.katex [href], .katex [src], .katex [onerror], .katex [onclick]')).toHaveCount(
    0
  );
});
