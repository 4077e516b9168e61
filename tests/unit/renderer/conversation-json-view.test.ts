// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import JsonView from '../../../renderer/src/lib/json-view/JsonView.svelte';
import { formatPath, pointerToPath } from '../../../renderer/src/lib/json-view/json-path';
import { detectJson, lineAndColumn, parseJson } from '../../../renderer/src/lib/json-view/json-text';

afterEach(() => cleanup());

describe('json paths and text', () => {
  it('formats paths as accessors and converts JSON pointers', () => {
    expect(formatPath([])).toBe('$');
    expect(formatPath(['items', 0, 'name'])).toBe('$.items[0].name');
    expect(formatPath(['a key', 'x-y'])).toBe('$["a key"]["x-y"]');
    expect(pointerToPath('/items/0/a~1b')).toBe('$.items[0]["a/b"]');
    expect(pointerToPath('')).toBe('$');
  });

  it('reports where a truncated or broken text stops being JSON', () => {
    const cut = parseJson('{"items": [1, 2, 3');
    expect(cut.ok).toBe(false);
    expect(!cut.ok && cut.position).toBe(18);
    const broken = parseJson('{\n  "a": 1,\n  "b": tru\n}');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(lineAndColumn('{\n  "a": 1,\n  "b": tru\n}', broken.position).line).toBe(3);
  });

  it('finds JSON in a reply that is only JSON, bare or in one json block', () => {
    expect(detectJson('{"a": 1}')?.value).toEqual({ a: 1 });
    expect(detectJson('```json\n[1, 2]\n```')?.value).toEqual([1, 2]);
    expect(detectJson('Here it is: {"a": 1}')).toBeNull();
    expect(detectJson('{"a": ')).toBeNull();
  });
});

describe('JsonView', () => {
  const copied: string[] = [];
  const copy = async (text: string) => {
    copied.push(text);
    return true;
  };

  it('shows typed values, opens nodes on demand, and copies a node path and value', async () => {
    const value = {
      name: 'Ada',
      langs: ['en', 'fr'],
      age: 36,
      admin: false,
      boss: null,
      deep: { x: { y: 1 } }
    };
    render(JsonView, { value, raw: JSON.stringify(value), copy, label: 'JSON reply' });
    const tree = screen.getByRole('list', { name: 'JSON reply' });
    expect(tree.textContent).toContain('"Ada"');
    const shown = (kind: string) =>
      [...tree.querySelectorAll('li')].find((li) => li.dataset['kind'] === kind)?.querySelector('.v');
    expect(shown('number')?.textContent).toBe('36');
    expect(shown('number')?.classList.contains('number')).toBe(true);
    expect(shown('boolean')?.textContent).toBe('false');
    expect(shown('null')?.textContent).toBe('null');
    expect(shown('string')?.textContent).toBe('"Ada"');
    // First level is shown, deeper levels are not rendered until opened.
    expect(tree.textContent).not.toContain('"fr"');
    const langs = screen.getByRole('button', { name: 'langs: [2 items]' });
    expect(langs.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(langs);
    expect(langs.getAttribute('aria-expanded')).toBe('true');
    expect(tree.textContent).toContain('"fr"');

    await fireEvent.click(screen.getByRole('button', { name: 'Copy path $.langs[1]' }));
    expect(copied.at(-1)).toBe('$.langs[1]');
    await fireEvent.click(screen.getByRole('button', { name: 'Copy value of $.deep' }));
    expect(JSON.parse(copied.at(-1)!)).toEqual({ x: { y: 1 } });
    expect(screen.getByRole('status').textContent).toContain('Copied');
  });

  it('expands and collapses everything, and switches to the raw text', async () => {
    const value = { a: { b: { c: { d: 'deepest' } } } };
    render(JsonView, { value, raw: '{"a":{"b":{"c":{"d":"deepest"}}}}', copy });
    const tree = screen.getByRole('list', { name: 'JSON' });
    expect(tree.textContent).not.toContain('deepest');
    await fireEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(tree.textContent).toContain('"deepest"');
    await fireEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(tree.textContent).not.toContain('deepest');
    await fireEvent.click(screen.getByRole('button', { name: 'Pretty' }));
    expect(screen.getByLabelText('Pretty JSON').textContent).toBe(JSON.stringify(value, null, 2));
    await fireEvent.click(screen.getByRole('button', { name: 'Raw' }));
    expect(screen.getByLabelText('Raw JSON').textContent).toBe('{"a":{"b":{"c":{"d":"deepest"}}}}');
  });

  it('renders a long array a page at a time', async () => {
    const value = Array.from({ length: 250 }, (_, i) => i);
    const view = render(JsonView, { value, raw: JSON.stringify(value), copy });
    expect(view.container.querySelectorAll('[data-kind="number"]')).toHaveLength(100);
    await fireEvent.click(screen.getByRole('button', { name: 'Show 100 more of 150' }));
    expect(view.container.querySelectorAll('[data-kind="number"]')).toHaveLength(200);
  });
});
