export const MIN_PASSWORD = 10;

/** Validation for a "new password, twice" form. */
export const newPasswordRules = <T extends { password: string; confirm: string }>() => ({
  password: (v: string) => (v.length < MIN_PASSWORD ? `Use at least ${MIN_PASSWORD} characters` : v.length > 128 ? 'Use at most 128 characters' : null),
  confirm: (v: string, values: T) => (v !== values.password ? 'The passwords do not match' : null),
});
