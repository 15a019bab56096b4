/**
 * Header rows of the import and connection forms (`headers.N.name`, `.value`,
 * `.private`, and for connections `.inherit`). A private value never goes back
 * to the browser: its box is empty with the mask as a hint, and an empty box on
 * save sends the stored mask back, which the service reads as "keep the value".
 */
import { text } from './kit';

const BLANK_ROWS = 2;

export interface StoredHeader {
  name: string;
  /** Masked (`****abcd`) when private: the API's view. */
  value: string;
  private: boolean;
  inherit?: boolean;
}

export interface HeaderRow {
  index: number;
  name: string;
  value: string;
  private: boolean;
  inherit: boolean;
  /** The masked stored value, shown as a hint only. */
  masked?: string;
}

/** The rows as posted. */
export function postedRows(form: Record<string, unknown>): HeaderRow[] {
  const rows: HeaderRow[] = [];
  for (let index = 0; typeof form[`headers.${index}.name`] === 'string'; index += 1) {
    rows.push({
      index, name: text(form, `headers.${index}.name`), value: String(form[`headers.${index}.value`] ?? ''),
      private: form[`headers.${index}.private`] === 'true', inherit: form[`headers.${index}.inherit`] === 'true',
    });
  }
  return rows;
}

/** The rows of stored headers, private values left out. */
export function storedRows(headers: StoredHeader[]): HeaderRow[] {
  return headers.map((header, index) => ({
    index, name: header.name, private: header.private, inherit: header.inherit ?? true,
    ...(header.private ? { value: '', masked: header.value } : { value: header.value }),
  }));
}

/** Posted rows again after a refused save, with the stored masks as hints. */
export function rowsAfterError(form: Record<string, unknown>, stored: StoredHeader[]): HeaderRow[] {
  const hints = storedRows(stored);
  return postedRows(form).map((row) => ({ ...row, masked: hints.find((hint) => hint.private && hint.name === row.name)?.masked }));
}

/** Filled rows renumbered, then blank rows to add headers. */
export function withBlankRows(rows: HeaderRow[]): HeaderRow[] {
  const filled = rows.filter((row) => row.name !== '' || row.value !== '');
  const blanks = Array.from({ length: BLANK_ROWS }, (_, n) => ({ index: filled.length + n, name: '', value: '', private: false, inherit: true }));
  return [...filled.map((row, index) => ({ ...row, index })), ...blanks];
}

/** The headers for the API body; `withInherit` for connections. */
export function headersFromForm(form: Record<string, unknown>, stored: StoredHeader[], withInherit = false): StoredHeader[] {
  return postedRows(form)
    .filter((row) => row.name !== '')
    .map((row) => {
      const keep = row.private && row.value === '' ? stored.find((h) => h.private && h.name.toLowerCase() === row.name.toLowerCase()) : undefined;
      const header: StoredHeader = { name: row.name, value: keep ? keep.value : row.value, private: row.private };
      if (withInherit) header.inherit = row.inherit;
      return header;
    });
}
