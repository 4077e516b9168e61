/**
 * Conversation titles: what models answer to the title prompt, made into plain text for the list.
 */
import { describe, expect, it } from 'vitest';
import { cleanTitle, fallbackTitle } from '../../../electron/main/core/chat/title';

describe('cleanTitle', () => {
  it.each([
    ['Python Greeting Function', 'Python Greeting Function'],
    ['"Python Greeting Function"', 'Python Greeting Function'],
    ['"\'Nested quotes\'"', 'Nested quotes'],
    ['Title: Sorting a List', 'Sorting a List'],
    ['**Title:** Sorting a List', 'Sorting a List'],
    ['# Sorting a List', 'Sorting a List'],
    ['- Sorting a List', 'Sorting a List'],
    ['**Sorting a List**', 'Sorting a List'],
    ['Here is a **table** and some code:', 'Here is a table and some code'],
    ['Using *async* iterators', 'Using async iterators'],
    ['The `fetch` API and _streams_', 'The fetch API and streams'],
    ['Reading snake_case_names and 2*3*4', 'Reading snake_case_names and 2*3*4'],
    ['Ends with a full stop.', 'Ends with a full stop'],
    ['<think>The user wants a title.</think>\nWeather in Paris', 'Weather in Paris'],
    ['\n\n  Leading blank lines  \nsecond line', 'Leading blank lines']
  ])('%j → %j', (raw, title) => {
    expect(cleanTitle(raw)).toBe(title);
  });

  it('is empty when nothing usable is left', () => {
    expect(cleanTitle('<think>hmm</think>')).toBe('');
    expect(cleanTitle('""')).toBe('');
    expect(cleanTitle('**')).toBe('');
  });

  it('cuts a long answer at a word, with an ellipsis', () => {
    const title = cleanTitle(`${'word '.repeat(30)}end`);
    expect(title.length).toBeLessThanOrEqual(81);
    expect(title.endsWith('word…')).toBe(true);
  });
});

describe('fallbackTitle', () => {
  it("is the first six words of the user's message", () => {
    expect(fallbackTitle('How do I  sort a list\nin Python quickly?')).toBe('How do I sort a list…');
    expect(fallbackTitle('Short one')).toBe('Short one');
  });
});
