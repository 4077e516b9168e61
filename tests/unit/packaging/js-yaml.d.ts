// js-yaml comes with electron-builder and electron-updater, without types; the workflow test only
// parses with it.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
