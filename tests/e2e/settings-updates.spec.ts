/**
 * Settings → "Check for updates" in the real UI over the harness: off on a fresh install, switched on
 * from the keyboard, kept across a reload (it lives in main's settings), and, since the harness (like
 * a copy run from source) cannot update itself, it says so instead of offering anything.
 */
import { test, expect } from './fixtures';

test('"Check for updates" is off by default, persists, and says a copy from source cannot update', async ({
  app
}) => {
  await app.keyboard.press('Control+,');
  const settings = app.getByRole('dialog', { name: 'Settings' });
  const box = settings.getByRole('checkbox', { name: 'Check for updates' });
  await expect(box).not.toBeChecked();
  await expect(box).toHaveAccessibleDescription(/Nothing is downloaded until you say yes/);
  await expect(settings.getByRole('button', { name: /Check now|Download/ })).toHaveCount(0);

  await box.focus();
  await app.keyboard.press('Space');
  await expect(box).toBeChecked();
  await expect(settings.getByRole('status')).toHaveText(
    'This copy of Ollama Desk runs from source and cannot update itself. Installed copies can.'
  );

  await app.reload();
  await app.keyboard.press('Control+,');
  const again = app.getByRole('dialog', { name: 'Settings' });
  await expect(again.getByRole('checkbox', { name: 'Check for updates' })).toBeChecked();
  await expect(again.getByRole('status')).toContainText('runs from source');

  await again.getByRole('checkbox', { name: 'Check for updates' }).uncheck();
  await expect(again.getByRole('status')).toHaveText('');
});
