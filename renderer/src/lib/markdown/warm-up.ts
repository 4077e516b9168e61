/**
 * The first markdown rendered after start pays for JIT compilation, and the first code coloured for
 * highlight.js compiling its grammars. Doing that once while the app is idle keeps it off the first
 * conversation opened.
 */
import { highlightCode } from './highlight';
import { renderMarkdown } from './render';

const SAMPLE = [
  '# Title',
  '',
  'Some *text* with `code`, a [link](https://ollama.com) and **bold**.',
  '',
  '- a list',
  '- of items',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '> a quote',
  ''
].join('\n');
const LANGUAGES = ['python', 'javascript', 'typescript', 'bash', 'json', 'go', 'rust', 'java', 'cpp', 'sql'];

let started = false;

export function warmUpMarkdown(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  const queue: (() => void)[] = [
    () => renderMarkdown(SAMPLE),
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
