/**
 * Markdown → sanitized DOM for model output, which is untrusted. Raw HTML in the source is shown as
 * text (never interpreted), images become links (nothing is fetched on the model's behalf), and the
 * result still goes through DOMPurify so that no script, handler or `javascript:` URL survives.
 *
 * DOMPurify parses into an inert document of its own (no script runs, no image loads there) and hands
 * back the sanitized nodes as a fragment: no serializing and no second parse before they go into the page.
 * TeX math is typeset by KaTeX into slots left in that fragment, sanitized on its own (math.ts).
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';
import { canHighlight, codeLanguage, escapeHtml } from './highlight';
import { fillMathSlots, mathExtensions, startMathDocument } from './math';

const marked = new Marked(
  {
    gfm: true,
    breaks: false,
    async: false,
    renderer: {
      html(token: Tokens.HTML | Tokens.Tag): string {
        const text = escapeHtml(token.text);
        return token.block ? `<p class="raw-html">${text}</p>` : text;
      },
      image(token: Tokens.Image): string {
        const label = escapeHtml(token.text || token.href);
        return `<a href="${escapeHtml(token.href)}" class="image-link">${label}</a>`;
      },
      code(token: Tokens.Code): string {
        // Plain escaped code: it is highlighted later, once it is near the view (code-highlighter.ts),
        // so a long reply does not pay for colouring code nobody has scrolled to.
        const language = codeLanguage(token.lang);
        const label = language ? `<span class="code-lang">${escapeHtml(language)}</span>` : '';
        const attrs = language
          ? ` class="hljs language-${escapeHtml(language)}"${
              canHighlight(language) ? ` data-lang="${escapeHtml(language)}"` : ''
            }`
          : ' class="hljs"';
        return (
          `<div class="code-block"><div class="code-bar">${label}` +
          `<button type="button" class="copy-code" data-copy-code="">Copy code</button></div>` +
          `<pre><code${attrs}>${escapeHtml(token.text)}</code></pre></div>\n`
        );
      }
    }
  },
  { extensions: mathExtensions }
);

/** Only these link targets are kept; everything else (javascript:, data:, file:) loses its href. */
const SAFE_HREF = /^(https?:|mailto:)/i;

let purify: ReturnType<typeof DOMPurify> | null = null;

/** Our own DOMPurify instance: its hooks touch no one else's, and its config is parsed once. */
function purifier(): ReturnType<typeof DOMPurify> {
  if (purify) return purify;
  const instance = DOMPurify(window);
  instance.setConfig({
    FORBID_TAGS: [
      'style',
      'form',
      'iframe',
      'frame',
      'object',
      'embed',
      'img',
      'svg',
      'math',
      'video',
      'audio'
    ],
    FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
    ALLOW_DATA_ATTR: true,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    RETURN_DOM_FRAGMENT: true
  });
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href');
      if (href !== null && !SAFE_HREF.test(href.trim())) node.removeAttribute('href');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    // Task-list checkboxes are display only.
    if (node.tagName === 'INPUT') node.setAttribute('disabled', '');
  });
  purify = instance;
  return instance;
}

/**
 * Renders one markdown document (or one self-contained block of it) into a sanitized fragment.
 * Move its nodes into the page, or import a copy when the fragment is kept (cached).
 */
export function renderMarkdownFragment(source: string): DocumentFragment {
  if (source === '') return document.createDocumentFragment();
  startMathDocument();
  const html = marked.parse(source) as string;
  const fragment = purifier().sanitize(html) as unknown as DocumentFragment;
  fillMathSlots(fragment);
  return fragment;
}

/** The same, as an HTML string (for tests and for anything that needs text). */
export function renderMarkdown(source: string): string {
  const holder = document.createElement('div');
  holder.append(renderMarkdownFragment(source));
  return holder.innerHTML;
}
