import { createTheme, defaultVariantColorsResolver, DEFAULT_THEME, parseThemeColor, type VariantColorsResolver } from '@mantine/core';

/**
 * The palette colours whose readable shades theme-colors.ts measures and sets as CSS variables (at
 * build time, see vite.config.ts); the variants below use those variables.
 */
export const PALETTE = Object.keys(DEFAULT_THEME.colors).filter((c) => c !== 'dark');
const READABLE_COLORS = new Set(PALETTE);

/**
 * Variants built on the readable variables (theme-colors.ts): filled text is white or black by measured
 * contrast, outline and subtle text use the readable text shade. Explicit shades ('gray.6') are
 * left to Mantine.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const base = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || parsed.shade !== undefined || !READABLE_COLORS.has(parsed.color)) return base;
  const c = parsed.color;
  switch (input.variant) {
    case 'filled':
      return { ...base, background: `var(--mantine-color-${c}-filled)`, hover: `var(--mantine-color-${c}-filled-hover)`, color: `var(--tandem-on-${c}-filled)` };
    case 'outline':
      return { ...base, color: `var(--mantine-color-${c}-outline)`, border: `1px solid var(--mantine-color-${c}-outline)` };
    case 'subtle':
    case 'transparent':
    case 'light':
      return { ...base, color: `var(--mantine-color-${c}-light-color)` };
    case 'white':
      return { ...base, color: `var(--tandem-${c}-on-white)` };
    default:
      return base;
  }
};

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily: 'Inter, -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  // Focus is always visible for keyboard users (app.css draws the 2 px ring on inputs too).
  focusRing: 'auto',
  respectReducedMotion: true,
  variantColorResolver,
  components: {
    // Badges keep their full width in auto-sized table columns, in sentence case.
    Badge: { styles: { root: { minWidth: 'max-content', textTransform: 'none', fontWeight: 600 } } },
    Table: { defaultProps: { verticalSpacing: 'sm', highlightOnHover: true } },
    // A table wider than the screen scrolls sideways; keyboard users scroll it once it has focus, so
    // its viewport is in the tab order even when the table holds no link or button (WCAG 2.1.1).
    TableScrollContainer: { defaultProps: { scrollAreaProps: { viewportProps: { tabIndex: 0 } } } },
    Paper: { defaultProps: { withBorder: true, radius: 'md' } },
    Card: { defaultProps: { withBorder: true, radius: 'md' } },
    // The default "Toggle password visibility" label would make getByLabel('Password') ambiguous.
    PasswordInput: { defaultProps: { visibilityToggleButtonProps: { 'aria-label': 'Show or hide what you typed' } } },
  },
});
