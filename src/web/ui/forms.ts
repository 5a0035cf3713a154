import { isApiError } from '../api';
import { notifyError } from './notify';

interface FieldErrorTarget {
  setFieldError: (path: never, error: React.ReactNode) => void;
  getValues: () => object;
}

/**
 * Puts the server's `problems[].field` messages next to the matching form fields (also fields inside
 * lists: `items.2.dueDate`);
 * anything that cannot be placed on a field becomes a notification.
 * Returns true when at least one field got an error.
 */
export function applyServerErrors(form: FieldErrorTarget, err: unknown, fieldAliases: Record<string, string> = {}): boolean {
  if (!isApiError(err) || err.problems.length === 0) {
    notifyError(err);
    return false;
  }
  const values = form.getValues();
  const unplaced: string[] = [];
  let placed = false;
  for (const p of err.problems) {
    const field = p.field ? (fieldAliases[p.field] ?? p.field) : undefined;
    if (field && hasPath(values, field)) {
      form.setFieldError(field as never, capitalise(p.message));
      placed = true;
    } else {
      unplaced.push(p.field ? `${p.field}: ${p.message}` : p.message);
    }
  }
  if (unplaced.length > 0) notifyError(new Error(unplaced.join('; ')));
  return placed;
}

/** Whether a field path names a value of the form: `title`, or inside lists `items.2.dueDate`. */
function hasPath(values: object, path: string): boolean {
  let at: unknown = values;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, key)) return false;
    at = (at as Record<string, unknown>)[key];
  }
  return true;
}

const capitalise = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
