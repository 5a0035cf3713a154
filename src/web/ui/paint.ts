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
