import { darken, DEFAULT_THEME, lighten, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';
import { PALETTE } from './theme';

/*
 * Colours that read: every text colour the theme hands out (dimmed text, links, coloured text,
 * badges and buttons in every variant) reaches WCAG AA contrast, 4.5:1, in the light and the
 * dark colour scheme. Mantine's defaults pick fixed shades (white on orange-6, red-6 text, gray-6
 * "dimmed"), several of which fall to 2.9–4.3:1; here the shade of each colour is chosen by
 * measuring it against the surfaces it sits on (docs/decisions.md, "Contrast in the theme").
 *
 * This runs when the app is built, not in the browser: vite.config.ts (themeVariables) turns
 * cssVariablesResolver into a stylesheet of CSS variables that loads with Mantine's own, so a phone
 * does no colour arithmetic and no style recalculation for it at start-up (docs/performance.md).
 */

const MIN_CONTRAST = 4.6; // AA is 4.5; a little margin for anti-aliasing and rounding

const channel = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
function luminance(hex: string) {
  const h = hex.replace('#', '');
  const [r, g, b] = [0, 2, 4].map((i) => channel(parseInt(h.slice(i, i + 2), 16) / 255));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
export function contrast(a: string, b: string) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}
const toHex = (color: string) => {
  if (color.startsWith('#')) return color.length === 4 ? `#${[...color.slice(1)].map((c) => c + c).join('')}` : color;
  const m = color.match(/rgba?\((\d+),\s*(\d+),\s*(\d+)/);
  return m ? `#${m.slice(1, 4).map((v) => Number(v).toString(16).padStart(2, '0')).join('')}` : color;
};
const passes = (color: string, surfaces: string[]) => surfaces.every((s) => contrast(toHex(color), s) >= MIN_CONTRAST);
/** The first candidate that reads on every surface, else the last candidate pushed darker/lighter until it does. */
function firstReadable(candidates: string[], surfaces: string[], adjust: (c: string, amount: number) => string) {
  for (const c of candidates) if (passes(c, surfaces)) return c;
  const last = candidates[candidates.length - 1]!;
  for (let amount = 0.05; amount < 1; amount += 0.05) {
    const c = toHex(adjust(last, amount));
    if (passes(c, surfaces)) return c;
  }
  return adjust(last, 1);
}

const WHITE = '#ffffff';
const BLACK = '#000000';
const GRAY = DEFAULT_THEME.colors.gray;
const DARK = DEFAULT_THEME.colors.dark;
/** Where text sits in each scheme: the body, the page background, table hover and card surfaces. */
const LIGHT_SURFACES = [WHITE, GRAY[0], GRAY[1]];
const DARK_SURFACES = [DARK[5], DARK[6], DARK[7], DARK[8]];

/** The tinted backgrounds of light alerts, badges and highlighted rows, where links and dimmed text also sit. */
const TINTED = ['gray', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'indigo', 'violet'];
const LIGHT_TINTS = TINTED.map((c) => DEFAULT_THEME.colors[c]![1]);
const DARK_TINTS = TINTED.map((c) => toHex(darken(DEFAULT_THEME.colors[c]![9], 0.5)));
const INDIGO = DEFAULT_THEME.colors.indigo;
const ANCHOR_LIGHT = firstReadable([INDIGO[6], INDIGO[7], INDIGO[8], INDIGO[9]], [...LIGHT_SURFACES, ...LIGHT_TINTS], darken);
const ANCHOR_DARK = firstReadable([INDIGO[4], INDIGO[3], INDIGO[2], INDIGO[1]], [...DARK_SURFACES, ...DARK_TINTS], lighten);

export const DIMMED_LIGHT = '#5c636a';
export const DIMMED_DARK = '#a3a3a3';

interface SchemeColors {
  text: string;
  filled: string;
  filledHover: string;
  onFilled: string;
  lightBg: string;
  lightColor: string;
}

/** The readable shades of one palette colour in one scheme. */
function schemeColors(shades: MantineColorsTuple, scheme: 'light' | 'dark'): SchemeColors {
  if (scheme === 'light') {
    const text = firstReadable([shades[6], shades[7], shades[8], shades[9]], [...LIGHT_SURFACES, shades[1]], darken);
    // White on the filled shade when one reads; otherwise (yellow, orange, lime) black on shade 6.
    const whiteOn = [6, 7, 8, 9].find((i) => contrast(WHITE, shades[i]!) >= MIN_CONTRAST);
    const filledIndex = whiteOn ?? 6;
    const onFilled = whiteOn === undefined ? BLACK : WHITE;
    const lightBg = shades[1];
    const lightColor = firstReadable([shades[9]], [lightBg, shades[0], ...LIGHT_SURFACES], darken);
    return { text, filled: shades[filledIndex]!, filledHover: shades[Math.min(filledIndex + 1, 9)]!, onFilled, lightBg, lightColor };
  }
  const text = firstReadable([shades[4], shades[3], shades[2], shades[1]], [...DARK_SURFACES, toHex(darken(shades[9], 0.5))], lighten);
  const whiteOn = [8, 9].find((i) => contrast(WHITE, shades[i]!) >= MIN_CONTRAST);
  const filledIndex = whiteOn ?? 5;
  const onFilled = whiteOn === undefined ? BLACK : WHITE;
  const lightBg = toHex(darken(shades[9], 0.5));
  const lightColor = firstReadable([shades[0]], [lightBg, ...DARK_SURFACES], lighten);
  return { text, filled: shades[filledIndex]!, filledHover: shades[filledIndex === 9 ? 8 : filledIndex + 1]!, onFilled, lightBg, lightColor };
}

export const READABLE = Object.fromEntries(
  PALETTE.map((c) => [c, { light: schemeColors(DEFAULT_THEME.colors[c]!, 'light'), dark: schemeColors(DEFAULT_THEME.colors[c]!, 'dark') }]),
) as Record<string, { light: SchemeColors; dark: SchemeColors }>;

const schemeVariables = (scheme: 'light' | 'dark') =>
  Object.fromEntries(
    PALETTE.flatMap((c) => {
      const r = READABLE[c]![scheme];
      return [
        [`--mantine-color-${c}-text`, r.text],
        [`--mantine-color-${c}-filled`, r.filled],
        [`--mantine-color-${c}-filled-hover`, r.filledHover],
        [`--mantine-color-${c}-light-color`, r.lightColor],
        [`--mantine-color-${c}-outline`, r.text],
        [`--tandem-on-${c}-filled`, r.onFilled],
        // The 'white' variant keeps its white background in both schemes, so its text is the light scheme's shade.
        [`--tandem-${c}-on-white`, READABLE[c]!.light.text],
      ];
    }),
  );

/** Theme CSS variables per scheme: readable palette shades, dimmed text, links and the page background. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...schemeVariables('light'),
    '--mantine-color-dimmed': DIMMED_LIGHT,
    '--mantine-color-anchor': ANCHOR_LIGHT,
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
    '--mantine-color-error': READABLE.red!.light.text,
    '--mantine-primary-color-contrast': READABLE.indigo!.light.onFilled,
    '--tandem-page-bg': 'var(--mantine-color-gray-0)',
    '--tandem-focus-ring': ANCHOR_LIGHT,
  },
  dark: {
    ...schemeVariables('dark'),
    '--mantine-color-dimmed': DIMMED_DARK,
    '--mantine-color-anchor': ANCHOR_DARK,
    '--mantine-color-error': READABLE.red!.dark.text,
    '--mantine-primary-color-contrast': READABLE.indigo!.dark.onFilled,
    '--tandem-page-bg': 'var(--mantine-color-dark-8)',
    '--tandem-focus-ring': ANCHOR_DARK,
  },
});

