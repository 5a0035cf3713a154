import { Select, type SelectProps } from '@mantine/core';
import { startTransition, useEffect, useState, type FocusEvent } from 'react';
import { afterContentShown, afterPaint } from './paint';

/*
 * Mantine keeps a select's list in the page, hidden (a portal, a positioned popover and a scroll area
 * with every option), so that the arrow keys find the chosen option as soon as it opens. Built with the
 * page, the lists of a form's selects were most of its start-up on a phone (docs/performance.md). Here
 * each list is added once the page's content is on screen, one select per frame, or at once when its
 * field is focused first.
 */
const waiting: Array<() => void> = [];
let running = false;
function next() {
  const mount = waiting.shift();
  if (!mount) {
    running = false;
    return;
  }
  mount();
  afterPaint(next);
}
function mountLater(mount: () => void): () => void {
  waiting.push(mount);
  if (!running) {
    running = true;
    afterContentShown(next);
  }
  return () => {
    const i = waiting.indexOf(mount);
    if (i >= 0) waiting.splice(i, 1);
  };
}

/** Mantine's Select, its hidden list built after the page has appeared (see above); the same props. */
export function DeferredSelect({ comboboxProps, onFocus, ...props }: SelectProps) {
  const [listed, setListed] = useState(false);
  // A transition: React builds the list in short slices; only inserting it is one step.
  useEffect(() => (listed ? undefined : mountLater(() => startTransition(() => setListed(true)))), [listed]);
  const handleFocus = (event: FocusEvent<HTMLInputElement>) => {
    setListed(true);
    onFocus?.(event);
  };
  return <Select {...props} comboboxProps={{ ...comboboxProps, keepMounted: listed }} onFocus={handleFocus} />;
}
