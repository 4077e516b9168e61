/**
 * The preload: exposes exactly one object, `window.ollamaDesk`, built from the contract.
 * No raw ipcRenderer and no process.env reach the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CallName } from '@shared/contract';
import { callChannel, eventChannel } from '@shared/events';
import { makeApi } from '@shared/make-api';
import type { Result } from '@shared/errors';

const api = makeApi({
  invoke: (name, input) =>
    ipcRenderer.invoke(callChannel(name as CallName), input) as Promise<Result<unknown>>,
  subscribe(event, listener) {
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(eventChannel(event), wrapped);
    return () => {
      ipcRenderer.removeListener(eventChannel(event), wrapped);
    };
  }
});

contextBridge.exposeInMainWorld('ollamaDesk', api);
