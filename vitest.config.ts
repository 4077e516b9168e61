import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { resolve } from 'node:path';

// Unit, integration and component tests. Component tests opt into jsdom with a
// `// @vitest-environment jsdom` comment at their top; everything else runs under plain Node.
export default defineConfig({
  plugins: [svelte({ hot: false })],
  resolve: {
    alias: { '@shared': resolve(import.meta.dirname, 'shared') },
    conditions: process.env.VITEST ? ['browser'] : []
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/fake-ollama/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: keep parallelism modest so timing-sensitive stream tests stay stable.
    maxWorkers: 2,
    // The main smoke test loads the built bundle with `electron` faked; electron-store imports
    // electron itself, so it must go through vitest's module graph to see the fake.
    server: { deps: { inline: ['electron-store'] } }
  }
});
