/**
 * Child process for the kill test: streams a reply from a server into a store and prints how much
 * text it has received, until the test kills it with SIGKILL mid-stream.
 * Usage: node --import tsx kill-child.ts <storeDir> <baseUrl> <conversationId>
 */
import { ChatEngine } from '../../../electron/main/core/chat/chat-engine';
import { ConversationStore } from '../../../electron/main/core/conversations/conversation-store';
import { OllamaClient } from '../../../electron/main/core/ollama/client';

const [dir, baseUrl, conversationId] = process.argv.slice(2);
if (!dir || !baseUrl || !conversationId)
  throw new Error('usage: kill-child <dir> <baseUrl> <conversationId>');

const store = await ConversationStore.open(dir);
let received = 0;
const engine = new ChatEngine({
  store,
  clientFor: async () => new OllamaClient({ baseUrl }),
  profileName: () => 'Fake',
  presetFor: () => undefined,
  emit: (_name, e) => {
    if (e.kind === 'delta') {
      received += e.content.length;
      process.stdout.write(`${JSON.stringify({ received })}\n`);
    }
  }
});
await engine.send({ conversationId, content: 'Tell me a very long story.' });
process.stdout.write(`${JSON.stringify({ started: true })}\n`);
