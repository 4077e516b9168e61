/**
 * The first markdown rendered after start pays for JIT compilation, the first code coloured for
 * highlight.js compiling its grammars, and the first text laid out in a font face (code, bold,
 * italic) for finding that font: a synchronous request to the browser process on Linux, 1–2 ms each
 * and far longer when the machine is busy, which the bench saw inside the first long reply's frames.
 * Doing all that once while the app is idle keeps it off the first conversation opened.
 */
import { highlightCode } from './highlight';
import { renderMarkdownFragment } from './render';

/**
 * What replies are made of, with every font face they use (body and code; regular, bold and italic;
 * each heading size, since every size of a face is a font request of its own).
 */
const SAMPLE = [
  '# Title `code`',
  '## Section `code`',
  '### Part `code`',
  '',
  'Some *text* with `code`, a [link](https://ollama.com), **bold**, ***both***, **`bold code`** and *`italic code`*.',
  '',
  '- a list',
  '- of items',
  '',
  '| **a** | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '> a quote',
  '',
  '```text',
  'a code block',
  '```',
  ''
].join('\n');
const LANGUAGES = ['python', 'javascript', 'typescript', 'bash', 'json', 'go', 'rust', 'java', 'cpp', 'sql'];

/**
 * Renders the sample the way a reply is rendered (JIT) and lays it out once, out of sight: fonts are
 * looked up when text is shaped, in layout.
 */
function renderAndLayOutSample(): void {
  const probe = document.createElement('div');
  probe.className = 'markdown';
  probe.setAttribute('aria-hidden', 'true');
  probe.style.cssText =
    'position:fixed;left:-10000px;top:0;width:40rem;visibility:hidden;pointer-events:none';
  probe.append(renderMarkdownFragment(SAMPLE));
  document.body.append(probe);
  void probe.offsetHeight;
  probe.remove();
}

let started = false;

export function warmUpMarkdown(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  const queue: (() => void)[] = [
    renderAndLayOutSample,
    ...LANGUAGES.map((lang) => () => highlightCode('let x = "a"; // c\nfn(1, 2)', lang))
  ];
  const step = (deadline?: IdleDeadline) => {
    // One sample per idle slot: each is a few milliseconds at most.
    do {
      const next = queue.shift();
      if (next === undefined) return;
      next();
    } while (deadline && deadline.timeRemaining() > 8);
    schedule();
  };
  const schedule = () => {
    if ('requestIdleCallback' in window) window.requestIdleCallback(step, { timeout: 2000 });
    else setTimeout(step, 50);
  };
  schedule();
}
