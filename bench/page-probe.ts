/**
 * Instruments the app page for the benchmark (installed with addInitScript, so it runs before the
 * app on every load): long tasks, the longest gap between animation frames, the last click, and
 * "when did this marker text enter the DOM" through MutationObservers. Every time is epoch ms
 * (performance.timeOrigin + performance.now()), comparable with the Node side's epochNow().
 *
 * installPageProbe is serialized into the page: it must not use anything from outside its body.
 */

export interface LongTask {
  /** Epoch ms. */
  start: number;
  duration: number;
}

export interface FrameGap {
  /** Epoch ms of the frame that came late. */
  at: number;
  gap: number;
}

export interface Sighting {
  /** Epoch ms of the MutationObserver callback that saw it. */
  at: number;
  /** The marker was already in the DOM when the watch was armed (the time means nothing then). */
  already: boolean;
}

export interface PageProbe {
  now(): number;
  longTasks: LongTask[];
  /** Frames more than 34 ms (two frames) after the previous one. */
  frameGaps: FrameGap[];
  /** Epoch ms of the last click's event timestamp. */
  lastClickAt: number;
  longTaskSupported: boolean;
  /** Starts watching for marker text inside an element matching scope (e.g. 'article'). */
  armText(marker: string, scope: string): void;
  /** Starts watching for the last assistant reply to be finished (data-status=done) and hold marker. */
  armDone(marker: string): void;
  /** Waits for an armed watch. */
  result(key: string, timeoutMs: number): Promise<Sighting>;
  /** Epoch ms when a WebSocket message carrying the marker reached the page (0 = not seen). */
  socketArrivals: Record<string, number>;
}

export function installPageProbe(): void {
  const now = (): number => performance.timeOrigin + performance.now();
  const watches = new Map<string, Promise<Sighting>>();
  const probe: PageProbe = {
    now,
    longTasks: [],
    frameGaps: [],
    lastClickAt: 0,
    longTaskSupported: false,
    socketArrivals: {},
    armText(marker, scope) {
      const key = `text:${marker}`;
      probe.socketArrivals[marker] = 0;
      watches.set(
        key,
        new Promise<Sighting>((resolve) => {
          // The node is inside the scope, or (a whole subtree was inserted at once) holds it.
          const inScope = (node: Node): boolean => {
            const el = node instanceof Element ? node : node.parentElement;
            if (el?.closest(scope) != null) return true;
            return (
              node instanceof Element &&
              Array.from(node.querySelectorAll(scope)).some((s) => s.textContent?.includes(marker))
            );
          };
          const present = (): boolean =>
            Array.from(document.querySelectorAll(scope)).some((el) => el.textContent?.includes(marker));
          if (document.body && present()) return resolve({ at: now(), already: true });
          const observer = new MutationObserver((records) => {
            for (const record of records) {
              const nodes: Node[] =
                record.type === 'characterData' ? [record.target] : [...record.addedNodes];
              for (const node of nodes) {
                if (node.textContent?.includes(marker) && inScope(node)) {
                  const at = now();
                  observer.disconnect();
                  return resolve({ at, already: false });
                }
              }
            }
          });
          observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
        })
      );
    },
    armDone(marker) {
      const key = `done:${marker}`;
      watches.set(
        key,
        new Promise<Sighting>((resolve) => {
          const finished = (): boolean => {
            const replies = document.querySelectorAll('article[aria-label="Assistant reply"]');
            const last = replies[replies.length - 1];
            if (!last || last.getAttribute('data-status') !== 'done') return false;
            return last.textContent?.includes(marker) ?? false;
          };
          if (document.body && finished()) return resolve({ at: now(), already: true });
          const observer = new MutationObserver(() => {
            if (!finished()) return;
            const at = now();
            observer.disconnect();
            resolve({ at, already: false });
          });
          observer.observe(document.documentElement, {
            subtree: true,
            childList: true,
            attributes: true,
            attributeFilter: ['data-status']
          });
        })
      );
    },
    result(key, timeoutMs) {
      const watch = watches.get(key);
      if (!watch) return Promise.reject(new Error(`page probe: ${key} was never armed`));
      return Promise.race([
        watch.finally(() => watches.delete(key)),
        new Promise<Sighting>((_, reject) =>
          setTimeout(() => reject(new Error(`page probe: ${key} not seen within ${timeoutMs} ms`)), timeoutMs)
        )
      ]);
    }
  };

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        probe.longTasks.push({ start: performance.timeOrigin + entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
    probe.longTaskSupported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  } catch {
    probe.longTaskSupported = false;
  }

  // The harness's IPC is a WebSocket: note when a message with an armed marker arrives, before the
  // app's own listener runs.
  const addListener = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (
    this: WebSocket,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions
  ) {
    if (type === 'message') {
      addListener.call(
        this,
        'message',
        (event: Event) => {
          const data = (event as MessageEvent).data;
          if (typeof data !== 'string') return;
          for (const marker of Object.keys(probe.socketArrivals)) {
            if (probe.socketArrivals[marker] === 0 && data.includes(marker))
              probe.socketArrivals[marker] = now();
          }
        },
        options
      );
    }
    addListener.call(this, type, listener as EventListenerOrEventListenerObject, options);
  } as typeof WebSocket.prototype.addEventListener;

  let lastFrame = 0;
  const onFrame = (t: number): void => {
    if (lastFrame > 0 && t - lastFrame > 34) {
      probe.frameGaps.push({ at: performance.timeOrigin + t, gap: t - lastFrame });
    }
    lastFrame = t;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);

  document.addEventListener(
    'click',
    (event) => {
      probe.lastClickAt = performance.timeOrigin + event.timeStamp;
    },
    { capture: true }
  );

  Object.defineProperty(window, '__bench', { value: probe, configurable: false, writable: false });
}
