// Runs inside a production install (see production-install.test.ts) under plain Node: loads the built
// main bundle with node_modules/electron being the recording fake, drives it a little through its
// IPC handlers as our own window, and prints what happened as one JSON line.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { record, app } = require('electron');
// As in an installed app, so the bundle hands electron-updater to the core.
app.isPackaged = true;

const lines = [];
const original = console.log;
console.log = (...args) => lines.push(args.join(' '));
process.on('uncaughtException', (error) => lines.push(`uncaught: ${error?.stack ?? error}`));
process.on('unhandledRejection', (error) => lines.push(`unhandled: ${error?.stack ?? error}`));

async function until(probe, what, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const report = { ok: false };
try {
  await import(new URL('./out/main/index.js', import.meta.url).href);
  const window = await until(() => record.windows[0], 'the main window');
  const sender = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
  const invoke = (name, input) => record.handlers.get(`ollama-desk:call:${name}`)(sender, input);
  report.loaded = window.loaded;
  report.handlers = [...record.handlers.keys()].length;
  report.info = await invoke('app:info', undefined);
  report.profiles = await invoke('profiles:list', undefined);
  report.tray = record.trays.length;
  // Turning updates on loads electron-updater (from this install) and runs one check with it.
  await invoke('settings:set', { checkForUpdates: true });
  report.update = await until(async () => {
    const state = await invoke('updates:state', undefined);
    return state.ok && state.value.phase !== 'checking' ? state : null;
  }, 'the update check');
  report.ok = true;
} catch (error) {
  report.error = String(error?.stack ?? error);
}
report.log = lines;
original(JSON.stringify(report));
process.exit(0);
