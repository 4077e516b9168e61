/**
 * Runs a function in a later task. With no delay it uses a MessageChannel: setTimeout(0) is clamped
 * to 4 ms once nested, which would leave most of each frame idle while a backlog is rendered.
 */
export interface TaskHandle {
  cancel(): void;
}

export function postTask(fn: () => void, delayMs: number): TaskHandle {
  if (delayMs > 0) {
    const timer = setTimeout(fn, delayMs);
    return { cancel: () => clearTimeout(timer) };
  }
  const channel = new MessageChannel();
  let cancelled = false;
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (!cancelled) fn();
  };
  channel.port2.postMessage(null);
  return {
    cancel: () => {
      cancelled = true;
      channel.port1.close();
    }
  };
}

/** Runs a function at the next animation frame (in a later task where there are no frames). */
export function nextFrame(fn: () => void): TaskHandle {
  if (typeof requestAnimationFrame !== 'function') return postTask(fn, 0);
  const id = requestAnimationFrame(fn);
  return { cancel: () => cancelAnimationFrame(id) };
}
