/**
 * Runs `fn` once what is on screen now has been painted and shown (two frames on), so that secondary
 * work (the header's menus, the notification area) starts after the page appears; returns a cancel.
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
