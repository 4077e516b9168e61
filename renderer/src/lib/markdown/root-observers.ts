/**
 * One IntersectionObserver per scrolling root (and one for the window), shared by every message: an
 * observer per message made the browser compute hundreds of them on every frame of a long
 * conversation (bench/).
 */
export type ObserverFor = (root: Element | null) => IntersectionObserver;

/** Returns the observer of a root, made on first use; `onNear` gets each target that comes near. */
export function observersPerRoot(
  rootMargin: string,
  onNear: (target: Element, observer: IntersectionObserver) => void
): ObserverFor {
  const observers = new WeakMap<Element, IntersectionObserver>();
  let viewport: IntersectionObserver | null = null;
  return (root) => {
    const known = root ? observers.get(root) : viewport;
    if (known) return known;
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) if (entry.isIntersecting) onNear(entry.target, observer);
      },
      { root, rootMargin }
    );
    if (root) observers.set(root, observer);
    else viewport = observer;
    return observer;
  };
}
