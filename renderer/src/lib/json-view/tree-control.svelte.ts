/**
 * Shared by every node of one JSON tree: "expand all" / "collapse all" as a generation counter that
 * nodes react to, with a budget so expanding a 1 MB reply renders a readable amount, not all of it.
 */
import { createContext } from 'svelte';
import type { JsonPath } from './json-path';

/** Nodes opened by one "expand all"; deeper ones stay collapsed until asked. */
const EXPAND_BUDGET = 2_000;

export class TreeControl {
  generation = $state(0);
  mode = $state<'expand' | 'collapse' | null>(null);
  private budget = 0;
  readonly copy: (what: 'value' | 'path', path: JsonPath, value: unknown) => void;

  constructor(copy: TreeControl['copy']) {
    this.copy = copy;
  }

  expandAll(): void {
    this.budget = EXPAND_BUDGET;
    this.mode = 'expand';
    this.generation += 1;
  }

  collapseAll(): void {
    this.mode = 'collapse';
    this.generation += 1;
  }

  /** Whether a node with this many children may open in the current "expand all". */
  take(children: number): boolean {
    if (this.mode !== 'expand' || this.budget <= 0) return false;
    this.budget -= Math.max(1, children);
    return true;
  }
}

// Svelte's typed context pair: the getter throws when a node renders outside JsonView.
export const [getTreeControl, setTreeControl] = createContext<TreeControl>();
