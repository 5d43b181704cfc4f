import { TributaryError } from '../../src/core/errors.ts';

/** The session settings whose output formats the text parsers expect. */
export const SESSION_SETTINGS_FIX =
  "connect with DateStyle=ISO, IntervalStyle=postgres or iso_8601, lc_monetary=C, bytea_output=hex (e.g. options='-c DateStyle=ISO -c lc_monetary=C')";

/** A value whose text is not in the format the session settings promise. */
export function unexpectedText(type: string, text: string): TributaryError {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return new TributaryError(`unexpected text for Postgres ${type}: ${JSON.stringify(shown)}`, {
    code: 'SOURCE_SETTING',
    fix: SESSION_SETTINGS_FIX,
  });
}
