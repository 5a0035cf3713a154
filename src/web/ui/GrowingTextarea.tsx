import { Textarea, type TextareaProps } from '@mantine/core';
import { useMergedRef } from '@mantine/hooks';
import { useEffect, useRef, useState, type FocusEvent } from 'react';
import { afterPaint } from './paint';

/**
 * Mantine's Textarea with `autosize`, which starts growing with its text once the page has painted.
 * Autosize measures the field (the browser's styles and layout of the whole new page) while the page
 * is being inserted, in the same long task; here the field first shows as a plain textarea of
 * `minRows` rows, the same height, and turns into the growing one a frame after the paint, or when
 * it loses focus if someone is already typing in it.
 */
export function GrowingTextarea({ minRows = 2, maxRows, onBlur, ref, ...props }: Omit<TextareaProps, 'autosize'>) {
  const [grows, setGrows] = useState(false);
  const own = useRef<HTMLTextAreaElement>(null);
  const merged = useMergedRef(own, ref);
  useEffect(
    () =>
      afterPaint(() => {
        if (document.activeElement !== own.current) setGrows(true);
      }),
    [],
  );
  const handleBlur = (event: FocusEvent<HTMLTextAreaElement>) => {
    setGrows(true);
    onBlur?.(event);
  };
  return <Textarea {...props} ref={merged} autosize={grows} minRows={minRows} maxRows={maxRows} rows={grows ? undefined : minRows} onBlur={handleBlur} />;
}
