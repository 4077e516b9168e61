/**
 * Clicks inside rendered model output: links never navigate the app (they open in the system browser
 * when they are http(s) or mailto), and "Copy code" buttons copy their block's code.
 */

export interface MarkdownActions {
  openExternal(url: string): void;
  copy(text: string): Promise<boolean>;
}

const EXTERNAL = /^(https?:|mailto:)/i;

/** An attachment (`{@attach markdownInteractions(actions)}`) for the element holding rendered HTML. */
export function markdownInteractions(actions: MarkdownActions) {
  return (node: HTMLElement) => {
    const onClick = (event: MouseEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      if (!target) return;
      const link = target.closest('a');
      if (link && node.contains(link)) {
        event.preventDefault();
        const href = link.getAttribute('href');
        if (href && EXTERNAL.test(href) && event.type === 'click') actions.openExternal(link.href);
        return;
      }
      const button = target.closest('button[data-copy-code]');
      if (button instanceof HTMLButtonElement && node.contains(button) && event.type === 'click') {
        const code = button.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
        void actions.copy(code).then((ok) => {
          button.textContent = ok ? 'Copied' : 'Copy failed';
          setTimeout(() => (button.textContent = 'Copy code'), 1500);
        });
      }
    };
    node.addEventListener('click', onClick);
    // Middle-click would otherwise try to open a new window.
    node.addEventListener('auxclick', onClick);
    return () => {
      node.removeEventListener('click', onClick);
      node.removeEventListener('auxclick', onClick);
    };
  };
}
