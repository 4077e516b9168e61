/**
 * "Test connection" in the server editor tests the address on screen, not the saved one: editing a
 * reachable saved server's address to a dead port and testing reports the refusal.
 */
import { closedPort } from '../fake-ollama/closed-port';
import { test, expect } from './fixtures';

test('testing an edited address of a saved server tests the edited address', async ({ app }) => {
  const port = await closedPort();
  await app.getByRole('button', { name: 'Manage servers' }).click();
  const dialog = app.getByRole('dialog', { name: 'Servers' });
  const row = dialog.getByRole('listitem', { name: 'This computer' });
  await expect(row).toContainText('· reachable');
  await row.getByRole('button', { name: 'Edit' }).click();

  await dialog.getByLabel('Server address').fill(`127.0.0.1:${port}`);
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const result = dialog.getByRole('status');
  await expect(result).toContainText('Connection refused.');
});
