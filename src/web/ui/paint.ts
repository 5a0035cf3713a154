import { useEffect, useRef } from 'react';

/**
 * Runs `fn` once what is on screen now has been painted and shown (two frames on), so that secondary
 * work (the header's menus, a field's focus) starts after the page appears; returns a cancel.
 */
export function afterPaint(fn: () => void): () => void {
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  frame = requestAnimationFrame(() => {
    frame = requestAnimationFrame(() => {
      timer = setTimeout(fn);
    });
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * Runs `fn` once the page's main content is on screen: when the browser reports a largest contentful
 * paint of an element the app drew (it does so once that frame has been shown; index.html's shell is
 * gone by then), or `fallbackMs` after the paint where it reports none (the page's content is no
 * larger than the shell's, the person has already typed or scrolled, or the browser has no such
 * report). Secondary downloads started then do not compete with the page's own files and data.
 * Returns a cancel.
 */
export function afterContentShown(fn: () => void, fallbackMs = 1000): () => void {
  let done = false;
  let observer: PerformanceObserver | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    done = true;
    observer?.disconnect();
    if (timer !== undefined) clearTimeout(timer);
    cancelPaint();
  };
  const run = () => {
    if (done) return;
    stop();
    fn();
  };
  if (typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('largest-contentful-paint')) {
    observer = new PerformanceObserver((list) => {
      const drawn = (e: PerformanceEntry) => {
        const element = (e as LargestContentfulPaint).element;
        return !!element && element.isConnected && !element.closest('#ts');
      };
      if (list.getEntries().some(drawn)) timer = setTimeout(run);
    });
    observer.observe({ type: 'largest-contentful-paint', buffered: true });
  }
  const cancelPaint = afterPaint(() => {
    if (!done) timer = setTimeout(run, observer ? fallbackMs : 0);
  });
  return stop;
}

/**
 * autoFocus, once the page has painted: React focuses an autoFocus field while it inserts the page,
 * which makes the browser lay out the whole new page inside that same long task; here the layout
 * happens with the paint and the focus comes a frame later. Nothing is taken from a field the
 * person has already moved to.
 */
export function useFocusAfterPaint<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(
    () =>
      afterPaint(() => {
        const active = document.activeElement;
        if (!active || active === document.body) ref.current?.focus();
      }),
    [],
  );
  return ref;
}
