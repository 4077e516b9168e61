/**
 * Binds the contract to ipcMain: one handler per call, input validated by dispatch(), and only our
 * window's main frame is answered. Handlers are typed by the contract, so a missing one fails to compile.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CALL_NAMES, callChannel, type Handlers } from '@shared/contract';
import type { Result } from '@shared/errors';
import { dispatch } from './core/dispatch';
import { isTrustedSender } from './core/sender-check';

export function registerIpc(
  ipcMain: IpcMain,
  handlers: Handlers,
  trusted: { windowWebContentsId(): number | null; appOrigins: string[] },
  log: (line: string) => void
): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(
      callChannel(name),
      (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
        const frame = event.senderFrame;
        const facts = {
          webContentsId: event.sender.id,
          isMainFrame: frame !== null && frame === event.sender.mainFrame,
          frameUrl: frame?.url ?? ''
        };
        if (!isTrustedSender(facts, trusted.windowWebContentsId(), trusted.appOrigins)) {
          log(`refused ${name} from ${facts.frameUrl || 'an unknown frame'}`);
          return Promise.resolve({
            ok: false,
            error: { code: 'FORBIDDEN_SENDER', message: 'Calls are accepted only from the app window' }
          });
        }
        return dispatch(handlers, name, input, log);
      }
    );
  }
  return () => CALL_NAMES.forEach((name) => ipcMain.removeHandler(callChannel(name)));
}
